import LogCore
import Testing
@testable import LogIndexer

/// Files that mix container envelopes, or hold lines that are no envelope at all, between pieces.
@Suite struct EnvelopeMixTests {
    @Test func dockerFragmentAndCRIPiecesOfOneStreamStayApart() {
        let ev = decodeEvents([
            #"{"log":"job ","stream":"stdout","time":"2026-11-19T10:00:00Z"}"#,
            "2026-11-19T10:00:01.000000001Z stdout F cri whole",
            "2026-11-19T10:00:02.000000001Z stdout P cri one, ",
            #"{"log":"started\n","stream":"stdout","time":"2026-11-19T10:00:03Z"}"#,
            "2026-11-19T10:00:04.000000001Z stdout F cri two",
        ])
        #expect(ev.map(\.text) == ["cri whole", "job started", "cri one, cri two"])
        #expect(ev.allSatisfy { $0.labels.stream == "stdout" })
        #expect(ev[1].flags.contains(.merged) && ev[2].flags.contains(.merged))
    }

    @Test func rawControlBytesInsideDockerLogAreRead() {
        let ev = decodeEvents(["{\"log\":\"tab\there\",\"stream\":\"stderr\",\"time\":\"2026-11-19T10:00:00Z\"}",
                               "{\"log\":\"ends with a raw LF\n\",\"stream\":\"stderr\",\"time\":\"2026-11-19T10:00:01Z\"}"])
        #expect(ev.map(\.text) == ["tab\there" + "ends with a raw LF"])
        #expect(!ev[0].flags.contains(.parseError))
        #expect(ev[0].labels.stream == "stderr")
    }

    @Test func jsonBodiesStillRefuseRawControlBytes() {
        let ev = decodeEvents(["{\"msg\":\"tab\there\"}"], format: .json)
        #expect(ev.count == 1 && ev[0].flags.contains(.parseError))
    }

    @Test func aLineWithoutEnvelopeEndsPendingPieces() {
        let ev = decodeEvents([
            #"{"log":"out piece","stream":"stdout","time":"2026-11-19T10:00:00Z"}"#,
            "2026-11-19T10:00:01.000000001Z stderr P err piece",
            "plain line between",
            #"{"log":"next\n","stream":"stdout","time":"2026-11-19T10:00:02Z"}"#,
            "2026-11-19T10:00:03.000000001Z stderr F next err",
        ])
        #expect(Set(ev.map(\.text)) == ["out piece", "err piece", "plain line between", "next", "next err"])
        let pieces = ev.filter { $0.text.hasSuffix("piece") }
        #expect(pieces.count == 2 && pieces.allSatisfy { $0.flags.contains(.merged) && !$0.flags.contains(.capped) })
    }

    /// A restart while a Docker fragment is held and CRI lines of the same stream after it were already
    /// committed: the CRI lines are skipped (per stream *and* kind), the fragment is read again and completed.
    /// Before kinds were told apart, the stream's skip offset passed the fragment and it was lost.
    @Test func aRestartWithAHeldDockerFragmentLosesNothingAndRepeatsNothing() {
        let lines = [
            #"{"log":"job ","stream":"stdout","time":"2026-11-19T10:00:00Z"}"#,
            "2026-11-19T10:00:01.000000001Z stdout F cri one",
            "2026-11-19T10:00:01.000000002Z stdout F cri two",
            #"{"log":"started\n","stream":"stdout","time":"2026-11-19T10:00:03Z"}"#,
            "2026-11-19T10:00:04.000000001Z stdout F cri three",
        ]
        var offsets: [(start: Int64, end: Int64)] = []
        var at: Int64 = 0
        for l in lines { offsets.append((at, at + Int64(l.utf8.count) + 1)); at += Int64(l.utf8.count) + 1 }
        func texts(_ builder: BatchBuilder) -> [String] {
            builder.takeBatch().blocks.flatMap { block in
                var off = 0
                return (0..<block.count).map { i in
                    let n = Int(block.lengths[i]); defer { off += n }
                    return String(decoding: block.bodies[off..<(off + n)], as: UTF8.self)
                }
            }
        }
        func feed(_ decoder: SourceDecoder, _ range: Range<Int>) {
            for i in range {
                var b = Array(lines[i].utf8)
                b.withUnsafeMutableBufferPointer { decoder.line(UnsafeBufferPointer($0), readNs: testReadNs, truncated: false, start: offsets[i].start, end: offsets[i].end) }
            }
        }
        // First run: the fragment and both CRI lines are read; "cri one" goes out (the next line ends it) and is
        // committed, while the fragment is held and "cri two" may still be joined.
        let first = BatchBuilder()
        let d1 = SourceDecoder(labels: StreamLabels(source: "t"), format: .auto, limits: JoinLimits(), sink: first)
        feed(d1, 0..<3)
        let committed = texts(first)
        #expect(committed == ["cri one"])
        let position = d1.checkpoint(readerOffset: offsets[2].end)
        #expect(position.resume == offsets[0].start)
        let readBack = SourcePosition(resume: position.resume, skipsText: position.skipsText)
        #expect(readBack == position)
        // kill -9, restart from the checkpoint.
        let second = BatchBuilder()
        let d2 = SourceDecoder(labels: StreamLabels(source: "t"), format: .auto, limits: JoinLimits(), sink: second)
        d2.restore(readBack!)
        let from = offsets.firstIndex { $0.start >= position.resume }!
        feed(d2, from..<lines.count)
        d2.flush()
        let all = committed + texts(second)
        #expect(all.sorted() == ["cri one", "cri three", "cri two", "job started"], "\(committed) then \(all.dropFirst(committed.count))")
        // A checkpoint written before kinds were told apart ("1:N") still reads, for both kinds.
        #expect(SourcePosition(resume: 0, skipsText: "1:99")?.skips == [SourcePosition.key(stream: 1, kind: 0): 99, SourcePosition.key(stream: 1, kind: 1): 99])
    }
}
