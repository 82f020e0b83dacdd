/// Byte-level classes of the lines that make up stack traces, per language. Pure and allocation-free:
/// each check looks at a few bytes of one line.
enum TraceLine {
    /// The trace a line opens, if any: Python's `Traceback`, a Go panic, Dart's `Unhandled exception:`,
    /// a `Stack trace:` (PHP) header, a Java-style exception header or `nested exception is:`.
    static func start(_ t: UnsafeBufferPointer<UInt8>) -> MultilineJoiner.Trace {
        guard let first = t.first else { return .none }
        switch first {
        case 0x54: // T
            if startsWith(t, "Traceback (most recent call last)") { return .python }
        case 0x70, 0x66: // p, f
            if startsWith(t, "panic: ") || startsWith(t, "fatal error: ") { return .go }
        case 0x67: // g
            if startsWith(t, "goroutine "), t.last == 0x3A { return .go }
        case 0x68: // h
            // net/http's recovered handler panic, followed by the goroutine's frames.
            if startsWith(t, "http: panic serving ") { return .go }
        case 0x55: // U
            if startsWith(t, "Unhandled exception:") { return .dartMessage }
        case 0x53: // S
            if isStackTraceHeader(t) { return .hashFrames }
        case 0x20, 0x09:
            if startsWith(trimmed(t), "nested exception is:") { return .javaNested }
            return .none
        case 0x30...0x39:
            // Go's `log` prefix (`2019/01/15 07:48:05 `) before `http: panic serving` or `panic:`.
            let k = goLogPrefixEnd(t)
            if k > 0 {
                let rest = UnsafeBufferPointer(rebasing: t[k...])
                if startsWith(rest, "http: panic serving ") || startsWith(rest, "panic: ") { return .go }
            }
            return .none
        default:
            break
        }
        return isExceptionHeader(t) ? .java : .none
    }

    /// Indented frame lines that never start an event: `at ...`, `from ...`, `File "..."`, `... N more`,
    /// `Caused by:`, `Suppressed:`, Node's `    at`, C#'s `   at`, `--- End of inner exception stack trace ---`.
    static func isFrame(_ t: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = t.first else { return false }
        if first == 0x20 || first == 0x09 {
            let rest = trimmed(t)
            let i = t.count - rest.count
            return startsWith(rest, "at ") || startsWith(rest, "from ") || startsWith(rest, "File \"") || startsWith(rest, "... ")
                || startsWith(rest, "Caused by: ") || startsWith(rest, "Suppressed: ") || startsWith(rest, "--- End of")
                || startsWith(rest, "/") && (i >= 1 && first == 0x09)
        }
        return startsWith(t, "Caused by: ") || startsWith(t, "... ") && endsWith(t, "more") || startsWith(t, "--- End of")
    }

    /// `java.lang.IllegalStateException: msg`, `System.InvalidOperationException`, `Exception in thread "main" ...`.
    static func isExceptionHeader(_ t: UnsafeBufferPointer<UInt8>) -> Bool {
        if startsWith(t, "Exception in thread ") { return true }
        // Class names are short; a long first token (a blob, a URL) is not one, and is not scanned to its end.
        let limit = min(t.count, 256)
        var end = 0
        while end < limit, t[end] != 0x3A, t[end] != 0x20 { end += 1 }
        guard end >= 5, end == t.count || end < limit && t[end] == 0x3A else { return false }
        let name = UnsafeBufferPointer(rebasing: t[0..<end])
        return endsWith(name, "Exception") || endsWith(name, "Error") || endsWith(name, "Throwable") || endsWith(name, "Exit")
    }

    /// Ruby and Rails error headers, often indented by one space:
    /// ` NoMethodError (undefined method ...):`, ` ActionController::RoutingError (No route matches ...):`.
    static func isRubyErrorHeader(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        guard line.count >= 10, endsWith(line, "):") else { return false }
        let t = trimmed(line)
        var end = 0
        while end < t.count, t[end] != 0x20 { end += 1 }
        guard end >= 5, end + 1 < t.count, t[end + 1] == 0x28 else { return false }
        let name = UnsafeBufferPointer(rebasing: t[0..<end])
        return endsWith(name, "Error") || endsWith(name, "Exception")
    }

    /// Lines inside a Go trace: frames, their indented file lines, goroutine headers, blank lines.
    static func isGo(_ t: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = t.first else { return true }
        if first == 0x09 || first == 0x20 { return true }
        if startsWith(t, "goroutine ") || startsWith(t, "created by ") || startsWith(t, "[signal ") || startsWith(t, "exit status ") { return true }
        // Function lines: `main.main()`, `net/http.(*conn).serve(0xc000...)`.
        return t.last == 0x29 && t.contains(0x28)
    }

    /// A bare line that is a record of its own, never another record's continuation: a bracketed tag first
    /// (`[GIN] 2026/11/19 - ...`, `[ws] ...`) or a request line (`GET /healthz 200 1.2 ms`, morgan's `dev`).
    static func opensRecord(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = line.first else { return false }
        if first == 0x5B { return true }
        for m in ["GET ", "POST ", "PUT ", "DELETE ", "HEAD ", "PATCH ", "OPTIONS "] as [StaticString] where startsWith(line, m) {
            let k = m.utf8CodeUnitCount
            return k < line.count && (line[k] == 0x2F || line[k] == 0x68)
        }
        return false
    }

    /// `Stack trace:` alone on its line (PHP, before its `#N` frames).
    static func isStackTraceHeader(_ t: UnsafeBufferPointer<UInt8>) -> Bool {
        startsWith(t, "Stack trace:") && trimmed(UnsafeBufferPointer(rebasing: t[12...])).isEmpty
    }

    /// A numbered frame, `#N` then a space or the end: PHP's `#0 /app/a.php(9): f()`, `#2 {main}`; Dart's
    /// `#0      main (file:///a.dart:15:20)`. BuildKit's step lines look the same, so only a trace state asks.
    static func isHashFrame(_ t: UnsafeBufferPointer<UInt8>) -> Bool {
        guard t.count >= 2, t[0] == 0x23, isDigit(t[1]) else { return false }
        var i = 2
        while i < t.count, isDigit(t[i]) { i += 1 }
        return i == t.count || t[i] == 0x20 || t[i] == 0x09
    }

    /// PHP's last trace line, `  thrown in /app/a.php on line 60`.
    static func isPHPThrownIn(_ t: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = t.first, first == 0x20 || first == 0x09 else { return false }
        return startsWith(trimmed(t), "thrown in ")
    }

    /// The end of Go's standard `log` prefix, `2019/01/15 07:48:05 ` (optionally `.000123`), or 0.
    static func goLogPrefixEnd(_ t: UnsafeBufferPointer<UInt8>) -> Int {
        guard t.count > 20, t[4] == 0x2F, t[7] == 0x2F, t[10] == 0x20, t[13] == 0x3A, t[16] == 0x3A else { return 0 }
        for k in 0..<19 where k != 4 && k != 7 && k != 10 && k != 13 && k != 16 && !isDigit(t[k]) { return 0 }
        var i = 19
        if t[i] == 0x2E {
            i += 1
            while i < t.count, isDigit(t[i]) { i += 1 }
        }
        return i < t.count && t[i] == 0x20 ? i + 1 : 0
    }

    // MARK: bytes

    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// `t` without its leading spaces and tabs.
    @inline(__always)
    static func trimmed(_ t: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var i = 0
        while i < t.count, t[i] == 0x20 || t[i] == 0x09 { i += 1 }
        return UnsafeBufferPointer(rebasing: t[i...])
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
