public import Query

extension SearchPredicate {
    /// Translates the query language's AST into an executable predicate.
    ///
    /// Unquoted free text `a b` means both words must occur (the first search's rule: all terms match);
    /// a quoted phrase must occur as written. `field:*` is an existence test. Nested queries `a:{ b:1 }`
    /// become dotted fields `a.b`.
    public init(_ node: QueryNode, prefix: String = "") {
        switch node {
        case .matchAll:
            self = .all
        case .and(let xs):
            self = .and(xs.map { SearchPredicate($0, prefix: prefix) })
        case .or(let xs):
            self = .or(xs.map { SearchPredicate($0, prefix: prefix) })
        case .not(let x):
            self = .not(SearchPredicate(x, prefix: prefix))
        case .is(let field, let value):
            let name = field.flatMap { $0.isWildcard ? nil : $0.name }.map { prefix + $0 }
            if let name, value.isLoneWildcard {
                self = .exists(field: name)
                return
            }
            switch value {
            case .phrase(let s):
                self = .match(field: name, .phrase(s))
            case .literal(let s):
                let words = name == nil ? s.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init) : [s]
                self = words.count == 1 ? .match(field: name, .phrase(words[0])) : .and(words.map { .match(field: name, .phrase($0)) })
            case .wildcard(let pattern):
                if pattern.isLoneWildcard { self = .all; return }
                var pieces: [String] = [""]
                for part in pattern.parts {
                    switch part {
                    case .text(let t): pieces[pieces.count - 1] += t
                    case .wildcard: pieces.append("")
                    }
                }
                self = .match(field: name, .wildcard(pieces))
            }
        case .range(let field, let op, let value):
            let rop: RangeOperator = switch op {
            case .gt: .gt
            case .gte: .gte
            case .lt: .lt
            case .lte: .lte
            }
            self = .range(field: prefix + (field.name ?? field.description), op: rop, value: value.text)
        case .exists(let field):
            self = .exists(field: prefix + (field.name ?? field.description))
        case .nested(let path, let query):
            self = SearchPredicate(query, prefix: prefix + (path.name ?? path.description) + ".")
        }
    }
}
