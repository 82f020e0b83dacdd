/// The value side of a field match or a range, or a free-text term.
public enum QueryValue: Hashable, Sendable {
    /// A quoted phrase (`"a b"`): matched as a phrase, with `*` a plain character.
    case phrase(String)
    /// An unquoted value without wildcards, unescaped and with surrounding whitespace removed.
    /// Number-looking text stays text (`070` is kept as written); `true`, `false` and `null` are typed by
    /// ``typed``.
    case literal(String)
    /// An unquoted value with at least one unescaped `*`.
    case wildcard(WildcardPattern)

    /// A value typed the way Kibana types literals.
    public enum Typed: Hashable, Sendable {
        /// Phrases and unquoted literals other than `true`, `false` and `null`, numbers included.
        case string(String)
        /// Unquoted `true` or `false`.
        case boolean(Bool)
        /// Unquoted `null`.
        case null
        /// An unquoted value with wildcards.
        case wildcard(WildcardPattern)
    }

    /// The value as Kibana types it (`fromLiteralExpression`): only the exact unquoted words `true`,
    /// `false` and `null` change type.
    public var typed: Typed {
        switch self {
        case .phrase(let text): .string(text)
        case .wildcard(let pattern): .wildcard(pattern)
        case .literal("true"): .boolean(true)
        case .literal("false"): .boolean(false)
        case .literal("null"): .null
        case .literal(let text): .string(text)
        }
    }

    /// The text of the value, wildcards written as `*`.
    public var text: String {
        switch self {
        case .phrase(let text), .literal(let text): text
        case .wildcard(let pattern): pattern.globText
        }
    }

    /// True for the lone wildcard `*`.
    public var isLoneWildcard: Bool {
        if case .wildcard(let pattern) = self { pattern.isLoneWildcard } else { false }
    }
}

extension QueryValue: CustomStringConvertible {
    /// The value as KQL text.
    public var description: String { KQLPrinter.print(self) }
}
