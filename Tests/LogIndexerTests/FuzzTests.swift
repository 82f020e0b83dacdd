import Filters
import Foundation
import LogCore
import Query
import Testing
@testable import LogIndexer

/// Seeded random drivers (the fuzzing the CI can afford): structured garbage through the line decoders,
/// the partial merger, the multiline joiner, the noise filter and the store's block codec, and through the
/// query parser and the search predicate. `LOGSIFT_FUZZ_SECONDS` runs them longer (default 2 s each);
/// `LOGSIFT_FUZZ_SEED` replays one seed. A crash found here becomes a regression case in the owning suite.
@Suite struct FuzzTests {
    static let seconds = Double(ProcessInfo.processInfo.environment["LOGSIFT_FUZZ_SECONDS"] ?? "") ?? 2
    static let seed = UInt64(ProcessInfo.processInfo.environment["LOGSIFT_FUZZ_SEED"] ?? "") ?? UInt64(Date().timeIntervalSince1970)

    struct Rng {
        var s: UInt64
        mutating func next() -> UInt64 { s &+= 0x9E37_79B9_7F4A_7C15; var z = s; z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9; z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB; return z ^ (z >> 31) }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(1, n))) }
        mutating func pick<T>(_ xs: [T]) -> T { xs[below(xs.count)] }
    }

    static let linePieces: [[UInt8]] = [
        "2026-11-19T10:00:00.123456789Z stdout F ", "2026-11-19T10:00:00Z stderr P ", "{\"log\":\"", "\\n\",\"stream\":\"stdout\",\"time\":\"2026-11-19T10:00:00Z\"}",
        "{\"level\":\"error\",\"msg\":\"", "\"}", "level=info msg=\"a b\" k=v ", "I1119 10:00:00.000000 1 x.go:1] ", "<30>1 2026-11-19T10:00:00Z h a 1 - - ",
        "Nov 19 10:00:00 node kubelet[1]: ", "Traceback (most recent call last):", "  File \"a.py\", line 1, in <module>", "\tat a.b.C(D.java:1)",
        "Caused by: x.Y: z", "panic: boom", "goroutine 1 [running]:", "ERROR", "GET /healthz HTTP/1.1\" 200", "kube-probe/1.29", "${jndi:ldap://x}",
        "\u{1B}[31m", "\u{1B}]0;title\u{07}", "\r", "\u{2028}", "password=hunter2", "eyJhbGciOi.eyJzdWIi.sig", "\"", "\\", "{", "}", "[", "]", ":", ",",
        "9999-99-99T99:99:99Z ", "1970-01-01T00:00:00Z ", "P ", "F ", " ",
    ].map { Array($0.utf8) } + [[0x00], [0xFF, 0xFE], [0xC3], [0xE2, 0x82], [0xF0, 0x9F, 0x98, 0x80]]

    @Test func decodersJoinerFilterAndCodecSurviveStructuredGarbage() throws {
        var rng = Rng(s: Self.seed)
        let deadline = Date().addingTimeInterval(Self.seconds)
        var lines = 0, rounds = 0
        let zstd = ZstdCodec(level: 1)
        while Date() < deadline {
            rounds += 1
            let builder = BatchBuilder()
            builder.filter = NoiseFilter(config: .defaultPack)
            let format = rng.pick(InputFormat.allCases)
            var limits = JoinLimits()
            limits.maxBytes = 1024 + rng.below(8192)
            let decoder = SourceDecoder(labels: StreamLabels(source: "fuzz"), format: format, limits: limits, sink: builder)
            var inputBytes = 0
            for _ in 0..<(1 + rng.below(200)) {
                var line: [UInt8] = []
                for _ in 0..<rng.below(12) {
                    line += rng.pick(Self.linePieces)
                    if rng.below(4) == 0 { line += (0..<rng.below(40)).map { _ in UInt8(truncatingIfNeeded: rng.next()) } }
                }
                if rng.below(50) == 0 { line += [UInt8](repeating: UInt8(ascii: "a"), count: rng.below(200_000)) }
                inputBytes += line.count
                line.withUnsafeBufferPointer { decoder.line($0, readNs: 1_763_546_400_000_000_000, truncated: rng.below(30) == 0) }
                lines += 1
            }
            decoder.flush()
            builder.closeDedupWindows(nowNs: Int64.max)
            let batch = builder.takeBatch()
            for block in batch.blocks {
                #expect(block.lengths.reduce(0) { $0 + Int($1) } == block.bodies.count)
                // Every block survives the store's codec unchanged.
                let data = SegmentedBlock.encode(block, segments: SegmentedBlock.segments(of: block), encoder: ColumnarSegmentEncoder(zstd: zstd))
                let back = try data.withUnsafeBytes { try SegmentedBlock.decode($0, zstd: zstd, labels: block.labels, day: block.day) }[0].block
                #expect(back.bodies == block.bodies && back.timestamps == block.timestamps && back.flags == block.flags)
            }
        }
        print("fuzz (seed \(Self.seed)): \(lines) lines in \(rounds) rounds through the decoders, joiner, filter and codec")
    }

    static let queryPieces = ["a", "b", "\"", "\\", "(", ")", "{", "}", ":", "*", " ", " and ", " or ", " not ", "<", ">", "=", ">=", "level",
                              "deployment", "@timestamp", "now-1d", "2026-11-19", "kind", "template", "failure", "NEAR", "a-b", "a'b", "\u{0}", "é", "-", "\t"]

    /// The parser alone is fuzzed in QueryTests (KQLFuzzTests); here parsed queries go on through the search
    /// layer: predicate translation, date math, evaluation on an event, and the FTS plan.
    @Test func parsedQueriesRunThroughTheSearchLayer() {
        var rng = Rng(s: Self.seed ^ 0xABCD)
        let deadline = Date().addingTimeInterval(Self.seconds)
        var parsed = 0, refused = 0
        let event = StoredEvent(labels: StreamLabels(source: "s", deployment: "d"), ns: 1, level: .error, flags: [.failure], format: .json,
                                text: Array("{\"msg\":\"a b\",\"level\":\"error\",\"user\":{\"id\":42}}".utf8))
        while Date() < deadline {
            var q = ""
            for _ in 0..<rng.below(30) { q += rng.pick(Self.queryPieces) }
            do {
                let node = try KQL.parse(q)
                parsed += 1
                let p = SearchPredicate(node).resolvingTimes(now: 0)
                _ = CompiledPredicate(p).matches(event) { EventFields(event) }
                _ = IndexPlan.ftsExpression(p)
            } catch {
                refused += 1
            }
        }
        print("fuzz (seed \(Self.seed)): \(parsed) queries through the search layer, \(refused) refused by the parser")
        #expect(parsed > 0)
    }
}
