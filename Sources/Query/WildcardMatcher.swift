/// A ``WildcardPattern`` prepared for matching many values.
///
/// A value matches when the whole value is covered by the pattern: text parts match themselves exactly and
/// each wildcard matches any run of characters, including line breaks and the empty run (Kibana's
/// `wildcard.test`, a regular expression anchored at both ends with `[\s\S]*` per wildcard). Matching is
/// case-sensitive unless `caseInsensitive` is set, in which case both sides are lower-cased first
/// (Elasticsearch's `case_insensitive` for wildcard queries).
public struct WildcardMatcher: Sendable {
    /// UTF-8 of the text between wildcards: `head`, then `middle` in order, then `tail`.
    private let head: [UInt8]
    private let middle: [[UInt8]]
    private let tail: [UInt8]
    /// False when the pattern has no wildcard: the value must equal `head`.
    private let hasWildcard: Bool
    private let caseInsensitive: Bool

    /// Prepares `pattern`.
    public init(_ pattern: WildcardPattern, caseInsensitive: Bool = false) {
        self.caseInsensitive = caseInsensitive
        var segments: [[UInt8]] = [[]]
        var wildcards = 0
        for part in pattern.parts {
            switch part {
            case .wildcard:
                wildcards += 1
                segments.append([])
            case .text(let text):
                let folded = caseInsensitive ? text.lowercased() : text
                segments[segments.count - 1].append(contentsOf: folded.utf8)
            }
        }
        hasWildcard = wildcards > 0
        if hasWildcard {
            head = segments[0]
            tail = segments.count > 1 ? segments[segments.count - 1] : []
            middle = segments.count > 2 ? Array(segments[1..<(segments.count - 1)]).filter { !$0.isEmpty } : []
        } else {
            head = segments[0]
            tail = []
            middle = []
        }
    }

    /// Whether all of `value` matches the pattern.
    public func matches(_ value: String) -> Bool {
        var value = value
        if caseInsensitive { value = value.lowercased() }
        return value.withUTF8 { matchesFolded($0) }
    }

    /// Whether all of the UTF-8 text `value` matches the pattern. With `caseInsensitive`, ASCII text is
    /// folded in a copy; other text is lower-cased as a `String`.
    public func matches(utf8 value: UnsafeBufferPointer<UInt8>) -> Bool {
        guard caseInsensitive else { return matchesFolded(value) }
        if value.allSatisfy({ $0 < 0x80 }) {
            var folded = [UInt8](value)
            for i in folded.indices where folded[i] >= 65 && folded[i] <= 90 { folded[i] |= 0x20 }
            return folded.withUnsafeBufferPointer { matchesFolded($0) }
        }
        return matches(String(decoding: value, as: UTF8.self))
    }

    private func matchesFolded(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        guard hasWildcard else { return Self.equal(value, 0, head) && value.count == head.count }
        guard value.count >= head.count + tail.count,
              Self.equal(value, 0, head),
              Self.equal(value, value.count - tail.count, tail)
        else { return false }
        // Leftmost placement of each middle segment is optimal when the only operator is `*`.
        var from = head.count
        let limit = value.count - tail.count
        for segment in middle {
            guard let at = Self.find(segment, in: value, from: from, limit: limit) else { return false }
            from = at + segment.count
        }
        return true
    }

    private static func equal(_ value: UnsafeBufferPointer<UInt8>, _ offset: Int, _ segment: [UInt8]) -> Bool {
        guard offset >= 0, offset + segment.count <= value.count else { return false }
        for i in 0..<segment.count where value[offset + i] != segment[i] { return false }
        return true
    }

    private static func find(_ segment: [UInt8], in value: UnsafeBufferPointer<UInt8>, from: Int, limit: Int) -> Int? {
        guard let first = segment.first else { return from }
        var start = from
        while start + segment.count <= limit {
            if value[start] == first, equal(value, start, segment) { return start }
            start += 1
        }
        return nil
    }
}

extension WildcardPattern {
    /// Whether all of `value` matches this pattern; see ``WildcardMatcher`` for the rules and for
    /// matching many values without preparing the pattern each time.
    public func matches(_ value: String, caseInsensitive: Bool = false) -> Bool {
        WildcardMatcher(self, caseInsensitive: caseInsensitive).matches(value)
    }
}
