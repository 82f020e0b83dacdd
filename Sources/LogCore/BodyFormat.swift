/// How an event's stored text is structured; read paths use it to find the message and fields again.
public enum BodyFormat: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case plain = 0, json, logfmt, klog, syslog, ci

    public var description: String {
        switch self {
        case .plain: "plain"
        case .json: "json"
        case .logfmt: "logfmt"
        case .klog: "klog"
        case .syslog: "syslog"
        case .ci: "ci"
        }
    }
}
