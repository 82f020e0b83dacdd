import LogCore

/// The events around a hit in its container's log (`search -A/-B/-C`, the API's `context=`, the UI): the
/// container's stdout and stderr merged in time order, as `kubectl logs` and Kibana's surrounding documents
/// show them.
extension EmbeddedStoreReader {
    /// Up to `before` events of the hit's container log (``StreamLabels/containerLog``: both its streams) just
    /// before the event at `location`, and up to `after` just after it, oldest first. The hit's own stream is
    /// read in stored order; the other stream's events are placed by time, ties in stored order (block, then
    /// position). Rescued events are included (with their flag); dropped ones are not stored.
    public func context(of event: StoredEvent, before: Int, after: Int) throws -> (before: [StoredEvent], after: [StoredEvent]) {
        guard let location = event.location else { return ([], []) }
        return try context(of: location, before: before, after: after)
    }

    public func context(of location: EventLocation, before: Int, after: Int) throws -> (before: [StoredEvent], after: [StoredEvent]) {
        try snapshot {
            let all = try streams()
            guard let labels = all[location.streamID] else { return ([], []) }
            let own = try streamNeighbours(of: location, labels: labels, before: before, after: after)
            let log = labels.containerLog
            let siblings = all.filter { $0.key != location.streamID && $0.value.containerLog == log }.sorted { $0.key < $1.key }
            guard let hit = own.hit, !siblings.isEmpty else { return (own.before, own.after) }
            let pivot = ContextKey(hit)
            var earlier = own.before, later = own.after
            for (id, siblingLabels) in siblings {
                if before > 0 { earlier += try events(false, of: pivot, streamID: id, labels: siblingLabels, limit: before) }
                if after > 0 { later += try events(true, of: pivot, streamID: id, labels: siblingLabels, limit: after) }
            }
            earlier.sort { ContextKey($0) < ContextKey($1) }
            later.sort { ContextKey($0) < ContextKey($1) }
            return (Array(earlier.suffix(before)), Array(later.prefix(after)))
        }
    }

    /// Orders events of one container log: by time, then by where they are stored.
    struct ContextKey: Comparable {
        var ns: Int64, day: Int32, block: Int64, index: Int

        init(_ e: StoredEvent) {
            ns = e.ns
            day = e.location?.day ?? 0
            block = e.location?.block ?? 0
            index = e.location?.index ?? 0
        }

        static func < (a: Self, b: Self) -> Bool { (a.ns, a.day, a.block, a.index) < (b.ns, b.day, b.block, b.index) }
    }

    /// The hit and its neighbours in its own stream, in stored order.
    private func streamNeighbours(of location: EventLocation, labels: StreamLabels, before: Int, after: Int) throws
        -> (before: [StoredEvent], hit: StoredEvent?, after: [StoredEvent]) {
        var earlier: [StoredEvent] = [], later: [StoredEvent] = []
        var hit: StoredEvent? = nil
        var cursor: (day: Int32, id: Int64)? = (location.day, location.block)
        var first = true
        // Backwards from the hit (its block is read even for no earlier events: the hit's time places the other stream).
        while let c = cursor, first || earlier.count < before {
            guard let events = try loadBlock(day: c.day, id: c.id, streamID: location.streamID, labels: labels) else { break }
            let end = first ? location.index : events.count
            if first, location.index < events.count { hit = events[location.index] }
            first = false
            for e in events[..<min(end, events.count)].reversed() where earlier.count < before { earlier.append(e) }
            if earlier.count >= before { break }
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
        return (earlier.reversed(), hit, later)
    }

    /// Up to `limit` events of another stream that come before `pivot` (blocks that begin by then, newest stored
    /// first, from the pivot's day back) or after it (`forward`: blocks that end after it, oldest stored first,
    /// from the pivot's day on).
    private func events(_ forward: Bool, of pivot: ContextKey, streamID: Int64, labels: StreamLabels, limit: Int) throws -> [StoredEvent] {
        var found: [StoredEvent] = []
        for day in try days(from: pivot.day, forward: forward) {
            let name = EmbeddedStore.partitionName(day: day)
            let s = try db.prepare(forward
                ? "SELECT id FROM blocks_\(name) WHERE stream_id = ? AND max_ts >= ? ORDER BY id"
                : "SELECT id FROM blocks_\(name) WHERE stream_id = ? AND min_ts <= ? ORDER BY id DESC")
            s.bind(1, streamID); s.bind(2, pivot.ns)
            var ids: [Int64] = []
            while try s.step() { ids.append(s.int(0)) }
            for id in ids {
                guard let events = try loadBlock(day: day, id: id, streamID: streamID, labels: labels) else { continue }
                found += events.filter { forward ? pivot < ContextKey($0) : ContextKey($0) < pivot }
                if found.count >= limit { return found }
            }
        }
        return found
    }

    /// The stored days from `day` (included) backwards or forwards.
    private func days(from day: Int32, forward: Bool) throws -> [Int32] {
        let s = try db.prepare(forward ? "SELECT day FROM partitions WHERE day >= ? ORDER BY day" : "SELECT day FROM partitions WHERE day <= ? ORDER BY day DESC")
        s.bind(1, Int64(day))
        var out: [Int32] = []
        while try s.step() { out.append(Int32(s.int(0))) }
        return out
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
        for day in try days(from: c.day, forward: forward) where day != c.day {
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

extension EmbeddedStoreReader: SearchReader {}
