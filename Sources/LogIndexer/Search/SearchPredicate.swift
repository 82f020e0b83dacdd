public import LogCore

/// A query in executable form: what the search layer evaluates on stream labels, blocks and events.
///
/// Built from the query language's AST (``SearchPredicate/init(_:)`` in SearchPredicate+Query.swift). Field names
/// are the stream labels, `level`, `message`, `time`/`@timestamp`, or structured fields of the event.
public indirect enum SearchPredicate: Sendable, Equatable {
    case all
    case and([SearchPredicate])
    case or([SearchPredicate])
    case not(SearchPredicate)
    /// `field:value`; a nil field searches the whole event text.
    case match(field: String?, TextPattern)
    case range(field: String, op: RangeOperator, value: String)
    case exists(field: String)
}

extension SearchPredicate {
    /// Whether a stream label (`pod:`, `namespace:`, ...) is named anywhere in the predicate: a search then reads
    /// every stream's labels first (and finds none may match without reading a block); otherwise only the labels
    /// of the streams whose blocks it reads.
    package var namesLabels: Bool {
        switch self {
        case .all: return false
        case .and(let xs), .or(let xs): return xs.contains(where: \.namesLabels)
        case .not(let x): return x.namesLabels
        case .match(let f?, _), .range(let f, _, _), .exists(let f):
            if case .label = FieldKind(f) { return true }
            return false
        case .match(nil, _): return false
        }
    }
}

public enum RangeOperator: String, Sendable, Equatable { case lt = "<", lte = "<=", gt = ">", gte = ">=" }

/// A value to find: literal text (a word or a phrase) or a pattern with `*` wildcards.
public enum TextPattern: Sendable, Equatable {
    case phrase(String)
    /// Literal pieces between `*`s; an empty first/last piece means the pattern starts/ends with `*`.
    case wildcard([String])

    /// True when the pattern is `*` alone.
    public var isAnything: Bool {
        if case .wildcard(let parts) = self { return parts.allSatisfy(\.isEmpty) }
        return false
    }
}

/// Which fields are labels of the stream (answered by the stream table, not by reading events).
public enum FieldKind {
    case label(String), level, time, message, structured(String)
    /// `template`: the event's message template, by id (16 hex digits) or by its text.
    case template
    /// `rescued`, `truncated`, `multiline`, ...: an ingest flag, `true` or `false`.
    case flag(EventFlags)
    /// `kind:failure`, or a failure kind (`kind:oom-killed`); other values look up a structured `kind` field.
    case kind

    public init(_ name: String) {
        let lower = name.lowercased()
        switch lower {
        case "source", "namespace", "pod", "container", "stream", "deployment", "version": self = .label(lower)
        case "kubernetes.namespace", "kubernetes.namespace_name", "k8s.namespace.name": self = .label("namespace")
        case "kubernetes.pod_name", "kubernetes.pod.name", "k8s.pod.name": self = .label("pod")
        case "kubernetes.container_name", "kubernetes.container.name", "k8s.container.name": self = .label("container")
        case "level", "severity", "log.level": self = .level
        case "time", "@timestamp", "timestamp": self = .time
        case "message", "msg", "log": self = .message
        case "template": self = .template
        case "kind": self = .kind
        case "rescued": self = .flag(.rescued)
        case "truncated": self = .flag(.truncated)
        case "multiline": self = .flag(.multiline)
        case "merged": self = .flag(.merged)
        case "capped": self = .flag(.capped)
        case "parse_error": self = .flag(.parseError)
        default: self = .structured(name)
        }
    }
}

extension SearchPredicate {
    /// The predicate with date math in time ranges (`@timestamp >= now-1h`, `now-1d/d`) replaced by absolute times.
    public func resolvingTimes(now: Int64) -> SearchPredicate {
        switch self {
        case .all, .match, .exists: return self
        case .and(let xs): return .and(xs.map { $0.resolvingTimes(now: now) })
        case .or(let xs): return .or(xs.map { $0.resolvingTimes(now: now) })
        case .not(let x): return .not(x.resolvingTimes(now: now))
        case .range(let f, let op, let v):
            guard case .time = FieldKind(f), let t = Timestamp.parse(v, now: now) else { return self }
            return .range(field: f, op: op, value: Timestamp.rfc3339(t))
        }
    }

    /// Time values in ranges that are no time at all (so the caller can refuse the query).
    public var invalidTimes: [String] {
        switch self {
        case .all, .match, .exists: return []
        case .and(let xs), .or(let xs): return xs.flatMap(\.invalidTimes)
        case .not(let x): return x.invalidTimes
        case .range(let f, _, let v):
            guard case .time = FieldKind(f) else { return [] }
            return Timestamp.parse(v, now: 0) == nil ? [v] : []
        }
    }
}
