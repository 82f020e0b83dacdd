/// The `--format` choices: a container envelope (CRI, Docker) or a body format, or `auto` per line.
public enum InputFormat: String, Sendable, CaseIterable {
    case auto, cri, docker, json, logfmt, klog, syslog, plain

    var envelope: EnvelopeMode {
        switch self {
        case .auto: .auto
        case .cri: .cri
        case .docker: .docker
        default: .none
        }
    }

    var bodyHint: BodyFormatHint {
        switch self {
        case .auto, .cri, .docker: .auto
        case .json: .json
        case .logfmt: .logfmt
        case .klog: .klog
        case .syslog: .syslog
        case .plain: .plain
        }
    }
}

enum EnvelopeMode { case auto, cri, docker, none }
