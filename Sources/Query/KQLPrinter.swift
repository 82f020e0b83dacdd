/// Writes queries back as KQL text.
///
/// For every tree the parser produces, `KQL.parse(KQLPrinter.print(node)) == node`: values are escaped
/// just enough to read back the same (special characters, keywords, tabs and line breaks), and groups
/// get parentheses only where precedence or nesting needs them.
public enum KQLPrinter {
    /// How to lay out the query.
    public enum Style: Sendable {
        /// Lower-case keywords and parentheses only where needed: `a: 1 and (b: 2 or c: 3)`.
        case minimal
        /// Kibana's `toKqlExpression` layout: upper-case keywords and every `and`/`or` in parentheses,
        /// `(a: 1 AND (b: 2 OR c: 3))`. Values are escaped as in `.minimal`, which differs from Kibana's
        /// own `escapeKuery` in that it also escapes `{ }` and writes `not` so that it cannot be read as `\n`.
        case kibana
    }

    /// The query as KQL text.
    public static func print(_ node: QueryNode, style: Style = .minimal) -> String {
        var out = ""
        write(node, style: style, to: &out)
        return out
    }

    /// A value as KQL text: a quoted phrase, or an escaped unquoted literal.
    public static func print(_ value: QueryValue) -> String {
        switch value {
        case .phrase(let text):
            return "\"" + KQLEscaping.quoted(text) + "\""
        case .literal(let text):
            // An empty literal cannot be written bare; an escaped space is trimmed to it.
            return text.isEmpty ? "\\u0020" : KQLEscaping.unquoted([.text(text)])
        case .wildcard(let pattern):
            return KQLEscaping.unquoted(pattern.parts)
        }
    }

    /// A field name as KQL text; quoted when it was quoted or cannot be written bare.
    public static func print(_ field: FieldName) -> String {
        guard let name = field.name else { return KQLEscaping.unquoted(field.pattern.parts) }
        if !field.isQuoted && name.isEmpty { return "\\u0020" }
        if field.isQuoted || !KQLEscaping.canWriteUnquoted(name) { return "\"" + KQLEscaping.quoted(name) + "\"" }
        return KQLEscaping.unquoted([.text(name)])
    }

    private static func write(_ node: QueryNode, style: Style, to out: inout String) {
        switch simplified(node) {
        case .matchAll:
            out += "*: *"
        case .and(let children):
            writeGroup(children, isAnd: true, style: style, to: &out)
        case .or(let children):
            writeGroup(children, isAnd: false, style: style, to: &out)
        case .not(let child):
            out += style == .kibana ? "NOT " : "not "
            // `not` takes a group, a nested query or a single expression; `not not x` does not parse.
            switch simplified(child) {
            case .and, .or:
                if style == .kibana { write(child, style: style, to: &out) } else { writeParenthesized(child, style: style, to: &out) }
            case .not:
                writeParenthesized(child, style: style, to: &out)
            default:
                write(child, style: style, to: &out)
            }
        case .is(let field, let value):
            if let field {
                out += print(field)
                out += ": "
            }
            out += print(value)
        case .range(let field, let op, let value):
            out += print(field)
            out += " " + op.symbol + " "
            out += print(value)
        case .exists(let field):
            out += print(field)
            out += ": *"
        case .nested(let path, let query):
            out += print(path)
            out += ": { "
            write(query, style: style, to: &out)
            out += " }"
        }
    }

    /// `a and b`, with a child in parentheses when it would otherwise merge into this group or, for
    /// `or` inside `and`, bind differently. Kibana style wraps the group itself.
    private static func writeGroup(_ children: [QueryNode], isAnd: Bool, style: Style, to out: inout String) {
        let keyword = switch (style, isAnd) {
        case (.minimal, true): " and "
        case (.minimal, false): " or "
        case (.kibana, true): " AND "
        case (.kibana, false): " OR "
        }
        if style == .kibana { out += "(" }
        for (index, child) in children.enumerated() {
            if index > 0 { out += keyword }
            let needsParentheses: Bool
            switch (style, simplified(child)) {
            case (.kibana, _): needsParentheses = false  // every group brings its own
            case (_, .or): needsParentheses = true
            case (_, .and): needsParentheses = isAnd
            default: needsParentheses = false
            }
            if needsParentheses { writeParenthesized(child, style: style, to: &out) } else { write(child, style: style, to: &out) }
        }
        if style == .kibana { out += ")" }
    }

    private static func writeParenthesized(_ node: QueryNode, style: Style, to out: inout String) {
        out += "("
        write(node, style: style, to: &out)
        out += ")"
    }

    /// Groups the parser never builds, as the query they mean: one child is that child, no children is
    /// everything (`and`) or nothing (`or`).
    private static func simplified(_ node: QueryNode) -> QueryNode {
        switch node {
        case .and(let children) where children.count < 2:
            children.first.map(simplified) ?? .matchAll
        case .or(let children) where children.count < 2:
            children.first.map(simplified) ?? .not(.matchAll)
        default:
            node
        }
    }
}
