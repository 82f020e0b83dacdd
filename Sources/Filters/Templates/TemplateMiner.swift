/// The id of a mined template: stable for the life of a miner, and usually across runs, since it hashes the
/// masked tokens of the line that created the template.
public struct TemplateID: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// 16 hex digits, as `template:` rules name it.
    public var description: String {
        let hex = String(rawValue, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Parses 16 (or fewer) hex digits.
    public init?(_ text: String) {
        guard !text.isEmpty, text.count <= 16, let v = UInt64(text, radix: 16) else { return nil }
        rawValue = v
    }
}

/// What a line's variables held, as bits that merge by union.
public struct VariableTraits: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// An identifier: letters and digits together (hex, UUIDs), a path with one, or a run of 8+ digits.
    public static let identifier = VariableTraits(rawValue: 1)
    /// A decimal with exactly two places, optionally after `$`.
    public static let amount = VariableTraits(rawValue: 2)
}

/// One template and its volume.
public struct MinedTemplate: Sendable, Equatable {
    public var id: TemplateID
    /// The tokens with variable positions as `<*>`, joined by spaces.
    public var text: String
    public var count: Int
    public var bytes: Int
}

/// An online Drain-style template miner (He et al., 2017): a fixed-depth prefix tree keyed by token count and
/// the first `depth` tokens leads to a few candidate clusters; the line joins the most similar one when at
/// least `similarity` of its positions agree, and differing positions become `<*>`.
///
/// Memory is bounded: past `maxClusters` templates, or once the templates hold `maxBytes` (their tokens and
/// words), lines that fit no template go to one overflow template per token count (past `maxBytes`, all to one:
/// `<*>`). The byte bound matters for multiline events: a traceback's template holds up to 2,048 bytes of frames,
/// and 4 GiB of the benchmark workload mined 18,602 templates, 16,807 of them over 500 bytes (ingest's peak RSS
/// was 181 MiB, against 105 MiB at 1 GiB; 101 MiB with a bound of 16 MiB).
/// Not thread-safe; one miner belongs to one ingest stage.
public final class TemplateMiner {
    public let similarity: Double
    public let depth: Int
    public let maxClusters: Int
    public let maxBytes: Int
    /// What the templates hold, as ``maxBytes`` counts it.
    public private(set) var heldBytes = 0

    private struct Cluster {
        var id: TemplateID
        var tokens: [UInt64]
        var words: [String]
        var count = 0
        var bytes = 0
    }

    // One miner per pipeline, used by its thread only: no dynamic exclusivity checks on every access.
    @exclusivity(unchecked) private var clusters: [Cluster] = []
    @exclusivity(unchecked) private var leaves: [UInt64: [Int32]] = [:]
    @exclusivity(unchecked) private var byID: [TemplateID: Int32] = [:]
    @exclusivity(unchecked) private var overflow: [Int: Int32] = [:]
    @exclusivity(unchecked) private var tokens: [UInt64] = []
    @exclusivity(unchecked) private var ranges: [Range<Int>] = []

    /// The last added line's content apart from its measures (numbers, durations, times, addresses): a hash of
    /// its constant words, identifiers and amounts. Equal signatures mean "the same line again".
    @exclusivity(unchecked) public private(set) var lastSignature: UInt64 = 0
    /// What the last added line's variables held (``VariableTraits``).
    @exclusivity(unchecked) public private(set) var lastTraits = VariableTraits()

    public init(similarity: Double = 0.7, depth: Int = 1, maxClusters: Int = 20_000, maxBytes: Int = 24 << 20) {
        self.similarity = similarity
        self.depth = depth
        self.maxClusters = maxClusters
        self.maxBytes = maxBytes
        tokens.reserveCapacity(256)
        ranges.reserveCapacity(256)
    }

    /// Adds one line and returns the id of its template.
    @discardableResult
    public func add(_ text: UnsafeBufferPointer<UInt8>) -> TemplateID {
        tokens.removeAll(keepingCapacity: true)
        ranges.removeAll(keepingCapacity: true)
        var signature: UInt64 = 0xcbf2_9ce4_8422_2325
        var traits = VariableTraits()
        TokenMasking.forEachClassifiedToken(text) { h, r, raw, kind in
            tokens.append(h); ranges.append(r)
            switch kind {
            case .none: signature = (signature ^ h) &* 0x0000_0100_0000_01B3
            case .measure: signature = (signature ^ 0x9E37) &* 0x0000_0100_0000_01B3
            case .identifier: signature = (signature ^ raw) &* 0x0000_0100_0000_01B3; traits.insert(.identifier)
            case .amount: signature = (signature ^ raw) &* 0x0000_0100_0000_01B3; traits.insert(.amount)
            }
        }
        // Finalised (murmur3 fmix64) so that its top bits, which pick the distinct-line sketch's bit, are well mixed.
        signature = (signature ^ (signature >> 33)) &* 0xff51_afd7_ed55_8ccd
        signature = (signature ^ (signature >> 33)) &* 0xc4ce_b9fe_1a85_ec53
        lastSignature = signature ^ (signature >> 33)
        lastTraits = traits
        let leafKey = leafKey()
        var best = -1, bestSim = -1.0, bestParams = -1
        if let cands = leaves[leafKey] {
            for c in cands {
                let (sim, params) = score(clusters[Int(c)].tokens)
                if sim > bestSim || (sim == bestSim && params > bestParams) { best = Int(c); bestSim = sim; bestParams = params }
            }
        }
        if best >= 0, bestSim >= similarity || tokens.isEmpty {
            merge(into: best)
        } else if clusters.count < maxClusters, heldBytes < maxBytes {
            best = clusters.count
            let words = zip(tokens, ranges).map { h, r in
                h == TokenMasking.wildcard ? "<*>" : String(decoding: UnsafeBufferPointer(rebasing: text[r]), as: UTF8.self)
            }
            // A token's hash and its word (16 bytes, and its bytes past 15 on the heap), the cluster and its indexes.
            heldBytes += 128 + tokens.count * 24 + ranges.reduce(0) { $0 + ($1.count > 15 ? 32 + $1.count : 0) }
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for t in tokens { h = (h ^ t) &* 0x0000_0100_0000_01B3 }
            var id = TemplateID(rawValue: h)
            while byID[id] != nil { id = TemplateID(rawValue: id.rawValue &+ 1) }
            clusters.append(Cluster(id: id, tokens: tokens, words: words))
            byID[id] = Int32(best)
            leaves[leafKey, default: []].append(Int32(best))
        } else {
            best = overflowCluster()
        }
        clusters[best].count += 1
        clusters[best].bytes += text.count
        return clusters[best].id
    }

    @discardableResult
    public func add(_ text: String) -> TemplateID {
        var s = text
        return s.withUTF8 { add($0) }
    }

    /// The current text of a template.
    public func template(_ id: TemplateID) -> String? { byID[id].map { clusters[Int($0)].words.joined(separator: " ") } }

    /// All templates, most frequent first.
    public var templates: [MinedTemplate] {
        clusters.map { MinedTemplate(id: $0.id, text: $0.words.joined(separator: " "), count: $0.count, bytes: $0.bytes) }
            .sorted { $0.count > $1.count }
    }

    public var templateCount: Int { clusters.count }

    private func leafKey() -> UInt64 {
        var h = UInt64(tokens.count) &* 0x9E37_79B9_7F4A_7C15
        for k in 0..<min(depth, tokens.count) { h = (h ^ tokens[k]) &* 0x0000_0100_0000_01B3 }
        return h
    }

    /// Drain's similarity: the share of positions where the template's token equals the line's (a masked
    /// token of the line counts as equal to `<*>`; a constant token of the line does not).
    private func score(_ t: [UInt64]) -> (Double, Int) {
        guard t.count == tokens.count, !t.isEmpty else { return (t.count == tokens.count ? 1 : 0, 0) }
        var same = 0, params = 0
        for k in 0..<t.count {
            if t[k] == TokenMasking.wildcard { params += 1 }
            if t[k] == tokens[k] { same += 1 }
        }
        return (Double(same) / Double(t.count), params)
    }

    private func merge(into c: Int) {
        for k in 0..<tokens.count where clusters[c].tokens[k] != tokens[k] && clusters[c].tokens[k] != TokenMasking.wildcard {
            clusters[c].tokens[k] = TokenMasking.wildcard
            clusters[c].words[k] = "<*>"
        }
    }

    /// The overflow template for this line: one per token count while the templates fit in ``maxBytes``, then one
    /// for every line (`<*>`), so that lines of ever new lengths cannot grow the miner either.
    private func overflowCluster() -> Int {
        let width = heldBytes < maxBytes ? tokens.count : -1
        if let c = overflow[width] { return Int(c) }
        let id = TemplateID(rawValue: 0xFFFF_0000_0000_0000 | UInt64(UInt32(truncatingIfNeeded: width)))
        let c = clusters.count
        // Never scored or merged (it is in no leaf): its text is all it needs.
        let words = width < 0 ? ["<*>"] : width == 0 ? [] : [String(repeating: "<*> ", count: width - 1) + "<*>"]
        clusters.append(Cluster(id: id, tokens: [], words: words))
        heldBytes += 128 + 4 * max(width, 1)
        byID[id] = Int32(c)
        overflow[width] = Int32(c)
        return c
    }
}
