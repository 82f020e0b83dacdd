import Foundation
import LogCore
import Filters

/// Options of `logsift tail`.
public struct TailOptions: Sendable {
    public var ingest = IngestOptions()
    /// Read everything that matches to its end, then exit.
    public var once = false
    public var exclude: [String] = []
    /// How often to look for new data and for new or rotated files.
    public var pollSeconds = 0.2
    public var rescanSeconds = 1.0
    /// Commit at least this often while data flows (a batch also commits when it reaches its size).
    public var commitSeconds = 1.0
    /// A last line without its newline is taken as a line after this long.
    public var partialLineSeconds = 5.0
    /// A file that left every matched path is let go this long after its last data.
    public var releaseSeconds = 1.0
    /// Print a progress line to stderr (`--once` on a terminal).
    public var progress = false
    /// Where globbed files may really live (nil: anywhere). The CLI always sets it.
    public var confinement: PathConfinement?
    /// Told each warning as it happens (a refused link, a file truncated while stopped); without it they
    /// are only collected in the summary.
    public var warn: (@Sendable (String) -> Void)?

    public init() {}
}

/// What a tail run did.
public struct TailSummary: Sendable {
    public var counters = IngestCounters()
    public var files = 0
    public var warnings: [String] = []
    public var seconds = 0.0
}

/// Follows files like `tail -F`, exactly once across rotation, restarts and crashes.
///
/// Each file is known by device + inode + a fingerprint of its first KiB. Its position (where to resume,
/// and per stream which lines were already stored) is committed in the same transaction as the events
/// read from it, so after `kill -9` a restart neither loses nor repeats a line. Files rotated by rename
/// stay open and are read to their end; copytruncate is noticed when the file shrinks below the position
/// (lines written between the copy and the truncate are the one documented loss window).
public final class Tailer {
    final class Tracked {
        let fd: Int32
        var path: String
        let labelPath: String
        let device: UInt64, inode: UInt64
        var fpLength: Int
        var fp: UInt64
        var reader: LineReader
        var decoder: SourceDecoder
        /// The resume offset at the last checkpoint (bytes before it are counted as received).
        var counted: Int64
        var lastDataNs: Int64
        /// No matched path leads to this file any more (rotated away or deleted).
        var unlinked = false
        var done = false
        var lastCheckpoint: TailCheckpoint?

        init(fd: Int32, path: String, labelPath: String, id: FileIdentity, fpLength: Int, fp: UInt64, reader: LineReader,
             decoder: SourceDecoder, counted: Int64, now: Int64) {
            self.fd = fd
            self.path = path
            self.labelPath = labelPath
            device = id.device
            inode = id.inode
            self.fpLength = fpLength
            self.fp = fp
            self.reader = reader
            self.decoder = decoder
            self.counted = counted
            lastDataNs = now
        }

        deinit { close(fd) }

        var key: String { "\(device):\(inode):\(fpLength):\(fp)" }
    }

    let patterns: [PathGlob]
    let options: TailOptions
    let makeWriter: @Sendable () throws -> any LogWriter
    let shouldStop: @Sendable () -> Bool
    private let builder = BatchBuilder()
    private var files: [Tracked] = []
    private var stored: [TailCheckpoint]
    private var forget: [String] = []
    private var summary = TailSummary()
    private var startedNs: Int64 = 0
    /// Files refused by the confinement (device:inode), told once and not opened again.
    private var refused = Set<String>()

    /// `checkpoints` are the committed positions (from the store), `problems` the rows that did not read
    /// back (each becomes a warning; those files are read from their start).
    public init(patterns: [String], options: TailOptions, checkpoints: [TailCheckpoint], problems: [String] = [],
                writer: @escaping @Sendable () throws -> any LogWriter, shouldStop: @escaping @Sendable () -> Bool) {
        self.patterns = patterns.map(PathGlob.init)
        self.options = options
        self.stored = checkpoints
        self.makeWriter = writer
        self.shouldStop = shouldStop
        builder.filter = options.ingest.filters.map { NoiseFilter(config: $0, rescueDepth: $0.rescueDepth) }
        for problem in problems { warn(problem + "; reading that file from its start") }
    }

    public func run() throws -> TailSummary {
        let started = Ingestor.nowNs()
        startedNs = started
        let writer = WriterThread(makeWriter: makeWriter)
        var lastScan: Int64 = 0, lastCommit = started, lastProgress = started
        do {
            adoptRotatedWhileStopped()
            while true {
                let now = Ingestor.nowNs()
                if now - lastScan >= Int64(options.rescanSeconds * 1e9) || lastScan == 0 {
                    scan(now: now)
                    lastScan = now
                }
                var progressed = false
                for f in files where !f.done {
                    if try pump(f, now: now, writer: writer) { progressed = true }
                }
                try settle(now: now)
                if builder.pendingBytes > 0 || !forget.isEmpty || checkpointsChanged(), now - lastCommit >= Int64(options.commitSeconds * 1e9) {
                    try commit(writer)
                    lastCommit = now
                }
                if options.progress, now - lastProgress >= 500_000_000 {
                    printProgress(started: started, now: now)
                    lastProgress = now
                }
                if options.once, !progressed, files.allSatisfy({ $0.done }) { break }
                if shouldStop() { break }
                if !progressed { usleep(UInt32(options.pollSeconds * 1e6)) }
            }
            // Files that no path leads to any more cannot be reopened after a restart: finish them now.
            for f in files where !f.done && (f.unlinked || (FileIdentity(fd: f.fd)?.links ?? 0) == 0) {
                _ = try pump(f, now: Ingestor.nowNs(), writer: writer)
                try finishFile(f)
            }
            try commit(writer, final: true)
            if options.progress { FileHandle.standardError.write("\n".data(using: .utf8)!) }
        } catch {
            _ = try? writer.finish()
            throw error
        }
        summary.counters = try writer.finish()
        summary.seconds = Double(Ingestor.nowNs() - started) / 1e9
        return summary
    }

    // MARK: discovery

    /// Opens files that newly match; marks tracked files that no matched path leads to any more.
    private func scan(now: Int64) {
        var seen = Set<String>()
        for glob in patterns {
            for path in glob.matches() where !PathGlob.excluded(path, by: options.exclude) {
                guard let id = FileIdentity(path: path) else { continue }
                let inode = "\(id.device):\(id.inode)"
                if refused.contains(inode) { continue }
                seen.insert(inode)
                if let f = files.first(where: { $0.device == id.device && $0.inode == id.inode && !$0.done }) {
                    f.path = PathConfinement.realPath(path) ?? path
                    continue
                }
                if files.contains(where: { $0.device == id.device && $0.inode == id.inode }) { continue }
                if let cp = stored.first(where: { $0.device == id.device && $0.inode == id.inode && $0.done }), id.size == cp.position.resume {
                    continue // read to its end already and not grown since
                }
                open(path: path, labelPath: path, now: now)
            }
        }
        for f in files where !f.done {
            let wasLinked = !f.unlinked
            f.unlinked = !seen.contains("\(f.device):\(f.inode)")
            if wasLinked, f.unlinked { adoptSiblings(of: f, newerThan: startedNs, now: now) }
        }
        // Finished files that are gone for good need no checkpoint any more.
        for cp in stored where cp.done && !seen.contains("\(cp.device):\(cp.inode)") {
            if let id = FileIdentity(path: cp.path), id.device == cp.device, id.inode == cp.inode { continue }
            forget.append(cp.key)
        }
        stored.removeAll { cp in forget.contains(cp.key) }
    }

    /// Starts following `path`: from its checkpoint when one matches its identity, else from the start.
    @discardableResult
    private func open(path: String, labelPath: String, now: Int64, unlinked: Bool = false) -> Bool {
        let fd = Foundation.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0, let id = FileIdentity(fd: fd) else {
            if fd >= 0 { close(fd) }
            return false
        }
        if let reason = options.confinement?.refusal(fd: fd, matchedPath: path) {
            close(fd)
            if refused.insert("\(id.device):\(id.inode)").inserted { warn(reason) }
            return false
        }
        // Kept by its real path (a kubelet link's target), so rotations are looked for where they happen.
        let realPath = PathConfinement.realPath(fd: fd) ?? path
        var position = SourcePosition(resume: 0)
        var skipping = false
        var label = labelPath
        var fpLength = min(Int(id.size), FileIdentity.fingerprintBytes)
        if let i = stored.firstIndex(where: { $0.device == id.device && $0.inode == id.inode }) {
            let cp = stored.remove(at: i)
            if FileIdentity.fingerprint(fd: fd, length: cp.fingerprintLength) == cp.fingerprint {
                if id.size < cp.position.resume {
                    warn("\(path) is shorter than its checkpoint (truncated while stopped); reading it from its start")
                } else {
                    position = cp.position
                    skipping = cp.skipping
                    label = cp.labelPath
                    fpLength = max(cp.fingerprintLength, fpLength)
                    if cp.done, id.size == cp.position.resume {
                        // Read to its end before; it has not grown.
                    }
                }
            }
            if fpLength != cp.fingerprintLength || FileIdentity.fingerprint(fd: fd, length: fpLength) != cp.fingerprint { forget.append(cp.key) }
        }
        guard let fp = FileIdentity.fingerprint(fd: fd, length: fpLength) else {
            close(fd)
            return false
        }
        lseek(fd, off_t(position.resume), SEEK_SET)
        let decoder = SourceDecoder(labels: Ingestor.labels(forPath: label, options: options.ingest), format: options.ingest.format,
                                    limits: options.ingest.limits, sink: builder)
        decoder.restore(position)
        let reader = LineReader(fd: fd, maxLine: options.ingest.limits.maxBytes, chunk: 256 << 10, startOffset: position.resume, skipping: skipping)
        let f = Tracked(fd: fd, path: realPath, labelPath: label, id: id, fpLength: fpLength, fp: fp, reader: reader, decoder: decoder,
                        counted: position.resume, now: now)
        f.unlinked = unlinked
        files.append(f)
        summary.files += 1
        return true
    }

    /// Files that were rotated to a name outside the globs while logsift was stopped: found again by inode
    /// next to where they were, and read to their end.
    private func adoptRotatedWhileStopped() {
        let now = Ingestor.nowNs()
        var matched = Set<String>()
        for glob in patterns {
            for path in glob.matches() { if let id = FileIdentity(path: path) { matched.insert("\(id.device):\(id.inode)") } }
        }
        for cp in stored where !matched.contains("\(cp.device):\(cp.inode)") {
            // Opened already (as a sibling of an earlier one)?
            if files.contains(where: { $0.device == cp.device && $0.inode == cp.inode }) { continue }
            let dir = (cp.path as NSString).deletingLastPathComponent
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.isEmpty ? "." : dir)) ?? []
            var found = false
            for name in names {
                let p = dir.isEmpty ? name : dir + "/" + name
                guard let id = FileIdentity(path: p), id.device == cp.device, id.inode == cp.inode else { continue }
                var st = stat()
                let mtime = stat(p, &st) == 0 ? Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec) : Int64.max
                if cp.done && id.size == cp.position.resume {
                    found = true
                } else {
                    found = open(path: p, labelPath: cp.labelPath, now: now, unlinked: true)
                }
                // Files rotated from the same name after it, while logsift was stopped, are read too.
                if found { adoptSiblings(origin: cp.path, labelPath: cp.labelPath, newerThan: mtime, now: now) }
                break
            }
            if !found {
                if !cp.done {
                    warn("\(cp.path) is gone (no file with its inode next to it); anything written to it after the last checkpoint is lost")
                }
                forget.append(cp.key)
                stored.removeAll { $0.key == cp.key }
            }
        }
    }

    /// When a followed file is rotated away, files rotated from the same name since tail started (faster
    /// than one rescan: `app.log.1`, kubelet's `0.log.20261119-101010`) are read too. Compressed ones are not.
    private func adoptSiblings(of f: Tracked, newerThan threshold: Int64, now: Int64) {
        let origin = f.path
        let dir = (origin as NSString).deletingLastPathComponent
        // Learn the rotated file's new name, so its checkpoint is kept while that name holds it.
        for name in (try? FileManager.default.contentsOfDirectory(atPath: dir.isEmpty ? "." : dir)) ?? [] {
            let p = dir.isEmpty ? name : dir + "/" + name
            if let id = FileIdentity(path: p), id.device == f.device, id.inode == f.inode { f.path = p; break }
        }
        adoptSiblings(origin: origin, labelPath: f.labelPath, newerThan: threshold, now: now)
    }

    /// Opens the files rotated from `origin`'s name (a real path) that were modified at or after `threshold`
    /// and that are neither followed nor finished; they are labelled as `labelPath`.
    private func adoptSiblings(origin: String, labelPath: String, newerThan threshold: Int64, now: Int64) {
        let base = (origin as NSString).lastPathComponent
        let dir = (origin as NSString).deletingLastPathComponent
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.isEmpty ? "." : dir)) ?? []
        for name in names.sorted() where name != base && (name.hasPrefix(base + ".") || name.hasPrefix(base + "-")) {
            if [".gz", ".zst", ".bz2", ".xz", ".zip"].contains(where: { name.hasSuffix($0) }) { continue }
            let p = dir.isEmpty ? name : dir + "/" + name
            var st = stat()
            guard stat(p, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { continue }
            let mtime = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
            guard mtime >= threshold else { continue }
            let dev = UInt64(st.st_dev), ino = UInt64(st.st_ino)
            if files.contains(where: { $0.device == dev && $0.inode == ino }) { continue }
            if stored.contains(where: { $0.device == dev && $0.inode == ino && $0.done && Int64(st.st_size) == $0.position.resume }) { continue }
            open(path: p, labelPath: labelPath, now: now, unlinked: true)
        }
    }

    private func warn(_ message: String) {
        summary.warnings.append(message)
        options.warn?(message)
    }

    // MARK: reading

    /// Reads what is there (at most 4 MiB per call, to stay fair between files). True if anything was read.
    private func pump(_ f: Tracked, now: Int64, writer: WriterThread) throws -> Bool {
        guard let id = FileIdentity(fd: f.fd) else { return false }
        if id.size < f.reader.offset + Int64(f.reader.buffered) {
            // copytruncate (or truncation): what was pending belongs to the old content; start over at 0.
            f.decoder.flush()
            lseek(f.fd, 0, SEEK_SET)
            f.reader = LineReader(fd: f.fd, maxLine: options.ingest.limits.maxBytes, chunk: 256 << 10)
            f.decoder = SourceDecoder(labels: f.decoder.labels, format: options.ingest.format, limits: options.ingest.limits, sink: builder)
            f.counted = 0
            // New content: the old fingerprint no longer describes it.
            forget.append(f.key)
            f.fpLength = min(Int(id.size), FileIdentity.fingerprintBytes)
            f.fp = FileIdentity.fingerprint(fd: f.fd, length: f.fpLength) ?? 0
        }
        let before = f.reader.offset + Int64(f.reader.buffered)
        var stored = false
        try f.reader.readAll(final: false, maxBytes: 4 << 20) { line, truncated, start, end in
            f.decoder.line(line, readNs: now, truncated: truncated, start: start, end: end)
            if builder.pendingBytes >= options.ingest.batchBytes { stored = true }
        }
        f.reader.releaseBuffer()
        if stored { try commit(writer) }
        let progressed = f.reader.offset + Int64(f.reader.buffered) > before
        if progressed { f.lastDataNs = now }
        return progressed
    }

    /// Idle work: partial lines past their timeout, pending joins past theirs, files to let go.
    private func settle(now: Int64) throws {
        for f in files where !f.done {
            let idle = now - f.lastDataNs
            let atEnd = (FileIdentity(fd: f.fd)?.size ?? 0) <= f.reader.offset + Int64(f.reader.buffered)
            if options.once, atEnd {
                try finishFile(f)
                continue
            }
            if f.reader.buffered > 0, idle >= Int64(options.partialLineSeconds * 1e9) {
                try f.reader.deliverPartial { line, truncated, start, end in
                    f.decoder.line(line, readNs: now, truncated: truncated, start: start, end: end)
                }
            }
            f.decoder.flush(idleSinceNs: now - options.ingest.limits.flushAfterNs)
            let deleted = (FileIdentity(fd: f.fd)?.links ?? 0) == 0
            if (f.unlinked || deleted), atEnd, idle >= Int64(options.releaseSeconds * 1e9) {
                try finishFile(f)
            }
        }
    }

    /// The file is complete: take its last partial line and pending events, and mark it done.
    private func finishFile(_ f: Tracked) throws {
        let now = Ingestor.nowNs()
        try f.reader.deliverPartial { line, truncated, start, end in
            f.decoder.line(line, readNs: now, truncated: truncated, start: start, end: end)
        }
        f.decoder.flush()
        f.done = true
    }

    // MARK: committing

    private func checkpoint(_ f: Tracked) -> TailCheckpoint {
        let pos = f.decoder.checkpoint(readerOffset: f.reader.offset)
        return TailCheckpoint(device: f.device, inode: f.inode, fingerprint: f.fp, fingerprintLength: f.fpLength, path: f.path,
                              labelPath: f.labelPath, position: pos, skipping: f.reader.isSkipping && pos.resume == f.reader.offset,
                              done: f.done)
    }

    /// Once the file has more bytes than its fingerprint covers, a longer fingerprint replaces it (new key).
    private func growFingerprint(_ f: Tracked, resume: Int64) {
        guard f.fpLength < FileIdentity.fingerprintBytes, resume > Int64(f.fpLength) else { return }
        let length = min(Int(resume), FileIdentity.fingerprintBytes)
        guard let fp = FileIdentity.fingerprint(fd: f.fd, length: length) else { return }
        forget.append(f.key)
        f.fpLength = length
        f.fp = fp
    }

    private func checkpointsChanged() -> Bool {
        files.contains { checkpoint($0) != $0.lastCheckpoint }
    }

    private func commit(_ writer: WriterThread, final: Bool = false) throws {
        builder.closeDedupWindows(nowNs: final ? Int64.max : Ingestor.nowNs())
        var checkpoints: [TailCheckpoint] = []
        var received: Int64 = 0
        for f in files {
            growFingerprint(f, resume: f.decoder.checkpoint(readerOffset: f.reader.offset).resume)
            let cp = checkpoint(f)
            received += cp.position.resume - f.counted
            f.counted = cp.position.resume
            if cp != f.lastCheckpoint { checkpoints.append(cp); f.lastCheckpoint = cp }
        }
        builder.counters.bytesReceived += received
        var batch = builder.takeBatch()
        batch.checkpoints = checkpoints
        batch.forget = forget.filter { key in !checkpoints.contains { $0.key == key } }
        forget = []
        // Finished files close; their final checkpoint stays known so a rescan does not read them again.
        for f in files where f.done && f.lastCheckpoint?.done == true { stored.append(f.lastCheckpoint!) }
        files.removeAll { $0.done && $0.lastCheckpoint?.done == true }
        if !batch.isEmpty { try writer.put(batch) }
    }

    private func printProgress(started: Int64, now: Int64) {
        let secs = Double(now - started) / 1e9
        let bytes = files.reduce(Int64(0)) { $0 + $1.reader.offset }
        let line = String(format: "\rtail: %d files, %.1f MB, %.1f MB/s   ", files.count, Double(bytes) / 1e6, secs > 0 ? Double(bytes) / 1e6 / secs : 0)
        FileHandle.standardError.write(line.data(using: .utf8)!)
    }
}
