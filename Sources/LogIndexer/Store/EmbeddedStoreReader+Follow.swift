public import LogCore

/// Where a live tail has read up to: the newest block id seen in each partition.
public struct FollowCursor: Sendable, Equatable {
    var seen: [Int32: Int64] = [:]
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
        try snapshot {
            var next = cursor
            var out: [StoredEvent] = []
            let predicate = CompiledPredicate(request.predicate, templates: templateIDs(matching:))
            let streams = try self.streams()
            let parts = try partitions(fromNs: Int64.min, toNs: Int64.max).sorted { $0.day < $1.day }
            for (day, name) in parts {
                let s = try db.prepare("SELECT id, stream_id, levels, flags, data FROM blocks_\(name) WHERE id > ? ORDER BY id")
                s.bind(1, cursor.seen[day] ?? 0)
                while try s.step() {
                    let id = s.int(0), sid = s.int(1)
                    next.seen[day] = max(next.seen[day] ?? 0, id)
                    guard let labels = streams[sid], predicate.onLabels(labels) != false,
                          predicate.blockMayMatch(levels: s.int(2), flags: s.int(3)) else { continue }
                    let block = try decodeBlock(s.blob(4), labels: labels, day: day)
                    var offset = 0
                    for i in 0..<block.count {
                        let len = Int(block.lengths[i])
                        defer { offset += len }
                        let ns = block.timestamps[i]
                        guard ns >= request.fromNs, ns <= request.toNs else { continue }
                        let e = StoredEvent(labels: labels, ns: ns, level: LogLevel(rawValue: block.levels[i]) ?? .unknown,
                                            flags: EventFlags(rawValue: block.flags[i]), format: BodyFormat(rawValue: block.formats[i]) ?? .plain,
                                            text: Array(block.bodies[offset..<(offset + len)]), template: block.templates[i],
                                            location: EventLocation(day: day, block: id, index: i, streamID: sid))
                        var cached: EventFields? = nil
                        if predicate.matches(e, fields: { if let c = cached { return c }; let f = EventFields(e); cached = f; return f }) {
                            out.append(e)
                        }
                    }
                }
                s.reset()
            }
            return (out, next)
        }
    }
}
