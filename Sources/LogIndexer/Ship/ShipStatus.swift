import Foundation

/// What the agent reports (the TTY status line and `/metrics`): per file the bytes not yet acknowledged, and
/// totals. Shared between the shipping thread and the status/metrics readers.
public final class ShipStatus: @unchecked Sendable {
    private let lock = NSLock()
    private var acked: [String: TailCheckpoint] = [:]
    public private(set) var batchesAcked: Int64 = 0
    public private(set) var duplicatesResent: Int64 = 0
    public private(set) var retries: Int64 = 0
    public private(set) var wireBytes: Int64 = 0
    public private(set) var rawBytesAcked: Int64 = 0
    public private(set) var eventsAcked: Int64 = 0
    public private(set) var droppedAcked: Int64 = 0
    public private(set) var filesLost: Int64 = 0
    public private(set) var lastError: String?
    public private(set) var waiting = false

    public init() {}

    func set(_ files: [String: TailCheckpoint]) { lock.withLock { acked = files } }

    func acknowledged(_ b: ShipBatch, wire: Int, files: [String: TailCheckpoint]) {
        lock.withLock {
            acked = files
            batchesAcked += 1
            wireBytes += Int64(wire)
            rawBytesAcked += b.counters.bytesReceived
            eventsAcked += Int64(b.eventCount)
            droppedAcked += b.counters.noiseDropped
            waiting = false
            lastError = nil
        }
    }

    func failed(_ reason: String) { lock.withLock { retries += 1; lastError = reason; waiting = true } }

    /// A file whose unacknowledged bytes could not be read any more (rotated away and removed, or truncated, while
    /// the agent was stopped or could not deliver).
    public func lost() { lock.withLock { filesLost += 1 } }

    /// Per file path: its size now minus the acknowledged position (files not yet acknowledged at all are left out).
    public func lag() -> [(path: String, bytes: Int64)] {
        let files = lock.withLock { Array(acked.values) }
        var out: [(String, Int64)] = []
        for cp in files where !cp.done {
            var st = stat()
            guard stat(cp.path, &st) == 0, UInt64(st.st_ino) == cp.inode else { continue }
            out.append((cp.path, max(0, Int64(st.st_size) - cp.position.resume)))
        }
        return out.sorted { $0.0 < $1.0 }
    }

    /// One line for a terminal.
    public func line() -> String {
        let lag = lag()
        let total = lag.reduce(Int64(0)) { $0 + $1.bytes }
        let (b, err, w) = lock.withLock { (batchesAcked, lastError, waiting) }
        var s = String(format: "ship: %lld batches acknowledged, lag %.1f KB over %d file(s)", b, Double(total) / 1e3, lag.count)
        if let worst = lag.max(by: { $0.bytes < $1.bytes }), worst.bytes > 0 { s += " (most: \(worst.path) \(worst.bytes) B)" }
        if w, let err { s += "; waiting for the server: \(err)" }
        return s
    }

    /// Prometheus text.
    public func metrics() -> String {
        let lag = lag()
        var out = ""
        lock.withLock {
            for (name, help, v) in [("batches_acked_total", "Batches the server acknowledged.", batchesAcked),
                                    ("retries_total", "Attempts that were not acknowledged (sent again).", retries),
                                    ("wire_bytes_total", "Compressed bytes of acknowledged batches.", wireBytes),
                                    ("raw_bytes_acked_total", "File bytes covered by acknowledged batches.", rawBytesAcked),
                                    ("events_acked_total", "Events in acknowledged batches.", eventsAcked),
                                    ("noise_dropped_total", "Events the agent's noise rules dropped (in acknowledged batches).", droppedAcked),
                                    ("files_lost_total", "Files whose unacknowledged bytes were gone before they could be read.", filesLost),
                                    ("waiting", "1 while the server does not acknowledge.", waiting ? 1 : 0)] {
                out += "# HELP logsift_agent_\(name) \(help)\n# TYPE logsift_agent_\(name) \(name.hasSuffix("_total") ? "counter" : "gauge")\n"
                out += "logsift_agent_\(name) \(v)\n"
            }
        }
        out += "# HELP logsift_agent_lag_bytes Bytes of a file not yet acknowledged by the server.\n# TYPE logsift_agent_lag_bytes gauge\n"
        for (path, bytes) in lag {
            let p = path.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
            out += "logsift_agent_lag_bytes{path=\"\(p)\"} \(bytes)\n"
        }
        return out
    }
}
