package import LogCore
import Filters

/// Evaluates a ``SearchPredicate`` on stream labels alone (for pruning) and on whole events (exactly).
package struct CompiledPredicate {
    indirect enum Node {
        case all
        case and([Node]), or([Node]), not(Node)
        case text(FieldKind, TextMatcher, isAnything: Bool)
        case range(FieldKind, RangeOperator, String)
        case exists(FieldKind)
        /// The event's template is one of these.
        case templates(Set<UInt64>)
        /// The event has (true) or lacks (false) the flag.
        case flag(EventFlags, Bool)
        /// A failure; of this kind when not nil.
        case failure(FailureKind?)
        case nothing
    }

    let root: Node
    /// True when some node needs the message or structured fields (parsing the event text).
    let needsFields: Bool

    /// `templates` finds the ids of the templates whose text a `template:` value matches (nil: none known).
    package init(_ p: SearchPredicate, templates: (TextMatcher) -> Set<UInt64> = { _ in [] }) {
        var needs = false
        func compile(_ p: SearchPredicate) -> Node {
            switch p {
            case .all: return .all
            case .and(let xs): return .and(xs.map(compile))
            case .or(let xs): return .or(xs.map(compile))
            case .not(let x): return .not(compile(x))
            case .match(let field?, let pattern) where pattern.isAnything && Self.isEventProperty(FieldKind(field)):
                return .all
            case .match(let field?, let pattern) where Self.isEventProperty(FieldKind(field)):
                let m = TextMatcher(pattern)
                let value: String = if case .phrase(let v) = pattern { v.lowercased() } else { "" }
                switch FieldKind(field) {
                case .template:
                    var ids = templates(m)
                    if value.count == 16, let id = UInt64(value, radix: 16) { ids.insert(id) }
                    return .templates(ids)
                case .flag(let f):
                    switch value {
                    case "true", "yes", "1": return .flag(f, true)
                    case "false", "no", "0": return .flag(f, false)
                    default: return .nothing
                    }
                default:
                    if value == "failure" { return .failure(nil) }
                    if let k = FailureKind(rawValue: value) { return .failure(k) }
                    needs = true
                    return .text(.structured(field), m, isAnything: false)
                }
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

    /// `template`, flags and `kind:failure` are properties of the event, not text fields.
    static func isEventProperty(_ k: FieldKind) -> Bool {
        switch k {
        case .template, .flag, .kind: true
        default: false
        }
    }

    // MARK: blocks (false = no event of a block with these levels and flags can match)

    package func blockMayMatch(levels: Int64, flags: Int64) -> Bool { Self.block(root, levels, flags) != false }

    private static func block(_ n: Node, _ levels: Int64, _ flags: Int64) -> Bool? {
        switch n {
        case .all: return true
        case .nothing: return false
        case .and(let xs):
            var unknown = false
            for x in xs { switch block(x, levels, flags) { case false?: return false; case nil: unknown = true; default: break } }
            return unknown ? nil : true
        case .or(let xs):
            var unknown = false
            for x in xs { switch block(x, levels, flags) { case true?: return true; case nil: unknown = true; default: break } }
            return unknown ? nil : false
        case .not: return nil
        case .flag(let f, true): return flags & Int64(f.rawValue) != 0 ? nil : false
        case .failure: return flags & Int64(EventFlags.failure.rawValue) != 0 ? nil : false
        case .text(.level, let m, let any):
            if any { return nil }
            if case .phrase(let s) = m.pattern, let l = LogLevel(name: s) { return levels & (1 << Int64(l.rawValue)) != 0 ? nil : false }
            return nil
        case .range(.level, let op, let value):
            guard let l = LogLevel(name: value) else { return false }
            for raw in 0..<64 where levels & (1 << Int64(raw)) != 0 {
                if let have = LogLevel(rawValue: UInt8(raw)), have != .unknown, compare(Int64(have.rawValue), Int64(l.rawValue), op) { return nil }
            }
            return false
        default: return nil
        }
    }

    // MARK: labels and level only (histograms from the hourly counts)

    /// The predicate's answer from a stream's labels and an event's level, nil when it needs more of the event.
    package func onLabelsAndLevel(_ l: StreamLabels, _ level: LogLevel) -> Bool? { Self.labelsAndLevel(root, l, level) }

    private static func labelsAndLevel(_ n: Node, _ l: StreamLabels, _ level: LogLevel) -> Bool? {
        switch n {
        case .all: return true
        case .nothing: return false
        case .and(let xs):
            var unknown = false
            for x in xs { switch labelsAndLevel(x, l, level) { case false?: return false; case nil: unknown = true; default: break } }
            return unknown ? nil : true
        case .or(let xs):
            var unknown = false
            for x in xs { switch labelsAndLevel(x, l, level) { case true?: return true; case nil: unknown = true; default: break } }
            return unknown ? nil : false
        case .not(let x): return labelsAndLevel(x, l, level).map { !$0 }
        case .text(.label(let name), let m, _): return m.matchesWhole(l[label: name] ?? "")
        case .exists(.label(let name)): return !(l[label: name] ?? "").isEmpty
        case .exists(.level): return level != .unknown
        case .text(.level, let m, let any):
            if any { return level != .unknown }
            if case .phrase(let s) = m.pattern, let want = LogLevel(name: s) { return level == want }
            return m.matchesWhole(level.description)
        case .range(.level, let op, let value):
            guard let want = LogLevel(name: value) else { return false }
            return level != .unknown && compare(Int64(level.rawValue), Int64(want.rawValue), op)
        default: return nil
        }
    }

    /// True when labels and level alone decide the predicate for every stream and level.
    package func decidedByLabelsAndLevel(_ streams: [StreamLabels]) -> Bool {
        for l in streams { for level in LogLevel.allCases where onLabelsAndLevel(l, level) == nil { return false } }
        return true
    }

    // MARK: labels only (nil = depends on the events)

    package func onLabels(_ l: StreamLabels) -> Bool? { Self.labels(root, l) }

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
        case .nothing: return false
        case .text(.label(let name), let m, _): return m.matchesWhole(l[label: name] ?? "")
        case .exists(.label(let name)): return !(l[label: name] ?? "").isEmpty
        default: return nil
        }
    }

    // MARK: events

    package func matches(_ e: StoredEvent, fields: () -> EventFields) -> Bool { Self.eval(root, e, fields) }

    /// The same, parsing the event's fields once, and only if a node needs them.
    package func matches(_ e: StoredEvent) -> Bool {
        var cached: EventFields? = nil
        return matches(e) {
            if let c = cached { return c }
            let f = EventFields(e)
            cached = f
            return f
        }
    }

    private static func eval(_ n: Node, _ e: StoredEvent, _ fields: () -> EventFields) -> Bool {
        switch n {
        case .all: return true
        case .and(let xs): return xs.allSatisfy { eval($0, e, fields) }
        case .or(let xs): return xs.contains { eval($0, e, fields) }
        case .not(let x): return !eval(x, e, fields)
        case .nothing: return false
        case .templates(let ids): return ids.contains(e.template)
        case .flag(let f, let want): return e.flags.contains(f) == want
        case .failure(let kind):
            guard e.flags.contains(.failure) else { return false }
            guard let kind else { return true }
            return e.text.withUnsafeBufferPointer { FailureSignal.classify(text: $0, level: e.level) } == kind
        case .text(let kind, let m, let any):
            switch kind {
            case .label(let name): return m.matchesWhole(e.labels[label: name] ?? "")
            case .level:
                if any { return e.level != .unknown }
                if case .phrase(let s) = m.pattern, let l = LogLevel(name: s) { return e.level == l }
                return m.matchesWhole(e.level.description)
            case .time, .template, .flag, .kind: return false
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
            case .template, .flag, .kind: return false
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
            case .time, .message, .template, .flag: return true
            case .kind: return e.flags.contains(.failure) || fields().value("kind") != nil
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
