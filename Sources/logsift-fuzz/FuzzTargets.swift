#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The fuzz targets: each takes arbitrary bytes and must return normally. A library trap, a crash, a hang or
/// a failed ``FuzzCheck/that(_:_:)`` (an invariant the library promises) is a finding.
///
/// The same functions run under libFuzzer (`scripts/fuzz.sh`, built with `-DLOGSIFT_FUZZ`) and in the
/// replay runner of the normal build (`logsift-fuzz --target NAME FILE|DIR...`), so a corpus or a crash
/// input replays without libFuzzer.
enum FuzzTargets {
    typealias Target = @Sendable (UnsafeRawBufferPointer) -> Void

    /// Name, what it exercises, and the function. `scripts/fuzz.sh` knows the names and their `-max_len`.
    static let all: [(name: String, about: String, run: Target)] = [
        ("kql", "query text: KQL parser, printer round trip, search predicate and index plan against fixed events", KQLTarget.run),
        ("decode", "log lines: LineReader, SourceDecoder for every input format, BatchBuilder with the default noise pack", DecodeTarget.run),
        ("block", "stored block bytes: SegmentedBlock / BlockCodec / SegmentBlooms decoders, encode-decode round trips", BlockTarget.run),
        ("rules", "a YAML rule file: FilterConfig and RetentionSettings loading, the loaded rules run on lines", RulesTarget.run),
    ]

    static func named(_ name: String) -> Target? { all.first { $0.name == name }?.run }
    static var names: String { all.map(\.name).joined(separator: ", ") }
}

/// Invariant checks: a failure prints what broke and traps, which libFuzzer reports as a crash (and saves
/// the input) and which stops the replay runner (naming the input).
enum FuzzCheck {
    static func that(_ condition: Bool, _ what: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line) {
        guard !condition else { return }
        fail(what(), file: file, line: line)
    }

    static func fail(_ what: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
        FileOutput.stderr("logsift-fuzz: invariant broken: \(what)\n")
        fatalError("invariant broken (\(file):\(line))", file: file, line: line)
    }
}

/// Unbuffered writes (the process may trap right after).
enum FileOutput {
    static func stderr(_ s: String) { put(s, to: 2) }
    static func stdout(_ s: String) { put(s, to: 1) }

    static func put(_ s: String, to fd: Int32) {
        var s = s
        s.withUTF8 { p in
            var off = 0
            while off < p.count {
                let n = write(fd, p.baseAddress! + off, p.count - off)
                if n <= 0 { break }
                off += n
            }
        }
    }
}
