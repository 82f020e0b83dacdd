import LogCore

extension BatchBuilder {
    /// Feeds an agent's batch into this builder: each event as the agent decoded it. When the agent ran the
    /// noise rules, its events are stored as they are (failures classified and tracked, templates mined here)
    /// and its drop accounting is the caller's to merge; otherwise this builder's rules run on them.
    /// The agent's counters are added, except those this builder counts again for every event it stores.
    public func add(shipped batch: ShipBatch) {
        let saved = filter
        if batch.filteredAtAgent { filter = nil }
        defer { filter = saved }
        for block in batch.blocks {
            let stream = stream(for: block.labels)
            block.bodies.withUnsafeBufferPointer { all in
                var offset = 0
                for i in 0..<block.count {
                    let n = Int(block.lengths[i])
                    store(stream: stream, ns: block.timestamps[i], flags: EventFlags(rawValue: block.flags[i]),
                          level: LogLevel(rawValue: block.levels[i]) ?? .unknown, format: BodyFormat(rawValue: block.formats[i]) ?? .plain,
                          body: UnsafeBufferPointer(rebasing: all[offset..<(offset + n)]))
                    offset += n
                }
            }
        }
        var c = batch.counters
        c.events = 0; c.eventBytes = 0; c.timeInherited = 0; c.badTimestamps = 0; c.multilineJoined = 0; c.failures = 0
        counters.add(c)
    }
}
