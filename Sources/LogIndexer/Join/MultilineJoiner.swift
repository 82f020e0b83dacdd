public import LogCore

/// Decides whether a line continues the event before it: stack traces (Java, Python, Go, Ruby, Node, C#,
/// PHP, Dart), and continuation lines without a timestamp after a line that had one.
///
/// A pure state machine over one stream; the pending event's bytes live in `buffer`. `trace` is the
/// language state of the pending event, in the spirit of fluent-plugin-detect-exceptions' rules: some
/// lines (`#N` frames, blank lines, a message after `Unhandled exception:`) continue an event only there.
public struct MultilineJoiner {
    enum Trace {
        case none
        /// After a Python `Traceback`; `pythonDone` after its exception line (only chaining lines follow).
        case python, pythonDone
        /// A Go panic or `http: panic serving`: goroutine headers, frames, file lines, blank lines.
        case go
        /// After a Java-style exception header: blank lines continue it too.
        case java
        /// After `nested exception is:`: the next exception header continues the trace.
        case javaNested
        /// After `Stack trace:` (PHP): `#N` frames, blank lines, `Next ...` chained exceptions.
        case hashFrames
        /// After Dart's `Unhandled exception:`: message lines (`stateLines` of them) up to the first `#N` frame.
        case dartMessage
        /// Dart's `#N` frames and `<asynchronous suspension>` markers.
        case dartFrames
    }

    /// Message lines accepted after `Unhandled exception:` before the first frame.
    static let maxDartMessageLines = 20

    public let buffer = ByteBuffer(capacity: 16 * 1024)
    public private(set) var lines = 0
    public var ns: Int64 = 0
    public var flags: EventFlags = []
    public var level: LogLevel = .unknown
    public var format: BodyFormat = .plain
    /// The pending event's JSON message range (from ``BodyInfo/message``); nil once lines are joined.
    public var message: Range<Int>? = nil
    /// When the pending event began; follow modes flush it after `flushAfterNs` of silence.
    public var pendingSinceNs: Int64 = 0
    var hadOwnTime = false
    /// The pending event's first line began with a level word (`ERROR:root:...`, `fail: ...`) and is not
    /// itself a trace's first line (Node's bare `Error`).
    var hadLevel = false
    /// The pending event's first line begins with its time or level (not an access log's time inside it).
    var headed = false
    /// The container runtime's time of the pending event's last line, for the time-gap cap.
    var lastEnvNs: Int64? = nil
    /// This stream's lines that begin a record (a time, a level or a JSON object) and its bare lines (none of
    /// those, unindented, not part of a trace), halved now and then so that the ratio follows the stream.
    var headerLines = 0
    var bareLines = 0
    var trace: Trace = .none
    var stateLines = 0
    let limits: JoinLimits

    public init(limits: JoinLimits) { self.limits = limits }

    public var isPending: Bool { lines > 0 }

    /// Whether most of this stream's records begin with a time or a level (at least two in three of its lines
    /// outside traces), as Datadog's automatic multiline detection decides from a stream's first lines. Then a
    /// line with neither continues the record before it.
    var recordsHaveHeaders: Bool { headerLines >= 2 && headerLines >= 2 * bareLines }

    /// Counts `line` as a record header or a bare line (see ``recordsHaveHeaders``); called for every line.
    public mutating func observe(_ line: UnsafeBufferPointer<UInt8>, _ info: BodyInfo) {
        if info.ns != nil || info.level != .unknown || info.format == .json {
            headerLines += 1
        } else if let first = line.first, first != 0x20, first != 0x09 {
            let t = UnsafeBufferPointer(rebasing: line[min(info.textStart, line.count)...])
            if !TraceLine.isFrame(t), TraceLine.start(t) == .none, TraceLine.start(line) == .none { bareLines += 1 }
        }
        if headerLines + bareLines > 4096 {
            headerLines >>= 1
            bareLines >>= 1
        }
    }

    /// Whether `line` (with its decoded `info` and the container runtime's time `envNs`) continues the pending event.
    public func continues(_ line: UnsafeBufferPointer<UInt8>, _ info: BodyInfo, envNs: Int64? = nil) -> Bool {
        guard lines > 0, format != .json, info.format != .json else { return false }
        // Bytes are counted as the peers do, each line with its newline.
        if lines >= limits.maxLines || buffer.count + line.count + 2 > limits.maxBytes { return false }
        // A pause in the container's output ends the event: a trace is written at once.
        if let e = envNs, let last = lastEnvNs, e - last > limits.maxGapNs { return false }
        let t = UnsafeBufferPointer(rebasing: line[min(info.textStart, line.count)...])
        if TraceLine.isFrame(t) { return true }
        // A time of its own marks a new record, except a CI runner's per-line time.
        let untimed = info.ns == nil || info.format == .ci
        switch trace {
        case .python:
            if t.isEmpty || t[0] == 0x20 || t[0] == 0x09 { return true }
            // A new timestamped log line ends a cut-off traceback; otherwise this is the exception line.
            return untimed
        case .pythonDone:
            return t.isEmpty || TraceLine.startsWith(t, "During handling of the above exception")
                || TraceLine.startsWith(t, "The above exception was the direct cause")
        case .go:
            return untimed && TraceLine.isGo(t)
        case .java:
            if t.isEmpty { return true }
        case .javaNested:
            if t.isEmpty || untimed && TraceLine.isExceptionHeader(t) { return true }
        case .hashFrames:
            if untimed, t.isEmpty || TraceLine.isHashFrame(t) || TraceLine.startsWith(t, "Next ") { return true }
        case .dartMessage:
            if untimed, !TraceLine.startsWith(t, "Unhandled exception:"), stateLines < MultilineJoiner.maxDartMessageLines { return true }
        case .dartFrames:
            if untimed, TraceLine.isHashFrame(t) || TraceLine.startsWith(t, "<asynchronous suspension>") { return true }
        case .none:
            break
        }
        guard untimed, !info.badTime, info.format != .syslog, info.format != .klog else { return false }
        // `Stack trace:` continues whatever error line came before it.
        if TraceLine.isStackTraceHeader(t) { return true }
        // An indented line continues the event before it (the line itself, not just its text after a
        // level word, as in `INFO:     ...`), unless it is a Ruby error header that opens a trace.
        if let first = line.first, first == 0x20 || first == 0x09 { return !TraceLine.isRubyErrorHeader(line) }
        guard hadOwnTime || hadLevel, info.ns == nil else { return false }
        // A trace opening right after a log line with a time or a level continues it: an exception header
        // (`java.lang.IllegalStateException: ...`, Node's `Error: ...`), Python's `Traceback` after
        // `logger.exception()`'s message, a Go `panic:` or goroutine header, Dart's `Unhandled exception:`. One log
        // line and its trace are one failure. (`panic:` and `Error:` read as level words, so the line is also
        // looked at from its start.)
        if TraceLine.start(t) != .none || TraceLine.start(line) != .none { return true }
        // In a stream whose records begin with a time or a level, a line with neither continues the record:
        // Ruby's uncaught-exception header, `Unhandled exception.`, the rest of a printed object, plain text.
        return headed && recordsHaveHeaders && info.level == .unknown && info.format == .plain && !t.isEmpty && !TraceLine.opensRecord(line)
    }

    /// Starts a new pending event with `line`.
    public mutating func start(_ line: UnsafeBufferPointer<UInt8>, _ info: BodyInfo, ns: Int64, envNs: Int64? = nil, flags: EventFlags,
                               nowNs: Int64) {
        buffer.removeAll()
        buffer.shrink(to: 64 * 1024)
        buffer.append(line)
        lines = 1
        self.ns = ns
        self.flags = flags
        level = info.level
        format = info.format
        message = info.message
        hadOwnTime = info.ns != nil
        let t = UnsafeBufferPointer(rebasing: line[min(info.textStart, line.count)...])
        hadLevel = info.level != .unknown && info.format == .plain && TraceLine.start(line) == .none
        headed = info.textStart > 0 && (info.ns != nil || info.level != .unknown)
        lastEnvNs = envNs
        pendingSinceNs = nowNs
        enter(TraceLine.start(t))
        // `panic:` reads as a level word, so also look at the line from its start.
        if trace == .none, info.textStart > 0, TraceLine.start(line) == .go { enter(.go) }
    }

    /// Appends a continuation line.
    public mutating func append(_ line: UnsafeBufferPointer<UInt8>, _ info: BodyInfo, envNs: Int64? = nil) {
        message = nil
        if envNs != nil { lastEnvNs = envNs }
        buffer.append(0x0A)
        buffer.append(line)
        lines += 1
        flags.insert(.multiline)
        let t = UnsafeBufferPointer(rebasing: line[min(info.textStart, line.count)...])
        switch trace {
        case .python, .pythonDone:
            if TraceLine.startsWith(t, "Traceback (most recent call last)") || t.isEmpty { trace = .python }
            else if !(t.first == 0x20 || t.first == 0x09) && !TraceLine.startsWith(t, "During handling") && !TraceLine.startsWith(t, "The above exception") { trace = .pythonDone }
        case .go, .dartFrames:
            break
        case .dartMessage:
            if TraceLine.isHashFrame(t) { enter(.dartFrames) } else { stateLines += 1 }
        case .hashFrames:
            if TraceLine.isPHPThrownIn(t) { enter(.none) }
        case .java, .javaNested:
            // Blank lines keep the state: `nested exception is:` may be followed by one before its header.
            if t.isEmpty { break }
            let next = TraceLine.start(t)
            enter(next == .none ? .java : next)
        case .none:
            enter(TraceLine.start(t))
            if trace == .none, info.textStart > 0, TraceLine.start(line) == .go { enter(.go) }
        }
    }

    @inline(__always)
    private mutating func enter(_ state: Trace) {
        trace = state
        stateLines = 0
    }

    public mutating func reset() {
        lines = 0
        trace = .none
        buffer.removeAll()
    }
}
