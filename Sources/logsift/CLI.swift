import Foundation
import LogCore
import LogIndexer

/// Small output helpers shared by the commands.
enum CLI {
    /// Messages quote user input (a config line, a file name, a query): control and escape sequences in
    /// them are shown escaped, never sent to the terminal raw.
    static func stderr(_ s: String) {
        FileHandle.standardError.write((TerminalEscaping.escape(Array(s.utf8), keepNewlines: true) + "\n").data(using: .utf8)!)
    }

    static func warn(_ s: String) { stderr("logsift: warning: " + s) }

    static func fail(_ s: String, code: Int32 = 1) -> Never {
        stderr("logsift: error: " + s)
        exit(code)
    }

    static let stdoutIsTerminal = isatty(1) == 1

    /// Help text as paragraphs: the source's line breaks inside a paragraph are joined, so that the argument
    /// parser wraps each paragraph to the terminal once (a break of its own would cut the line mid-sentence).
    /// Blank lines, indented lines (examples) and short headings ending in ':' keep their own lines.
    /// Every command's configuration runs it when the command tree is built, at each start: it looks at bytes, not
    /// Characters (grapheme breaking made it ~0.6 ms of a `logsift search`).
    static func prose(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var joinable = false
        var first = true
        for line in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            let endsInColon = line.last == UInt8(ascii: ":")
            let isItem = line.starts(with: [UInt8(ascii: "-"), UInt8(ascii: " ")])
            let isHeading = endsInColon && Substring(line).count < 40
            let isOwnLine = line.isEmpty || line.first == UInt8(ascii: " ") || isItem || isHeading
            if !first { out += !isOwnLine && joinable ? " " : "\n" }
            out += Substring(line)
            first = false
            joinable = !isOwnLine || (isItem && !endsInColon)
        }
        return out
    }

    /// An environment variable, without building `ProcessInfo`'s dictionary of all of them.
    static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// Text to standard output (not through `String.data(using:)`, whose generic conversion costs a start-up).
    static func writeStdout(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
            FileHandle.standardOutput.write(Data(bytes: base, count: bytes.count))
        }
    }

    /// Whether a query argument is only blanks (tabs and Unicode space separators, as CharacterSet.whitespaces).
    static func isBlank(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0 == "\t" || $0.properties.generalCategory == .spaceSeparator }
    }

    /// A store error as users need it: a full disk says what was kept and what to do.
    static func explain(_ error: any Error) -> String {
        if let e = error as? StoreError, e.code & 0xFF == 13 {
            return "the disk is full (or the database reached its size limit): the batch being written was not stored, "
                + "earlier batches and their tail positions were; free space (or run `logsift compact`) and run again (\(e.message))"
        }
        return "\(error)"
    }

    /// Read commands decode 1-4 MiB blocks one after another: keeping such buffers in the heap (not a fresh
    /// mmap per block, unmapped again on free) saves a page fault per 4 KiB on every block after the first.
    static func reuseLargeBuffers() {
        #if os(Linux)
        // glibc's M_TRIM_THRESHOLD (-1) and M_MMAP_THRESHOLD (-3); Swift imports neither them nor mallopt.
        _ = glibcMallopt(-3, 64 << 20)
        _ = glibcMallopt(-1, 128 << 20)
        #endif
    }

    /// Ingest (`ingest`, `tail`) hands batches of 8 MiB of text in 1-4 MiB blocks from a reading to a writing thread.
    /// With glibc's defaults such buffers settle in the threads' heaps (the mmap threshold rises to 32 MiB once a large
    /// buffer is freed, and a heap only shrinks from its top), and the resident size grew with the input (128 MiB of
    /// logs: 132 MiB peak, 512 MiB: 188 MiB, 1 GiB: 214 MiB). A fixed 2 MiB threshold gives large buffers (a block's
    /// text) back when they are freed, a 128 KiB trim threshold returns a heap's free top, and two arenas serve the
    /// threads (`ingest`'s decoding thread shares one; a third arena changed neither time nor peak): 512 MiB then peaked at ~115 MiB (with the writer's smaller page cache and no mmap). Measured on 512 MiB:
    /// 128 KiB kept 4 MiB less for 1.5x the page faults (each ~3 µs here), 4 MiB kept 9 MiB more; without these
    /// settings the peak still grew with the input (114 → 133 MiB from 128 to 512 MiB).
    static func boundIngestMemory() {
        #if os(Linux)
        // M_TRIM_THRESHOLD (-1), M_MMAP_THRESHOLD (-3), M_ARENA_MAX (-8). Setting a threshold also turns off
        // glibc's dynamic raising of the mmap threshold.
        _ = glibcMallopt(-1, 128 << 10)
        _ = glibcMallopt(-3, 2 << 20)
        _ = glibcMallopt(-8, 2)
        #endif
    }

    /// Unblocks SIGINT and SIGTERM, which a parent (a test runner, a supervisor) may have started us with
    /// blocked; long-running commands call it so that they can be stopped.
    static func unblockTerminationSignals() {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// Parses a time argument: RFC 3339 / ISO 8601, a date, `now`, `now-7d`, or a bare duration meaning
    /// that long ago (`15m`, `2h`, `7d`).
    static func parseTime(_ s: String, now: Int64 = nowNs()) -> Int64? {
        if let d = parseDuration(s) { return now - d }
        return Timestamp.parse(s, now: now)
    }

    /// `500ms`, `30s`, `15m`, `2h`, `7d`, `1w` to nanoseconds.
    static func parseDuration(_ s: String) -> Int64? { Timestamp.duration(s) }

    /// `90s` → `90s`, `3600s` → `1h`: the largest unit that divides the duration.
    static func formatDuration(_ ns: Int64) -> String {
        for (suffix, scale) in [("w", Int64(604_800_000_000_000)), ("d", 86_400_000_000_000), ("h", 3_600_000_000_000), ("m", 60_000_000_000), ("s", 1_000_000_000)]
        where ns % scale == 0 { return "\(ns / scale)\(suffix)" }
        return "\(ns / 1_000_000)ms"
    }

    static func nowNs() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }
}

#if os(Linux)
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif

/// Minimal JSON writing for `--json` outputs (one object per line).
struct JSONWriter {
    var out = ""

    static func quote(_ s: String) -> String { JSONText.quote(s) }
}
