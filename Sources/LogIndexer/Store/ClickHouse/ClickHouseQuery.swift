import LogCore
import Filters

/// A query as a ClickHouse condition: exact where SQL can say what the event predicate says (levels, flags,
/// failures, time, and/or/not of exact parts), a superset elsewhere (words and label values as case-insensitive
/// substrings), and nothing where it cannot help. A superset is never negated, so the condition never drops a
/// row the exact predicate keeps; the exact predicate then decides each row.
struct ClickHouseQuery {
    let dialect: ClickHouseDialect

    /// The condition (nil: none) and whether it is exact.
    func condition(_ p: SearchPredicate) -> (sql: String?, exact: Bool) {
        switch p {
        case .all: return (nil, true)
        case .and(let xs):
            let parts = xs.map(condition)
            let sqls = parts.compactMap(\.sql)
            return (sqls.isEmpty ? nil : "(" + sqls.joined(separator: " AND ") + ")", parts.allSatisfy(\.exact))
        case .or(let xs):
            let parts = xs.map(condition)
            if let open = parts.first(where: { $0.sql == nil }) { return (nil, open.exact && parts.allSatisfy(\.exact)) }
            return ("(" + parts.compactMap(\.sql).joined(separator: " OR ") + ")", parts.allSatisfy(\.exact))
        case .not(let x):
            let (sql, exact) = condition(x)
            guard exact else { return (nil, false) }
            return (sql.map { "NOT " + $0 } ?? "0", true)
        case .match(let field?, let pattern) where CompiledPredicate.isEventProperty(FieldKind(field)):
            if pattern.isAnything { return (nil, true) }
            guard case .phrase(let raw) = pattern else { return (nil, false) }
            let value = raw.lowercased()
            switch FieldKind(field) {
            case .flag(let f):
                switch value {
                case "true", "yes", "1": return ("bitAnd(flags, \(f.rawValue)) != 0", true)
                case "false", "no", "0": return ("bitAnd(flags, \(f.rawValue)) = 0", true)
                default: return ("0", true)
                }
            case .kind:
                let failure = "bitAnd(flags, \(EventFlags.failure.rawValue)) != 0"
                if value == "failure" { return (failure, true) }
                if FailureKind(rawValue: value) != nil { return (failure, false) }
                return (nil, false)
            default: return (nil, false)
            }
        case .match(let field, let pattern):
            switch field.map(FieldKind.init) ?? .message {
            case .level:
                if pattern.isAnything { return ("level != \(LogLevel.unknown.rawValue)", true) }
                if case .phrase(let s) = pattern, let l = LogLevel(name: s) { return ("level = \(l.rawValue)", true) }
                return (nil, false)
            case .label(let name):
                if case .phrase(let s) = pattern, !s.isEmpty { return (dialect.contains(name, s), false) }
                return (nil, false)
            case .message:
                if case .phrase(let s) = pattern, !s.isEmpty { return (dialect.contains("text", s), false) }
                return (nil, false)
            default: return (nil, false)
            }
        case .range(let field, let op, let value):
            switch FieldKind(field) {
            case .level:
                guard let l = LogLevel(name: value) else { return ("0", true) }
                return ("(level != \(LogLevel.unknown.rawValue) AND level \(op.rawValue) \(l.rawValue))", true)
            case .time:
                guard let t = Timestamp.parse(value) else { return ("0", true) }
                return ("ns \(op.rawValue) \(t)", true)
            default: return (nil, false)
            }
        case .exists: return (nil, false)
        }
    }
}
