/// The field on the left of `:`, a range operator or a nested `{ }` group.
///
/// Unquoted names may hold wildcards (`machine*:osx` searches every field whose name matches); a quoted
/// name (`"extension":jpg`) is always literal. ``isQuoted`` records how the name was written so that a
/// query prints back the way it was typed; it does not change which field is meant.
public struct FieldName: Hashable, Sendable {
    /// The name; wildcards only when unquoted.
    public let pattern: WildcardPattern
    /// True when the name was written in double quotes.
    public let isQuoted: Bool

    /// A field name without wildcards.
    public init(_ name: String, quoted: Bool = false) {
        self.pattern = WildcardPattern(literal: name)
        self.isQuoted = quoted
    }

    /// An unquoted field name that may contain wildcards.
    public init(pattern: WildcardPattern) {
        self.pattern = pattern
        self.isQuoted = false
    }

    /// The lone wildcard `*`: every field.
    public static let all = FieldName(pattern: .any)

    /// The name when it has no wildcard, else nil.
    public var name: String? { pattern.literalText }

    /// True when the name holds a wildcard and so may denote several fields.
    public var isWildcard: Bool { pattern.hasWildcard }
}

extension FieldName: ExpressibleByStringLiteral {
    /// A literal, unquoted field name.
    public init(stringLiteral value: String) {
        self.init(value)
    }
}

extension FieldName: CustomStringConvertible {
    /// The name with wildcards written as `*`.
    public var description: String { pattern.globText }
}
