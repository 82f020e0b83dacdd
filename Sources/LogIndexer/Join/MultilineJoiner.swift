public import LogCore

/// Decides whether a line continues the event before it: stack traces (Java, Python, Go, Ruby, Node, C#),
/// and continuation lines without a timestamp after a line that had one.
///
/// A pure state machine over one stream; the pending event's bytes live in `buffer`.
public struct MultilineJoiner {
    enum Trace { case none, python, pythonDone, go, generic }

    public let buffer = ByteBuffer(capacity: 16 * 1024)
    public private(set) var lines = 0
    public var ns: Int64 = 0
    public var flags: EventFlags = []
    public var level: LogLevel = .unknown
    public var format: BodyFormat = .plain
    /// When the pending event began; follow modes flush it after `flushAfterNs` of silence.
    public var pendingSinceNs: Int64 = 0
    var hadOwnTime = false
    var trace: Trace = .none
    let limits: JoinLimits

    public init(limits: JoinLimits) { self.limits = limits }

    public var isPending: Bool { lines > 0 }

    /// Whether `line` (with its decoded `info`) continues the pending event.
    public func continues(_ line: UnsafeBufferPointer<UInt8>, _ info: BodyInfo) -> Bool {
        guard lines > 0, format != .json, info.format != .json else { return false }
        if lines >= limits.maxLines || buffer.count + 1 + line.count > limits.maxBytes { return false }
        let t = UnsafeBufferPointer(rebasing: line[min(info.textStart, line.count)...])
        if MultilineJoiner.isFrameLine(t) { return true }
        switch trace {
        case .python:
            if t.isEmpty || t[0] == 0x20 || t[0] == 0x09 { return true }
            // A new timestamped log line ends a cut-off traceback; otherwise this is the exception line.
            return info.ns == nil || info.format == .ci
        case .pythonDone:
            return t.isEmpty || MultilineJoiner.startsWith(t, "During handling of the above exception")
                || MultilineJoiner.startsWith(t, "The above exception was the direct cause")
        case .go:
            return MultilineJoiner.isGoTraceLine(t)
        case .generic, .none:
            break
        }
        // Without a time of its own: an indented line continues the event before it, and so does an
        // exception header (`java.lang.IllegalStateException: ...`) after a line that had a time.
        if info.ns == nil, !info.badTime, info.format != .syslog, info.format != .klog {
            // The line itself is indented (not just its text after a level word, as in `INFO:     ...`).
            if let first = line.first, first == 0x20 || first == 0x09 { return true }
            if hadOwnTime, MultilineJoiner.isExceptionHeader(t) { return true }
        }
        return false
    }

    /// Starts a new pending event with `line`.
    public mutating func start(_ line: UnsafeBufferPointer<UInt8>, _ info: BodyInfo, ns: Int64, flags: EventFlags, nowNs: Int64) {
        buffer.removeAll()
        buffer.shrink(to: 64 * 1024)
        buffer.append(line)
        lines = 1
        self.ns = ns
        self.flags = flags
        level = info.level
        format = info.format
        hadOwnTime = info.ns != nil
        pendingSinceNs = nowNs
        let t = UnsafeBufferPointer(rebasing: line[min(info.textStart, line.count)...])
        trace = MultilineJoiner.traceStart(t)
        // `panic:` reads as a level word, so also look at the line from its start.
        if trace == .none { trace = MultilineJoiner.traceStart(line) }
    }

    /// Appends a continuation line.
    public mutating func append(_ line: UnsafeBufferPointer<UInt8>, _ info: BodyInfo) {
        buffer.append(0x0A)
        buffer.append(line)
        lines += 1
        flags.insert(.multiline)
        let t = UnsafeBufferPointer(rebasing: line[min(info.textStart, line.count)...])
        switch trace {
        case .python, .pythonDone:
            if MultilineJoiner.startsWith(t, "Traceback (most recent call last)") || t.isEmpty { trace = .python }
            else if !(t.first == 0x20 || t.first == 0x09) && !MultilineJoiner.startsWith(t, "During handling") && !MultilineJoiner.startsWith(t, "The above exception") { trace = .pythonDone }
        case .none, .generic:
            let next = MultilineJoiner.traceStart(t)
            if next != .none { trace = next }
        case .go:
            break
        }
    }

    public mutating func reset() {
        lines = 0
        trace = .none
        buffer.removeAll()
    }

    // MARK: line classes

    static func traceStart(_ t: UnsafeBufferPointer<UInt8>) -> Trace {
        if startsWith(t, "Traceback (most recent call last)") { return .python }
        if startsWith(t, "panic: ") || startsWith(t, "fatal error: ") || (startsWith(t, "goroutine ") && t.last == 0x3A) { return .go }
        return .none
    }

    /// Indented frame lines that never start an event: `at ...`, `from ...`, `File "..."`, `... N more`,
    /// `Caused by:`, `Suppressed:`, Node's `    at`, C#'s `   at`, `--- End of inner exception stack trace ---`.
    static func isFrameLine(_ t: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = t.first else { return false }
        if first == 0x20 || first == 0x09 {
            var i = 0
            while i < t.count, t[i] == 0x20 || t[i] == 0x09 { i += 1 }
            let rest = UnsafeBufferPointer(rebasing: t[i...])
            return startsWith(rest, "at ") || startsWith(rest, "from ") || startsWith(rest, "File \"") || startsWith(rest, "... ")
                || startsWith(rest, "Caused by: ") || startsWith(rest, "Suppressed: ") || startsWith(rest, "--- End of")
                || startsWith(rest, "/") && (i >= 1 && first == 0x09)
        }
        return startsWith(t, "Caused by: ") || startsWith(t, "... ") && endsWith(t, "more") || startsWith(t, "--- End of")
    }

    /// `java.lang.IllegalStateException: msg`, `System.InvalidOperationException`, `Exception in thread "main" ...`.
    static func isExceptionHeader(_ t: UnsafeBufferPointer<UInt8>) -> Bool {
        if startsWith(t, "Exception in thread ") { return true }
        var end = 0
        while end < t.count, t[end] != 0x3A, t[end] != 0x20 { end += 1 }
        guard end >= 5, end == t.count || t[end] == 0x3A else { return false }
        let name = UnsafeBufferPointer(rebasing: t[0..<end])
        return endsWith(name, "Exception") || endsWith(name, "Error") || endsWith(name, "Throwable") || endsWith(name, "Exit")
    }

    static func isGoTraceLine(_ t: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = t.first else { return true }
        if first == 0x09 || first == 0x20 { return true }
        if startsWith(t, "goroutine ") || startsWith(t, "created by ") || startsWith(t, "[signal ") || startsWith(t, "exit status ") { return true }
        // Function lines: `main.main()`, `net/http.(*conn).serve(0xc000...)`.
        return t.last == 0x29 && t.contains(0x28)
    }

    @inline(__always)
    static func startsWith(_ t: UnsafeBufferPointer<UInt8>, _ s: StaticString) -> Bool {
        let n = s.utf8CodeUnitCount
        guard t.count >= n else { return false }
        return s.withUTF8Buffer { p in
            for k in 0..<n where t[k] != p[k] { return false }
            return true
        }
    }

    static func endsWith(_ t: UnsafeBufferPointer<UInt8>, _ s: StaticString) -> Bool {
        let n = s.utf8CodeUnitCount
        guard t.count >= n else { return false }
        return s.withUTF8Buffer { p in
            for k in 0..<n where t[t.count - n + k] != p[k] { return false }
            return true
        }
    }
}
