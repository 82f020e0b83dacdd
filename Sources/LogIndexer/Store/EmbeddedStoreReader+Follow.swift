import LogCore

/// Where a live tail has read up to: the newest block id seen in each partition.
public struct FollowCursor: Sendable, Equatable {
    var seen: [Int32: Int64] = [:]

    /// Before every block: following from it visits the whole store.
    public init() {}
}

/// Live tail of new matching events (`search --follow`).
extension EmbeddedStoreReader {
    /// A cursor at the current end of the store: following from it returns only events committed later.
    public func followCursor() throws -> FollowCursor {
        try snapshot {
            var c = FollowCursor()
            for (day, name) in try partitions(fromNs: Int64.min, toNs: Int64.max) {
                c.seen[day] = try db.scalarInt("SELECT coalesce(max(id), 0) FROM blocks_\(name)") ?? 0
            }
            return c
        }
    }

    /// Matching events in blocks committed after `cursor`, in commit order (oldest first within a block),
    /// and the cursor after them.
    public func follow(_ request: SearchRequest, after cursor: FollowCursor) throws -> (events: [StoredEvent], cursor: FollowCursor) {
        var out: [StoredEvent] = []
        let next = try forEachMatch(request, after: cursor) { out.append($0) }
        return (out, next)
    }

    /// Calls `body` with every matching event of the blocks committed after `cursor` (all of them from an
    /// empty cursor), day by day and block by block in commit order, holding one block at a time; returns
    /// the cursor after them (`export`, `follow`).
    @discardableResult
    public func forEachMatch(_ request: SearchRequest, after cursor: FollowCursor = FollowCursor(),
                             _ body: (StoredEvent) throws -> Void) throws -> FollowCursor {
        try snapshot {
            var next = cursor
            let predicate = CompiledPredicate(request.predicate, templates: templateIDs(matching:))
            let bounds = IndexPlan.timeBounds(request.predicate)
            let fromNs = max(request.fromNs, bounds.from), toNs = min(request.toNs, bounds.to)
            let streams = try self.streams()
            let parts = try partitions(fromNs: Int64.min, toNs: Int64.max).sorted { $0.day < $1.day }
            for (day, name) in parts {
                let s = try db.prepare("SELECT id, stream_id, levels, flags, min_ts, max_ts FROM blocks_\(name) WHERE id > ? ORDER BY id")
                let data = try db.prepare("SELECT data FROM blocks_\(name) WHERE id = ?")
                s.bind(1, cursor.seen[day] ?? 0)
                while try s.step() {
                    let id = s.int(0), sid = s.int(1)
                    next.seen[day] = max(next.seen[day] ?? 0, id)
                    guard s.int(5) >= fromNs, s.int(4) <= toNs, let labels = streams[sid], predicate.onLabels(labels) != false,
                          predicate.blockMayMatch(levels: s.int(2), flags: s.int(3)) else { continue }
                    data.reset()
                    data.bind(1, id)
                    guard try data.step() else { continue }
                    let block = try decodeBlock(data.blob(0), labels: labels, day: day)
                    data.reset()
                    var offset = 0
                    for i in 0..<block.count {
                        let len = Int(block.lengths[i])
                        defer { offset += len }
                        let ns = block.timestamps[i]
                        guard ns >= fromNs, ns <= toNs else { continue }
                        let e = block.event(i, textOffset: offset, location: EventLocation(day: day, block: id, index: i, streamID: sid))
                        if predicate.matches(e) {
                            try body(e)
                        }
                    }
                }
                s.reset()
            }
            return next
        }
    }
}
