public import LogCore

/// The events around a hit, in its stream's stored order (`search -A/-B/-C`).
extension EmbeddedStoreReader {
    /// Up to `before` events stored just before the event at `location` in its stream, and up to `after`
    /// just after it, oldest first. Rescued events are included (with their flag), dropped ones are not stored.
    public func context(of location: EventLocation, before: Int, after: Int) throws -> (before: [StoredEvent], after: [StoredEvent]) {
        try snapshot {
            guard let labels = try streams()[location.streamID] else { return ([], []) }
            var earlier: [StoredEvent] = [], later: [StoredEvent] = []
            var cursor: (day: Int32, id: Int64)? = (location.day, location.block)
            var first = true
            // Backwards from the hit.
            while let c = cursor, earlier.count < before {
                guard let events = try loadBlock(day: c.day, id: c.id, streamID: location.streamID, labels: labels) else { break }
                let end = first ? location.index : events.count
                first = false
                for e in events[..<min(end, events.count)].reversed() where earlier.count < before { earlier.append(e) }
                cursor = try neighbour(of: c, streamID: location.streamID, forward: false)
            }
            cursor = (location.day, location.block)
            first = true
            while let c = cursor, later.count < after {
                guard let events = try loadBlock(day: c.day, id: c.id, streamID: location.streamID, labels: labels) else { break }
                let start = first ? location.index + 1 : 0
                first = false
                if start < events.count { for e in events[start...] where later.count < after { later.append(e) } }
                cursor = try neighbour(of: c, streamID: location.streamID, forward: true)
            }
            return (earlier.reversed(), later)
        }
    }

    private func loadBlock(day: Int32, id: Int64, streamID: Int64, labels: StreamLabels) throws -> [StoredEvent]? {
        let name = EmbeddedStore.partitionName(day: day)
        let s = try db.prepare("SELECT data FROM blocks_\(name) WHERE id = ?")
        s.bind(1, id)
        guard try s.step() else { return nil }
        let block = try decodeBlock(s.blob(0), labels: labels, day: day)
        s.reset()
        var out: [StoredEvent] = []
        out.reserveCapacity(block.count)
        var offset = 0
        for i in 0..<block.count {
            out.append(block.event(i, textOffset: offset, location: EventLocation(day: day, block: id, index: i, streamID: streamID)))
            offset += Int(block.lengths[i])
        }
        return out
    }

    /// The stream's next (or previous) block: in the same partition by id, else in the nearest other day.
    private func neighbour(of c: (day: Int32, id: Int64), streamID: Int64, forward: Bool) throws -> (day: Int32, id: Int64)? {
        let name = EmbeddedStore.partitionName(day: c.day)
        let s = try db.prepare(forward
            ? "SELECT id FROM blocks_\(name) WHERE stream_id = ? AND id > ? ORDER BY id LIMIT 1"
            : "SELECT id FROM blocks_\(name) WHERE stream_id = ? AND id < ? ORDER BY id DESC LIMIT 1")
        s.bind(1, streamID); s.bind(2, c.id)
        if try s.step() { let id = s.int(0); s.reset(); return (c.day, id) }
        let days = try db.prepare(forward ? "SELECT day FROM partitions WHERE day > ? ORDER BY day" : "SELECT day FROM partitions WHERE day < ? ORDER BY day DESC")
        days.bind(1, Int64(c.day))
        var candidates: [Int32] = []
        while try days.step() { candidates.append(Int32(days.int(0))) }
        for day in candidates {
            let other = EmbeddedStore.partitionName(day: day)
            let q = try db.prepare(forward
                ? "SELECT id FROM blocks_\(other) WHERE stream_id = ? ORDER BY id LIMIT 1"
                : "SELECT id FROM blocks_\(other) WHERE stream_id = ? ORDER BY id DESC LIMIT 1")
            q.bind(1, streamID)
            if try q.step() { let id = q.int(0); q.reset(); return (day, id) }
        }
        return nil
    }
}
