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
}
