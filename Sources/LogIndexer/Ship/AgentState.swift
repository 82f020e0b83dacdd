import Foundation

/// What `logsift tail --ship` keeps in its state directory: its agent id, the last acknowledged sequence number
/// and the files' acknowledged positions (`agent.json`, replaced atomically), and the batch in flight
/// (`inflight.lsb`, written before it is sent and removed once it is acknowledged and `agent.json` says so).
///
/// After a crash the batch in flight is sent again byte for byte (same id), so the server either stores it
/// or recognises it; only then does reading resume, from the positions it leads to.
public struct AgentState: Sendable {
    public let directory: String
    public private(set) var agent: String
    public private(set) var seq: UInt64 = 0
    /// Acknowledged positions by file key.
    public private(set) var files: [String: TailCheckpoint] = [:]

    var statePath: String { directory + "/agent.json" }
    public var inflightPath: String { directory + "/inflight.lsb" }

    /// Opens (creating) the state directory; a new directory gets a new random agent id.
    public init(directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        agent = UUID().uuidString.lowercased()
        guard let data = FileManager.default.contents(atPath: statePath) else {
            // Saved at once: a batch left in flight names this id, and must still be ours after a crash.
            try save()
            return
        }
        guard let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let a = obj["agent"] as? String, !a.isEmpty,
              let s = obj["seq"] as? NSNumber, let rows = obj["files"] as? [[String: Any]] else {
            throw ShipWireError("\(statePath) does not read back; move it away to start over (files are then sent again from their start)")
        }
        agent = a
        seq = s.uint64Value
        for r in rows {
            guard let cp = Self.checkpoint(r) else { throw ShipWireError("\(statePath): a file position does not read back") }
            files[cp.key] = cp
        }
    }

    public var checkpoints: [TailCheckpoint] { files.values.sorted { $0.path < $1.path } }

    /// The acknowledged batch's positions become the state (not yet saved).
    public mutating func apply(_ batch: ShipBatch) {
        seq = max(seq, batch.seq)
        for cp in batch.checkpoints { files[cp.key] = cp }
        for key in batch.forget where !batch.checkpoints.contains(where: { $0.key == key }) { files[key] = nil }
    }

    /// Writes `agent.json` atomically (temporary file, fsync, rename, fsync of the directory).
    public func save() throws {
        let rows: [[String: Any]] = checkpoints.map { cp in
            ["device": NSNumber(value: cp.device), "inode": NSNumber(value: cp.inode), "fp": NSNumber(value: cp.fingerprint),
             "fpLength": cp.fingerprintLength, "path": cp.path, "labelPath": cp.labelPath, "resume": NSNumber(value: cp.position.resume),
             "skips": cp.position.skipsText, "skipping": cp.skipping, "done": cp.done]
        }
        let data = try JSONSerialization.data(withJSONObject: ["agent": agent, "seq": NSNumber(value: seq), "files": rows], options: [.sortedKeys])
        try Self.writeDurably(Array(data), to: statePath)
    }

    public func writeInflight(_ body: [UInt8]) throws { try Self.writeDurably(body, to: inflightPath) }

    public func removeInflight() { unlink(inflightPath) }

    public func inflight() -> [UInt8]? { FileManager.default.contents(atPath: inflightPath).map { Array($0) } }

    static func writeDurably(_ bytes: [UInt8], to path: String) throws {
        let tmp = path + ".tmp"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ShipWireError("cannot write \(tmp): \(String(cString: strerror(errno)))") }
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n <= 0 { close(fd); throw ShipWireError("cannot write \(tmp): \(String(cString: strerror(errno)))") }
            off += n
        }
        fsync(fd)
        close(fd)
        guard rename(tmp, path) == 0 else { throw ShipWireError("cannot rename \(tmp): \(String(cString: strerror(errno)))") }
        let dir = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_CLOEXEC)
        if dir >= 0 { fsync(dir); close(dir) }
    }

    static func checkpoint(_ r: [String: Any]) -> TailCheckpoint? {
        guard let device = r["device"] as? NSNumber, let inode = r["inode"] as? NSNumber, let fp = r["fp"] as? NSNumber,
              let fpLength = r["fpLength"] as? Int, (0...1024).contains(fpLength), let path = r["path"] as? String,
              let labelPath = r["labelPath"] as? String, let resume = r["resume"] as? NSNumber, resume.int64Value >= 0,
              let skips = r["skips"] as? String, let pos = SourcePosition(resume: resume.int64Value, skipsText: skips) else { return nil }
        return TailCheckpoint(device: device.uint64Value, inode: inode.uint64Value, fingerprint: fp.uint64Value, fingerprintLength: fpLength,
                              path: path, labelPath: labelPath, position: pos, skipping: (r["skipping"] as? Bool) ?? false,
                              done: (r["done"] as? Bool) ?? false)
    }
}
