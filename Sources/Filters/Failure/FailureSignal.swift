public import LogCore

/// Why an event counts as a failure (scoring.md, "failure event").
public enum FailureKind: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Level error, fatal or critical.
    case errorLevel = "error-level"
    /// An exception or a stack trace (`Traceback`, `...Exception`, `panic:`).
    case exception
    case oomKilled = "oom-killed"
    /// `CrashLoopBackOff`, "Back-off restarting failed container".
    case crashLoop = "crash-loop"
    /// A liveness, readiness or startup probe that failed.
    case probeFailed = "probe-failed"
    case evicted
    /// `ErrImagePull`, `ImagePullBackOff`.
    case imagePull = "image-pull"
    /// A process that exited with a non-zero code.
    case nonZeroExit = "non-zero-exit"
    /// Jenkins `Finished: FAILURE`, GitHub Actions `##[error]`, an Argo CD sync that failed or an app gone Degraded.
    case pipelineFailed = "pipeline-failed"
    /// A docker build error.
    case buildError = "build-error"

    public var description: String { rawValue }
}

/// The failure classifier: a pure, byte-level function of an event's text and level.
///
/// The noise filter runs it on every event and never drops what it calls a failure, whatever the rules say.
public enum FailureSignal {
    /// The failure kind of an event, or nil when it is not a failure.
    public static func classify(text: UnsafeBufferPointer<UInt8>, level: LogLevel) -> FailureKind? {
        if level >= .error { return .errorLevel }
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: scanner.wordCount) { hits in
            hits.initialize(repeating: 0)
            scanner.scan(text, into: hits.baseAddress!)
            return classify(hits: hits.baseAddress!, text: text, level: level)
        }
    }

    public static func classify(_ text: String, level: LogLevel = .unknown) -> FailureKind? {
        var s = text
        return s.withUTF8 { classify(text: $0, level: level) }
    }

    /// What a literal found in the text means; `check` confirms it where the literal alone is not enough.
    enum Check: Sendable { case none, nonZeroNumberAfter, alsoContains(Literal) }

    /// The signals, in priority order. Their literals occupy ids 0..<signals.count of any scanner that
    /// wants to classify from a shared scan (the noise filter puts them first in its own scanner).
    static let signals: [(Literal, FailureKind, Check)] = [
        (Literal("Traceback (most recent call last)"), .exception, .none),
        (Literal("Exception"), .exception, .none),
        (Literal("panic:"), .exception, .none),
        (Literal("OOMKilled"), .oomKilled, .none),
        (Literal("out of memory: Killed process", caseless: true), .oomKilled, .none),
        (Literal("CrashLoopBackOff"), .crashLoop, .none),
        (Literal("Back-off restarting failed container", caseless: true), .crashLoop, .none),
        (Literal("probe failed", caseless: true), .probeFailed, .none),
        (Literal("Evicted"), .evicted, .none),
        (Literal("ErrImagePull"), .imagePull, .none),
        (Literal("ImagePullBackOff"), .imagePull, .none),
        (Literal("Finished: FAILURE"), .pipelineFailed, .none),
        // A failed test in a CI job (`go test`'s `--- FAIL: TestName`).
        (Literal("--- FAIL: "), .pipelineFailed, .none),
        (Literal("##[error]"), .pipelineFailed, .none),
        (Literal("sync failed", caseless: true), .pipelineFailed, .none),
        (Literal("SyncFailed"), .pipelineFailed, .none),
        (Literal("Sync operation"), .pipelineFailed, .alsoContains(Literal("failed"))),
        (Literal("Degraded"), .pipelineFailed, .none),
        (Literal("failed to solve"), .buildError, .none),
        (Literal("returned a non-zero code"), .buildError, .none),
        (Literal("executor failed running"), .buildError, .none),
        (Literal("ERROR: failed to build"), .buildError, .none),
        (Literal("error building image", caseless: true), .buildError, .none),
        (Literal("exit code", caseless: true), .nonZeroExit, .nonZeroNumberAfter),
        (Literal("exit status", caseless: true), .nonZeroExit, .nonZeroNumberAfter),
        (Literal("exitCode", caseless: true), .nonZeroExit, .nonZeroNumberAfter),
        (Literal("exited with code", caseless: true), .nonZeroExit, .nonZeroNumberAfter),
    ]

    static let scanner = LiteralScanner(signals.map(\.0))

    /// Classifies from a scan already done with a scanner whose first literals are `signals`.
    @inline(__always)
    static func classify(hits: UnsafeMutablePointer<UInt64>, text: UnsafeBufferPointer<UInt8>, level: LogLevel) -> FailureKind? {
        if level >= .error { return .errorLevel }
        if hits[0] == 0 { return nil }  // signals.count <= 64: all signal bits live in word 0
        for (id, s) in signals.enumerated() where hitTest(hits, id) {
            switch s.2 {
            case .none: return s.1
            case .alsoContains(let other): if other.occurs(in: text) { return s.1 }
            case .nonZeroNumberAfter: if nonZeroNumber(after: s.0, in: text) { return s.1 }
            }
        }
        return nil
    }

    /// True when some occurrence of `lit` is followed (after up to 4 bytes of `:`, `=`, quotes, spaces) by a
    /// number other than 0.
    private static func nonZeroNumber(after lit: Literal, in text: UnsafeBufferPointer<UInt8>) -> Bool {
        var from = 0
        while let at = lit.firstIndex(in: text, from: from) {
            var i = at + lit.bytes.count
            var skipped = 0
            while i < text.count, skipped < 4, [0x3A, 0x3D, 0x22, 0x27, 0x20, 0x28].contains(text[i]) { i += 1; skipped += 1 }
            if i < text.count, text[i] == UInt8(ascii: "-") { i += 1 }
            var sawDigit = false, nonZero = false
            while i < text.count, text[i] >= 48, text[i] <= 57 { sawDigit = true; nonZero = nonZero || text[i] != 48; i += 1 }
            if sawDigit, nonZero { return true }
            from = at + 1
        }
        return false
    }
}
