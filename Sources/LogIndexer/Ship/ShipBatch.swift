import Foundation
import LogCore
public import Filters

/// One batch `logsift tail --ship` sends to `logsift serve`: the events the agent's pipeline kept (already
/// decoded, joined and, by default, filtered), its drop accounting and counters, and the files' positions after it.
///
/// Its id is the agent (a random id made once per checkpoint directory, so a node that loses its state starts a
/// new sequence instead of colliding with its old one), the node, and a sequence number that grows by one per
/// batch. The positions say which byte range of each file the batch covers (`from` → `checkpoints`). The
/// server commits the id in the same transaction as the events and answers a repeated id with 2xx and nothing stored.
public struct ShipBatch: Sendable {
    public var agent: String
    public var node: String
    public var seq: UInt64
    /// The noise rules ran at the agent (its accounting is in `noise`); false: the server runs its own.
    public var filteredAtAgent: Bool
    public var blocks: [EventBlock] = []
    public var noise = FilterAccounting()
    public var counters = IngestCounters()
    /// Positions of the files this batch read from, before it (the ones the previous batch acknowledged).
    public var from: [TailCheckpoint] = []
    /// Positions after it (what the agent resumes from once the server has acknowledged it).
    public var checkpoints: [TailCheckpoint] = []
    public var forget: [String] = []

    public init(agent: String, node: String, seq: UInt64, filteredAtAgent: Bool) {
        self.agent = agent
        self.node = node
        self.seq = seq
        self.filteredAtAgent = filteredAtAgent
    }

    /// `agent/seq`: what the server echoes when it has committed (or already had) the batch.
    public var id: String { "\(agent)/\(seq)" }

    public var eventCount: Int { blocks.reduce(0) { $0 + $1.count } }

    static let magic: [UInt8] = Array("LSB1".utf8)

    /// The uncompressed wire form (little-endian, length-prefixed; see ``decode(_:)``).
    public func encode() -> [UInt8] {
        var w = ShipWireWriter()
        w.bytes(Self.magic)
        w.string(agent); w.string(node); w.u64(seq); w.u8(filteredAtAgent ? 1 : 0)
        w.string(String(decoding: (try? JSONEncoder().encode(counters)) ?? Data("{}".utf8), as: UTF8.self))
        w.u32(UInt32(blocks.count))
        for b in blocks {
            let l = b.labels
            for s in [l.source, l.namespace, l.pod, l.container, l.stream, l.deployment, l.version] { w.string(s) }
            w.i64(Int64(b.day))
            w.u32(UInt32(b.count))
            for i in 0..<b.count {
                w.i64(b.timestamps[i]); w.u8(b.levels[i]); w.u16(b.flags[i]); w.u8(b.formats[i]); w.u32(b.lengths[i])
            }
            w.u32(UInt32(b.bodies.count)); w.bytes(b.bodies)
        }
        w.u32(UInt32(noise.buckets.count))
        for (k, c) in noise.buckets.sorted(by: { ($0.key.rule, $0.key.hourNs, $0.key.deployment) < ($1.key.rule, $1.key.hourNs, $1.key.deployment) }) {
            w.string(k.rule); w.i64(k.hourNs); w.string(k.deployment)
            for (_, t) in c.named { w.i64(Int64(t.events)); w.i64(Int64(t.bytes)) }
        }
        w.u32(UInt32(noise.summaries.count))
        for (name, s) in noise.summaries.sorted(by: { $0.key < $1.key }) {
            w.string(name); w.i64(Int64(s.count)); w.i64(s.firstNs); w.i64(s.lastNs); w.string(s.example)
        }
        for list in [from, checkpoints] {
            w.u32(UInt32(list.count))
            for cp in list {
                w.u64(cp.device); w.u64(cp.inode); w.u64(cp.fingerprint); w.i64(Int64(cp.fingerprintLength))
                w.string(cp.path); w.string(cp.labelPath); w.i64(cp.position.resume); w.string(cp.position.skipsText)
                w.u8((cp.skipping ? 1 : 0) | (cp.done ? 2 : 0))
            }
        }
        w.u32(UInt32(forget.count))
        for k in forget { w.string(k) }
        return w.out
    }

    /// Reads the wire form; throws ``ShipWireError`` on anything malformed (never traps on hostile input).
    public static func decode(_ data: [UInt8]) throws -> ShipBatch {
        var r = ShipWireReader(data)
        guard try r.bytes(4) == magic else { throw ShipWireError("not a logsift ship batch (bad magic)") }
        var b = ShipBatch(agent: try r.string(), node: try r.string(), seq: try r.u64(), filteredAtAgent: try r.u8() != 0)
        guard !b.agent.isEmpty, b.agent.count <= 64, b.agent.utf8.allSatisfy({ $0 == 0x2D || (0x30...0x39).contains($0) || (0x61...0x7A).contains($0) }),
              !b.node.isEmpty, b.seq > 0 else { throw ShipWireError("a ship batch needs an agent id (a-z, 0-9, -), a node and a sequence number") }
        guard let counters = try? JSONDecoder().decode(IngestCounters.self, from: Data(try r.string().utf8)) else {
            throw ShipWireError("bad counters")
        }
        b.counters = counters
        for _ in 0..<(try r.count()) {
            let s = try (0..<7).map { _ in try r.string() }
            var block = EventBlock(labels: StreamLabels(source: s[0], namespace: s[1], pod: s[2], container: s[3], stream: s[4],
                                                        deployment: s[5], version: s[6]), day: Int32(truncatingIfNeeded: try r.i64()))
            let n = try r.count()
            var total = 0
            for _ in 0..<n {
                block.timestamps.append(try r.i64()); block.levels.append(try r.u8()); block.flags.append(try r.u16())
                block.formats.append(try r.u8())
                let len = try r.u32()
                block.lengths.append(len)
                total += Int(len)
                block.templates.append(0)
            }
            block.bodies = try r.bytes(Int(try r.u32()))
            guard block.bodies.count == total else { throw ShipWireError("a block's texts do not add up to its lengths") }
            b.blocks.append(block)
        }
        for _ in 0..<(try r.count()) {
            let key = FilterAccounting.Key(rule: try r.string(), hourNs: try r.i64(), deployment: try r.string())
            var t: [FilterAccounting.Tally] = []
            for _ in 0..<7 { t.append(FilterAccounting.Tally(events: Int(try r.i64()), bytes: Int(try r.i64()))) }
            var c = FilterAccounting.Counts()
            c.dropped = t[0]; c.sampled = t[1]; c.deduplicated = t[2]; c.throttled = t[3]; c.keptByRule = t[4]; c.redacted = t[5]
            c.rescued = t[6]
            b.noise.buckets[key] = c
        }
        for _ in 0..<(try r.count()) {
            let name = try r.string()
            b.noise.summaries[name] = FilterAccounting.RuleSummary(count: Int(try r.i64()), firstNs: try r.i64(), lastNs: try r.i64(),
                                                                   example: try r.string())
        }
        for list in 0..<2 {
            var out: [TailCheckpoint] = []
            for _ in 0..<(try r.count()) {
                let device = try r.u64(), inode = try r.u64(), fp = try r.u64(), fpLength = try r.i64()
                let path = try r.string(), labelPath = try r.string(), resume = try r.i64()
                guard let pos = SourcePosition(resume: resume, skipsText: try r.string()), resume >= 0, (0...1024).contains(fpLength) else {
                    throw ShipWireError("bad file position")
                }
                let bits = try r.u8()
                out.append(TailCheckpoint(device: device, inode: inode, fingerprint: fp, fingerprintLength: Int(fpLength), path: path,
                                          labelPath: labelPath, position: pos, skipping: bits & 1 != 0, done: bits & 2 != 0))
            }
            if list == 0 { b.from = out } else { b.checkpoints = out }
        }
        for _ in 0..<(try r.count()) { b.forget.append(try r.string()) }
        guard r.atEnd else { throw ShipWireError("trailing bytes after the batch") }
        return b
    }

    /// zstd-compressed wire form (what goes in the request body, `Content-Encoding: zstd`).
    public func compressed(level: Int32 = 3) -> [UInt8] {
        let raw = encode()
        return raw.withUnsafeBytes { ZstdCodec(level: level).compress($0) }
    }

    /// Decompresses (at most `limit` bytes) and decodes a request body.
    public static func decompress(_ body: [UInt8], limit: Int) throws -> ShipBatch {
        let raw: [UInt8]
        do {
            raw = try body.withUnsafeBytes { try ZstdCodec().decompress($0, limit: limit) }
        } catch {
            throw ShipWireError("the body is not a zstd frame of at most \(limit) bytes")
        }
        return try decode(raw)
    }

    /// The byte ranges this batch covers, per file (`path from-to`), for messages.
    public var ranges: [String] {
        checkpoints.map { cp in
            let start = from.first { $0.key == cp.key }?.position.resume ?? 0
            return "\(cp.path) \(start)-\(cp.position.resume)"
        }
    }
}

public struct ShipWireError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ d: String) { description = d }
}

struct ShipWireWriter {
    var out: [UInt8] = []
    mutating func u8(_ v: UInt8) { out.append(v) }
    mutating func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
    mutating func i64(_ v: Int64) { u64(UInt64(bitPattern: v)) }
    mutating func bytes(_ b: [UInt8]) { out.append(contentsOf: b) }
    mutating func string(_ s: String) { let b = Array(s.utf8); u32(UInt32(b.count)); out.append(contentsOf: b) }
}

struct ShipWireReader {
    let data: [UInt8]
    var at = 0
    init(_ d: [UInt8]) { data = d }
    var atEnd: Bool { at == data.count }

    mutating func bytes(_ n: Int) throws -> [UInt8] {
        guard n >= 0, n <= data.count - at else { throw ShipWireError("truncated batch") }
        defer { at += n }
        return Array(data[at..<(at + n)])
    }
    mutating func u8() throws -> UInt8 { try bytes(1)[0] }
    mutating func u16() throws -> UInt16 { let b = try bytes(2); return UInt16(b[0]) | UInt16(b[1]) << 8 }
    mutating func u32() throws -> UInt32 { let b = try bytes(4); return b.reversed().reduce(0) { $0 << 8 | UInt32($1) } }
    mutating func u64() throws -> UInt64 { let b = try bytes(8); return b.reversed().reduce(0) { $0 << 8 | UInt64($1) } }
    mutating func i64() throws -> Int64 { Int64(bitPattern: try u64()) }
    /// An element count, bounded by what is left (each element takes at least one byte).
    mutating func count() throws -> Int {
        let n = Int(try u32())
        guard n <= data.count - at else { throw ShipWireError("count \(n) beyond the batch") }
        return n
    }
    mutating func string() throws -> String { String(decoding: try bytes(Int(try u32())), as: UTF8.self) }
}
