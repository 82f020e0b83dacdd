import Foundation

/// The id of a batch shipped by an agent: committed with the batch's events.
public struct ShippedBatchID: Sendable, Equatable {
    public var agent: String
    public var node: String
    public var seq: UInt64
    public init(agent: String, node: String, seq: UInt64) {
        self.agent = agent
        self.node = node
        self.seq = seq
    }
}

extension EmbeddedStoreWriter {
    /// The last sequence number committed for `agent` (0: none yet). An agent sends one batch at a time, so a
    /// batch whose number is at most this one is a resend of one already stored.
    public func committedSeq(agent: String) throws -> UInt64 {
        let s = try db.prepare("SELECT seq FROM shipped_batches WHERE agent = ?")
        s.bind(1, agent)
        defer { s.reset() }
        return try s.step() ? UInt64(bitPattern: s.int(0)) : 0
    }

    /// Inside the batch's transaction.
    func writeShipped(_ id: ShippedBatchID) throws {
        let up = try db.prepare("""
        INSERT INTO shipped_batches(agent, node, seq, committed_ns) VALUES(?,?,?,?)
        ON CONFLICT(agent) DO UPDATE SET node = excluded.node, seq = max(seq, excluded.seq), committed_ns = excluded.committed_ns
        """)
        up.bind(1, id.agent); up.bind(2, id.node); up.bind(3, Int64(bitPattern: id.seq))
        up.bind(4, Int64(Date().timeIntervalSince1970 * 1e9))
        try up.step()
    }
}
