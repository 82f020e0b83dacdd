import LogCore

/// Search over the embedded store: prune streams by labels, partitions and blocks by time, blocks by
/// the term index; then check every event of the remaining blocks exactly. Newest first; a top-`limit`
/// search stops as soon as no remaining block can hold a newer match.
struct EmbeddedSearch {
    let reader: EmbeddedStoreReader
    let request: SearchRequest
    static let allLevels: Int64 = LogLevel.allCases.reduce(0) { $0 | 1 << Int64($1.rawValue) }

    static let maxPending = 1_024

    /// A candidate segment a top-`limit` search has yet to decode.
    struct PendingSegment {
        let maxTs: Int64
        let row: EmbeddedStoreReader.BlockRow
        let labels: StreamLabels
        let levels: Int64
        let probe: TermProbe?
        let stored: StoredBlockData
        let segment: Int
    }

    func run() throws -> SearchResult {
        let predicate = CompiledPredicate(request.predicate, templates: reader.templateIDs(matching:))
        let bounds = IndexPlan.timeBounds(request.predicate)
        let fromNs = max(request.fromNs, bounds.from), toNs = min(request.toNs, bounds.to)
        var result = SearchResult()
        guard fromNs <= toNs else { return result }
        // Streams whose labels may match (nil: they may not). A predicate naming labels reads them all first, and
        // stops here when none may match; any other reads the labels of the streams its blocks belong to (an id
        // lookup two, not every stream of the store: 0.1 ms of 0.4 with 132 streams, ms with thousands).
        var candidate: [Int64: StreamLabels?] = [:]
        let allStreamsRead = request.predicate.namesLabels
        if allStreamsRead {
            for (id, l) in try reader.streams() { candidate[id] = predicate.onLabels(l) != false ? l : nil }
            guard candidate.values.contains(where: { $0 != nil }) else { return result }
        }
        func streamLabels(_ id: Int64) throws -> StreamLabels? {
            if let known = candidate[id] { return known }
            if allStreamsRead { return nil }
            let l = try reader.stream(id).flatMap { predicate.onLabels($0) != false ? $0 : nil }
            candidate[id] = .some(l)
            return l
        }
        let match = IndexPlan.ftsExpression(request.predicate)
        let identifierTerms = IndexPlan.requiredIdentifierTerms(request.predicate)
        let identifiers = identifierTerms.map { $0.withUnsafeBufferPointer(Tokenizer.hash) }
        // Segments the Bloom filters pick rebuild only the texts that may hold these terms.
        let probe = TermProbe(identifierTerms)
        // Words every match holds: checked on the stored bytes before an event is built.
        let requiredText = IndexPlan.requiredText(request.predicate)
        let required = requiredText.map { TextMatcher(.phrase($0)) }
        // Template-encoded segments rebuild only the texts whose template can hold those words.
        let phrases = PhraseProbe(requiredText)
        let limit = max(request.limit, 0)
        // Newest matches: collected unsorted, pruned to the newest `limit` whenever twice that many
        // accumulate (amortised O(n log n)); `floor` is the oldest time still in the running after a prune.
        var top: [StoredEvent] = []
        var floor = Int64.min
        func prune() {
            top.sort { $0.ns > $1.ns }
            if top.count > limit { top.removeLast(top.count - limit) }
            if top.count == limit, let last = top.last { floor = last.ns }
        }
        let topN = !request.countOnly && limit > 0
        /// Checks every event of a decoded segment (or block) and collects the matches.
        func scan(_ block: EventBlock, first: Int, day: Int32, row: EmbeddedStoreReader.BlockRow) {
            var offset = 0
            for i in 0..<block.count {
                let len = Int(block.lengths[i])
                let ns = block.timestamps[i]
                defer { offset += len }
                guard ns >= fromNs, ns <= toNs else { continue }
                if !request.countOnly, ns < floor { continue }
                if !required.isEmpty {
                    let present = block.bodies.withUnsafeBufferPointer { all in
                        let text = UnsafeBufferPointer(rebasing: all[offset..<(offset + len)])
                        return required.allSatisfy { $0.occurs(in: text) }
                    }
                    guard present else { continue }
                }
                let e = block.event(i, textOffset: offset, location: EventLocation(day: day, block: row.id, index: first + i, streamID: row.streamID))
                guard predicate.matches(e) else { continue }
                result.count += 1
                if let w = request.bucketNs { result.buckets[Timestamp.floorDiv(ns, w) * w, default: 0] += 1 }
                if !topN { continue }
                top.append(e)
                if top.count / 2 >= limit { prune() }  // (not 2 * limit: a limit of Int.max would overflow)
            }
        }
        // A top-`limit` search decodes the candidate segments of a partition newest first across its blocks (blocks
        // come newest `max_ts` first; a block's segments wait in `pending` until no block still to come can hold a
        // newer one), and stops at the first segment older than the oldest match it keeps.
        var pending: [PendingSegment] = []
        var scannedBlocks: Set<Int64> = []
        func decode(_ p: PendingSegment, day: Int32) throws {
            if scannedBlocks.insert(p.row.id).inserted { result.blocksScanned += 1 }
            result.segmentsScanned += 1
            for (first, block) in try p.stored.decode(only: [p.segment], probe: p.probe, phrases: phrases, levels: p.levels, labels: p.labels, day: day) {
                scan(block, first: first, day: day, row: p.row)
            }
            if topN, top.count >= limit { prune() }
        }
        /// Decodes the pending segments newer than `ns` (or the `count` newest), newest first; false once the rest
        /// are older than `floor`.
        func drain(newerThan ns: Int64 = .min, count: Int = .max, day: Int32) throws -> Bool {
            var n = 0
            while n < count, let i = pending.indices.max(by: { pending[$0].maxTs < pending[$1].maxTs }), pending[i].maxTs > ns {
                if top.count >= limit, pending[i].maxTs < floor { pending.removeAll(); return false }
                try decode(pending.remove(at: i), day: day)
                n += 1
            }
            return true
        }
        for part in try reader.partitions(fromNs: fromNs, toNs: toNs) {
            var stop = false
            try reader.scanBlocks(partition: part.name, fromNs: fromNs, toNs: toNs, match: match, identifiers: identifiers) { row, bloom, stored in
                guard predicate.blockMayMatch(levels: row.levels, flags: row.flags), let labels = try streamLabels(row.streamID) else { return true }
                let picked: [Int]?
                switch bloom {
                case .none: return true
                case .whole: picked = nil
                case .segments(let k): picked = k
                }
                if topN {
                    guard try drain(newerThan: row.maxTs, day: part.day) else { stop = true; return false }
                    if top.count >= limit, row.maxTs < floor { stop = true; return false }
                }
                result.blocksCandidate += 1
                // Identifier probes only where the Bloom filters picked segments (an id the query requires).
                let probe = picked == nil ? nil : probe
                // Texts are rebuilt only for events of the levels that can match in this stream (`level:warn`).
                var levels: Int64 = 0
                for l in LogLevel.allCases where predicate.onLabelsAndLevel(labels, l) != false { levels |= 1 << Int64(l.rawValue) }
                if levels == Self.allLevels { levels = -1 }
                guard let summaries = try stored.summaries() else {
                    result.blocksScanned += 1
                    for (first, block) in try stored.decode(only: picked, probe: probe, phrases: phrases, levels: levels, labels: labels, day: part.day) {
                        scan(block, first: first, day: part.day, row: row)
                    }
                    return true
                }
                // Segments whose levels, flags and times may match.
                let segments = (picked ?? Array(summaries.indices)).filter { k in
                    let s = summaries[k]
                    return s.maxTs >= fromNs && s.minTs <= toNs && predicate.blockMayMatch(levels: s.levels, flags: s.flags)
                }
                for k in segments {
                    let p = PendingSegment(maxTs: summaries[k].maxTs, row: row, labels: labels, levels: levels, probe: probe, stored: stored, segment: k)
                    if topN { pending.append(p) } else { try decode(p, day: part.day) }
                }
                // Waiting segments outlive the visit: their block's bytes are copied out of SQLite's row.
                if topN, pending.contains(where: { $0.row.id == row.id }) { try stored.keep() }
                // At most ~1,000 waiting segments (~60 blocks' bytes): the newest go first, out of order but exact
                // (a segment is only ever passed over for being older than the oldest match kept).
                if pending.count > Self.maxPending {
                    guard try drain(count: pending.count - Self.maxPending * 3 / 4, day: part.day) else { stop = true; return false }
                }
                return true
            }
            if stop { break }
            guard try drain(day: part.day) else { break }
        }
        prune()
        result.events = top
        if !request.countOnly { result.count = max(result.count, top.count) }
        return result
    }
}
