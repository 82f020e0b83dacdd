/// Text in which some positions are wildcards (`*`, any run of characters, possibly empty).
///
/// KQL tells a wildcard star from a literal one by escaping: in `foo*bar` the star is a wildcard, in
/// `foo\*bar` it is the character `*`. A pattern keeps that difference as ``parts``: literal text never
/// contains a wildcard, so `"a*b"` as text and `a` `*` `b` as a wildcard are different patterns.
///
/// Parts are kept normalised (adjacent texts merged, empty texts dropped), so two patterns that match
/// the same way as written compare equal. Consecutive wildcards are kept as written (`a**b`).
public struct WildcardPattern: Hashable, Sendable {
    /// One segment of a pattern.
    public enum Part: Hashable, Sendable {
        /// Literal text, matched exactly (`*` in it is a plain character).
        case text(String)
        /// A wildcard: any sequence of characters, including none.
        case wildcard
    }

    /// The segments, normalised.
    public let parts: [Part]

    /// A pattern from segments; adjacent texts are merged and empty texts dropped.
    public init(parts: some Sequence<Part>) {
        var normalised: [Part] = []
        for part in parts {
            switch part {
            case .wildcard:
                normalised.append(.wildcard)
            case .text(let text):
                if text.isEmpty { continue }
                if case .text(let previous)? = normalised.last {
                    normalised[normalised.count - 1] = .text(previous + text)
                } else {
                    normalised.append(.text(text))
                }
            }
        }
        self.parts = normalised
    }

    /// A pattern without wildcards: `text` matches only itself.
    public init(literal text: String) {
        self.init(parts: [.text(text)])
    }

    /// A pattern in which every `*` of `glob` is a wildcard (as Kibana's `wildcard.buildNode` reads a string).
    public init(glob: String) {
        var parts: [Part] = []
        var first = true
        for piece in glob.split(separator: "*", omittingEmptySubsequences: false) {
            if !first { parts.append(.wildcard) }
            parts.append(.text(String(piece)))
            first = false
        }
        self.init(parts: parts)
    }

    /// The lone wildcard `*`.
    public static let any = WildcardPattern(parts: [.wildcard])

    /// True when at least one part is a wildcard.
    public var hasWildcard: Bool { parts.contains(.wildcard) }

    /// True for the pattern `*` alone: an exists test rather than a text match. As in Kibana, `**` is
    /// not a lone wildcard.
    public var isLoneWildcard: Bool { parts == [.wildcard] }

    /// True when the pattern starts with a wildcard and is not a lone wildcard (Kibana's
    /// `hasLeadingWildcard`; Elasticsearch can refuse such queries).
    public var hasLeadingWildcard: Bool { parts.first == .wildcard && !isLoneWildcard }

    /// The text when the pattern has no wildcard, else nil.
    public var literalText: String? {
        switch parts.count {
        case 0: ""
        case 1: if case .text(let text) = parts[0] { text } else { nil }
        default: nil
        }
    }

    /// The pattern with each wildcard written as `*` (literal stars are not distinguished).
    public var globText: String {
        var out = ""
        for part in parts {
            switch part {
            case .text(let text): out += text
            case .wildcard: out += "*"
            }
        }
        return out
    }

    /// The pattern as an Elasticsearch `query_string` query: text parts have the `query_string`
    /// reserved characters backslash-escaped, wildcards stay `*` (Kibana's `toQueryStringQuery`).
    public var queryStringQuery: String {
        var out = ""
        for part in parts {
            switch part {
            case .wildcard:
                out += "*"
            case .text(let text):
                for scalar in text.unicodeScalars {
                    if Self.queryStringReserved.contains(scalar) { out += "\\" }
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    private static let queryStringReserved = Set("+-=&|><!(){}[]^\"~*?:\\/".unicodeScalars)
}

extension WildcardPattern: CustomStringConvertible {
    /// The pattern as KQL writes it unquoted: wildcards as `*`, literal stars and other special
    /// characters escaped.
    public var description: String { KQLEscaping.unquoted(parts) }
}
