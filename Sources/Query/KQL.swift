/// Kibana Query Language (KQL): parsing and the utilities Kibana offers beside it.
///
/// ```swift
/// let query = try KQL.parse("response:200 and not extension:(php or html)")
/// ```
///
/// The grammar, its precedence (`not` over `and` over `or`), escapes and error messages follow Kibana's
/// `kbn-es-query` package, quirks included: `not` followed by whitespace ends a value even inside a word
/// (`cannot x` is an error), and `\not` is a line break followed by `ot`. See ``QueryNode`` for the tree
/// and ``KQLPrinter`` for the way back to text.
///
/// Where this differs from Kibana: an unquoted `null` field name is the field called `null` (Kibana reads
/// `null:x` as free text); an escape of half a surrogate pair (`\uD800`) reads as U+FFFD; there is no
/// autocompletion cursor; leading wildcards are always allowed (check
/// ``WildcardPattern/hasLeadingWildcard`` to refuse them); and queries are limited in size and nesting.
public enum KQL {
    /// Longest query accepted, in UTF-8 bytes (64 KiB).
    public static let maxQueryBytes = 64 * 1024

    /// Deepest nesting of parentheses and braces accepted.
    public static let maxNestingDepth = 100

    /// Parses a KQL query. Blank text is ``QueryNode/matchAll``.
    public static func parse(_ text: String) throws(QuerySyntaxError) -> QueryNode {
        var parser = try KQLParser(text)
        return try parser.parseQuery()
    }

    /// Parses a single value the way Kibana's `fromLiteralExpression` does: a quoted phrase, or an
    /// unquoted literal that may hold escapes and wildcards.
    public static func parseLiteral(_ text: String) throws(QuerySyntaxError) -> QueryValue {
        var parser = try KQLParser(text)
        return try parser.parseLiteralOnly()
    }

    /// Whether the query searches free text anywhere, i.e. has a value with no field (Kibana's
    /// `getIsKqlFreeTextExpression`): `foo`, `a:b and foo`; not `a:b`, `*:*` or the empty query.
    public static func isFreeText(_ text: String) throws(QuerySyntaxError) -> Bool {
        try parse(text).hasFreeText
    }
}

extension QueryNode {
    /// True when some part of the query matches a value without a field (Kibana's `getIsKqlFreeText`).
    /// Nested groups, ranges and exists tests name a field and so are never free text.
    public var hasFreeText: Bool {
        switch self {
        case .and(let children), .or(let children): children.contains { $0.hasFreeText }
        case .not(let child): child.hasFreeText
        case .is(let field, _): field == nil
        case .matchAll, .range, .exists, .nested: false
        }
    }
}
