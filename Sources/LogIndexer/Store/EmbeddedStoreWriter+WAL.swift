import CSQLite
import Foundation

/// When the writer checkpoints the WAL itself (see `EmbeddedStoreWriter.boundWAL()`).
struct WALBound {
    /// Past this size of `logsift.db-wal` the writer empties it; `LOGSIFT_WAL_LIMIT_MB` overrides.
    var limitBytes: Int64 = Int64(ProcessInfo.processInfo.environment["LOGSIFT_WAL_LIMIT_MB"].flatMap(Int64.init).map { max(1, $0) } ?? 16) << 20
    /// How long the next waiting checkpoint lets readers of older snapshots finish: doubled (up to the
    /// maximum) each time readers held it off, brought down again by checkpoints that went through.
    var waitMs: Int32 = minWaitMs
    static let minWaitMs: Int32 = 2_000
    /// An HTTP request waits for its commit: well below the timeouts of shippers (10 s and more).
    static let maxWaitMs: Int32 = 8_000
    /// Earliest next waiting attempt, and next attempt without waiting (uptime ns).
    var waitingAt: UInt64 = 0
    var probeAt: UInt64 = 0
}

extension EmbeddedStoreWriter {
    /// Keeps the WAL bounded while readers come and go (reliability row L1); runs after each commit.
    ///
    /// SQLite's automatic checkpoint after a commit is passive: it copies to the database what no reader still
    /// needs, and the WAL starts over only after a checkpoint that no reader held back. Readers that always
    /// overlap (search loops, exports, a dashboard polling) keep that from ever happening, and the WAL then grows
    /// with everything written. Past the limit the writer runs a TRUNCATE checkpoint: no commit happens while it
    /// waits for the readers of older snapshots to finish (new readers start on the newest snapshot and are not
    /// held up), then the WAL file is emptied.
    ///
    /// The wait is bounded: 2 s at first, doubled up to 8 s each time readers outlast it, and after such a
    /// refusal the next waiting attempt comes only 4 waits later, so the writer never spends more than about a
    /// fifth of its time waiting for readers, whatever they do (an open `sqlite3` shell in a transaction holds
    /// its snapshot for ever). In between it tries without waiting, at most once a second: the WAL is emptied at
    /// the first commit after such a reader has gone. Readers that always overlap and each hold a snapshot for
    /// longer than about half the longest wait (4 s) still let the WAL grow.
    func boundWAL() {
        guard EmbeddedStore.fileSize(directory + "/" + EmbeddedStore.fileName + "-wal") > wal.limitBytes else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        let waiting = now >= wal.waitingAt
        guard waiting || now >= wal.probeAt else { return }
        let waitMs = waiting ? wal.waitMs : 0
        sqlite3_busy_timeout(db.handle, waitMs)
        let busy = (try? db.scalarInt("PRAGMA wal_checkpoint(TRUNCATE)")) ?? 1
        sqlite3_busy_timeout(db.handle, SQLiteConnection.busyTimeoutMs)
        let end = DispatchTime.now().uptimeNanoseconds
        wal.probeAt = end + 1_000_000_000
        if busy == 0 {
            if waiting { wal.waitMs = max(WALBound.minWaitMs, wal.waitMs * 3 / 4) }
            wal.waitingAt = 0
        } else if waiting {
            wal.waitingAt = end + 4 * UInt64(waitMs) * 1_000_000
            wal.waitMs = min(WALBound.maxWaitMs, wal.waitMs * 2)
        }
    }
}
