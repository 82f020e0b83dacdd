public import LogCore

/// Evaluates a ``SearchPredicate`` on stream labels alone (for pruning) and on whole events (exactly).
struct CompiledPredicate {
    indirect enum Node {
        case all
        case and([Node]), or([Node]), not(Node)
        case text(FieldKind, TextMatcher, isAnything: Bool)
        case range(FieldKind, RangeOperator, String)
        case exists(FieldKind)
    }

    let root: Node
    /// True when some node needs the message or structured fields (parsing the event text).
    let needsFields: Bool

    init(_ p: SearchPredicate) {
        var needs = false
        func compile(_ p: SearchPredicate) -> Node {
            switch p {
            case .all: return .all
            case .and(let xs): return .and(xs.map(compile))
            case .or(let xs): return .or(xs.map(compile))
            case .not(let x): return .not(compile(x))
            case .match(let field, let pattern):
                let kind = field.map(FieldKind.init) ?? .message
                if field != nil, case .message = kind { needs = true }
                if case .structured = kind { needs = true }
                return .text(field == nil ? .structured("") : kind, TextMatcher(pattern), isAnything: pattern.isAnything)
            case .range(let f, let op, let v):
                let kind = FieldKind(f)
                if case .structured = kind { needs = true }
                return .range(kind, op, v)
            case .exists(let f):
                let kind = FieldKind(f)
                if case .structured = kind { needs = true }
                return .exists(kind)
            }
        }
        root = compile(p)
        needsFields = needs
    }

    // MARK: labels only (nil = depends on the events)

    func onLabels(_ l: StreamLabels) -> Bool? { Self.labels(root, l) }

    private static func labels(_ n: Node, _ l: StreamLabels) -> Bool? {
        switch n {
        case .all: return true
        case .and(let xs):
            var unknown = false
            for x in xs { switch labels(x, l) { case false?: return false; case nil: unknown = true; default: break } }
            return unknown ? nil : true
        case .or(let xs):
            var unknown = false
            for x in xs { switch labels(x, l) { case true?: return true; case nil: unknown = true; default: break } }
            return unknown ? nil : false
        case .not(let x): return labels(x, l).map { !$0 }
        case .text(.label(let name), let m, _): return m.matchesWhole(l[label: name] ?? "")
        case .exists(.label(let name)): return !(l[label: name] ?? "").isEmpty
        default: return nil
        }
    }

    // MARK: events

    func matches(_ e: StoredEvent, fields: () -> EventFields) -> Bool { Self.eval(root, e, fields) }

    private static func eval(_ n: Node, _ e: StoredEvent, _ fields: () -> EventFields) -> Bool {
        switch n {
        case .all: return true
        case .and(let xs): return xs.allSatisfy { eval($0, e, fields) }
        case .or(let xs): return xs.contains { eval($0, e, fields) }
        case .not(let x): return !eval(x, e, fields)
        case .text(let kind, let m, let any):
            switch kind {
            case .label(let name): return m.matchesWhole(e.labels[label: name] ?? "")
            case .level:
                if any { return e.level != .unknown }
                if case .phrase(let s) = m.pattern, let l = LogLevel(name: s) { return e.level == l }
                return m.matchesWhole(e.level.description)
            case .time: return false
            case .message: return m.occurs(inString: fields().message)
            case .structured(let name):
                if name.isEmpty { return e.text.withUnsafeBufferPointer { m.occurs(in: $0) } }
                guard let v = fields().value(name) else { return false }
                return any || m.matchesWhole(v.text)
            }
        case .range(let kind, let op, let value):
            switch kind {
            case .time:
                guard let t = Timestamp.parse(value) else { return false }
                return compare(e.ns, t, op)
            case .level:
                guard let l = LogLevel(name: value) else { return false }
                return e.level != .unknown && compare(Int64(e.level.rawValue), Int64(l.rawValue), op)
            case .label(let name): return compareText(e.labels[label: name] ?? "", value, op)
            case .message: return compareText(fields().message, value, op)
            case .structured(let name):
                guard let v = fields().value(name) else { return false }
                if let a = Double(v.text), let b = Double(value) { return compare(a, b, op) }
                return compareText(v.text, value, op)
            }
        case .exists(let kind):
            switch kind {
            case .label(let name): return !(e.labels[label: name] ?? "").isEmpty
            case .level: return e.level != .unknown
            case .time, .message: return true
            case .structured(let name): return fields().value(name) != nil
            }
        }
    }

    static func compare<T: Comparable>(_ a: T, _ b: T, _ op: RangeOperator) -> Bool {
        switch op {
        case .lt: a < b
        case .lte: a <= b
        case .gt: a > b
        case .gte: a >= b
        }
    }

    static func compareText(_ a: String, _ b: String, _ op: RangeOperator) -> Bool {
        if let x = Double(a), let y = Double(b) { return compare(x, y, op) }
        return compare(a, b, op)
    }
}

extension TextMatcher {
    var pattern: TextPattern {
        isWildcard ? .wildcard(parts.map { String(decoding: $0, as: UTF8.self) }) : .phrase(String(decoding: needle, as: UTF8.self))
    }

    func occurs(inString s: String) -> Bool {
        var s = s
        return s.withUTF8 { occurs(in: $0) }
    }
}
