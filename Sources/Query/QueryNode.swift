/// A parsed KQL query.
///
/// The parser builds one canonical tree per query: `and`/`or` have at least two children and are flat
/// within one level of parentheses (`a or (b or c)` keeps its group), `field:*` is ``exists(field:)``,
/// `*:*` and the empty query are ``matchAll``, and a field match never has a lone-wildcard value. Trees
/// built by hand in another shape still print, but may parse back in canonical form.
public indirect enum QueryNode: Hashable, Sendable {
    /// Every document: the empty query, or `*:*`.
    case matchAll
    /// All children match (`a and b`).
    case and([QueryNode])
    /// At least one child matches (`a or b`).
    case or([QueryNode])
    /// The child does not match (`not a`).
    case not(QueryNode)
    /// `field:value`, or a free-text `value` searched in the default fields when `field` is nil.
    case `is`(field: FieldName?, value: QueryValue)
    /// `field > value`, `>=`, `<` or `<=`.
    case range(field: FieldName, op: RangeOp, value: QueryValue)
    /// `field:*`: the field has any value.
    case exists(field: FieldName)
    /// `path:{ query }`: `query` holds within one object of the nested field `path`.
    case nested(path: FieldName, query: QueryNode)
}

/// The comparison of a range query.
public enum RangeOp: String, Hashable, Sendable, CaseIterable {
    /// `>`
    case gt
    /// `>=`
    case gte
    /// `<`
    case lt
    /// `<=`
    case lte

    /// The operator as written in KQL.
    public var symbol: String {
        switch self {
        case .gt: ">"
        case .gte: ">="
        case .lt: "<"
        case .lte: "<="
        }
    }
}

extension QueryNode: CustomStringConvertible {
    /// The query as KQL text; see ``KQLPrinter``.
    public var description: String { KQLPrinter.print(self) }

    /// The query as KQL text, such that `KQL.parse(node.kqlString) == node` for canonical trees.
    public var kqlString: String { KQLPrinter.print(self) }
}
