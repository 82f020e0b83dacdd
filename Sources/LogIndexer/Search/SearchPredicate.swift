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
        default: self = .structured(name)
        }
    }
}
