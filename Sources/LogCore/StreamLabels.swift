/// The labels every event of one stream shares: where it came from and which deployment it belongs to.
///
/// The store keeps each distinct label set once and refers to it from the event blocks.
public struct StreamLabels: Hashable, Sendable, Codable {
    /// The file path, `stdin`, or the name given with `--source`.
    public var source: String
    public var namespace: String
    public var pod: String
    public var container: String
    /// `stdout` or `stderr` for container logs, empty otherwise.
    public var stream: String
    public var deployment: String
    /// The ReplicaSet hash of a Deployment's pod, or a version named by the pipeline; empty when unknown.
    public var version: String

    public init(source: String, namespace: String = "", pod: String = "", container: String = "", stream: String = "",
                deployment: String = "", version: String = "") {
        self.source = source
        self.namespace = namespace
        self.pod = pod
        self.container = container
        self.stream = stream
        self.deployment = deployment
        self.version = version
    }

    /// The label names, in the order the store keeps them.
    public static let names = ["source", "namespace", "pod", "container", "stream", "deployment", "version"]

    /// The value of a label by name, nil for names that are not labels.
    public subscript(label name: String) -> String? {
        switch name {
        case "source": source
        case "namespace": namespace
        case "pod": pod
        case "container": container
        case "stream": stream
        case "deployment": deployment
        case "version": version
        default: nil
        }
    }

    /// The container (or other source) this stream belongs to: a container's stdout and stderr share it, as
    /// `kubectl logs` shows them as one log. For pods the source path is left out too (a container's rotated
    /// and linked files are one log); elsewhere it is this label set without its stream.
    public var containerLog: StreamLabels {
        var l = self
        l.stream = ""
        if !pod.isEmpty { l.source = "" }
        return l
    }
}
