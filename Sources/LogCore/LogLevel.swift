/// Severity normalised to the six levels users filter by; `unknown` when a line names none.
public enum LogLevel: UInt8, Sendable, Comparable, CaseIterable, CustomStringConvertible {
    case unknown = 0, trace, debug, info, warn, error, fatal

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String {
        switch self {
        case .unknown: "unknown"
        case .trace: "trace"
        case .debug: "debug"
        case .info: "info"
        case .warn: "warn"
        case .error: "error"
        case .fatal: "fatal"
        }
    }

    /// Parses the spellings loggers use (`WARN`, `warning`, `E`, `err`, `CRITICAL`, `panic`, syslog names).
    public init?(name: String) {
        var bytes = Array(name.utf8)
        guard let level = bytes.withUnsafeMutableBufferPointer({ LogLevel(bytes: UnsafeBufferPointer($0)) }) else { return nil }
        self = level
    }

    /// Byte-level variant of ``init(name:)`` for the ingest hot path; case-insensitive.
    public init?(bytes: UnsafeBufferPointer<UInt8>) {
        let n = bytes.count
        guard n > 0, n <= 11 else { return nil }
        // Pack the lower-cased name into an integer for a cheap switch.
        var key: UInt64 = 0
        for i in 0..<min(n, 8) { key = key << 8 | UInt64(bytes[i] | 0x20) }
        if n > 8 {
            // Only "information", "emergency" and "exception"-like names are longer than 8.
            var s = ""
            for b in bytes { s.unicodeScalars.append(Unicode.Scalar(b | 0x20)) }
            switch s {
            case "information": self = .info
            case "emergency": self = .fatal
            default: return nil
            }
            return
        }
        switch key {
        case pack("trace"), pack("trc"), pack("finest"), pack("finer"), pack("t"): self = .trace
        case pack("debug"), pack("dbg"), pack("d"), pack("fine"), pack("verbose"), pack("v"): self = .debug
        case pack("info"), pack("inf"), pack("i"), pack("notice"), pack("config"): self = .info
        case pack("warn"), pack("warning"), pack("wrn"), pack("w"): self = .warn
        case pack("error"), pack("err"), pack("e"), pack("eror"), pack("severe"): self = .error
        case pack("fatal"), pack("critical"), pack("crit"), pack("ftl"), pack("f"), pack("panic"), pack("alert"), pack("emerg"), pack("dpanic"):
            self = .fatal
        default: return nil
        }
    }

    /// Maps a syslog severity (0 emerg ... 7 debug).
    public init(syslogSeverity s: Int) {
        switch s {
        case 0, 1, 2: self = .fatal
        case 3: self = .error
        case 4: self = .warn
        case 5, 6: self = .info
        default: self = .debug
        }
    }

    /// Maps numeric levels (pino/bunyan: 10 trace ... 60 fatal).
    public init?(number: Int) {
        switch number {
        case 10: self = .trace
        case 20: self = .debug
        case 30: self = .info
        case 40: self = .warn
        case 50: self = .error
        case 60: self = .fatal
        default: return nil
        }
    }
}

@inline(__always)
private func pack(_ s: StaticString) -> UInt64 {
    var key: UInt64 = 0
    s.withUTF8Buffer { buf in for i in 0..<min(buf.count, 8) { key = key << 8 | UInt64(buf[i]) } }
    return key
}
