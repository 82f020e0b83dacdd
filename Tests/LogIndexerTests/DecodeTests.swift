import Testing
import LogCore
@testable import LogIndexer

@Suite struct DecodeTests {
    @Test func criLinesKeepRuntimeTimeAndStream() throws {
        let ev = decodeEvents(["2016-10-06T00:17:09.669794202Z stdout F The content of the log entry 1",
                               "2016-10-06T00:17:10.113242941Z stderr F boom"])
        #expect(ev.count == 2)
        #expect(ev[0].text == "The content of the log entry 1")
        #expect(ev[0].ns == Timestamp.parse("2016-10-06T00:17:09.669794202Z"))
        #expect(ev[0].labels.stream == "stdout")
        #expect(ev[0].flags.contains(.timeInherited))
        #expect(ev[1].labels.stream == "stderr")
    }

    @Test func criPartialsMergeAcrossInterleavedStreams() {
        let ev = decodeEvents(["2016-10-06T00:17:09.669794202Z stdout P First line of log entry 2",
                               "2016-10-06T00:17:09.669794203Z stderr F other stream",
                               "2016-10-06T00:17:09.669794204Z stdout P  and more",
                               "2016-10-06T00:17:10.113242941Z stdout F  and the end"])
        let stdout = ev.filter { $0.labels.stream == "stdout" }
        #expect(stdout.count == 1)
        #expect(stdout[0].text == "First line of log entry 2 and more and the end")
        #expect(stdout[0].flags.contains(.merged))
        #expect(stdout[0].ns == Timestamp.parse("2016-10-06T00:17:09.669794202Z"))
        #expect(ev.filter { $0.labels.stream == "stderr" }.map(\.text) == ["other stream"])
    }

    @Test func partialMergeIsCappedByBytes() {
        var limits = JoinLimits()
        limits.maxBytes = 1024
        let piece = String(repeating: "x", count: 600)
        let ev = decodeEvents(["2016-10-06T00:17:09Z stdout P \(piece)", "2016-10-06T00:17:09Z stdout P \(piece)", "2016-10-06T00:17:09Z stdout F end"], limits: limits)
        #expect(ev.count == 1)
        #expect(ev[0].flags.contains(.truncated))
        #expect(ev[0].text.hasSuffix(LineCheck.truncationMarkerText))
        #expect(ev[0].text.utf8.count == 1024 + LineCheck.truncationMarkerText.utf8.count)
    }

    @Test func dockerJSONFileLinesAndFragments() {
        let ev = decodeEvents([#"{"log":"hello \"world\"\n","stream":"stdout","time":"2019-04-30T02:12:41.8443515Z"}"#,
                               #"{"log":"part one, ","stream":"stderr","time":"2019-04-30T02:12:42Z"}"#,
                               #"{"log":"part two\n","stream":"stderr","time":"2019-04-30T02:12:43Z"}"#])
        #expect(ev.map(\.text) == ["hello \"world\"", "part one, part two"])
        #expect(ev[0].ns == Timestamp.parse("2019-04-30T02:12:41.8443515Z"))
        #expect(ev[1].labels.stream == "stderr")
    }

    @Test func malformedDockerLineIsKeptAsPlainWithAFlag() {
        let ev = decodeEvents([#"{"log":"unterminated"#])
        #expect(ev.count == 1)
        #expect(ev[0].text == #"{"log":"unterminated"#)
        #expect(ev[0].flags.contains(.parseError))
    }

    @Test func jsonBodyGivesTimeAndLevel() {
        let ev = decodeEvents([#"{"level":"error","ts":"2026-11-19T10:00:13.1Z","msg":"charge failed","user_id":1042}"#,
                               #"{"severity":"WARNING","timestamp":1763546400.25,"message":"slow"}"#,
                               #"{"level":30,"time":1763546400250,"msg":"pino"}"#])
        #expect(ev.count == 3)
        let byText = Dictionary(uniqueKeysWithValues: ev.map { ($0.text, $0) })
        #expect(byText[#"{"level":"error","ts":"2026-11-19T10:00:13.1Z","msg":"charge failed","user_id":1042}"#]?.level == .error)
        #expect(byText[#"{"level":"error","ts":"2026-11-19T10:00:13.1Z","msg":"charge failed","user_id":1042}"#]?.ns == Timestamp.parse("2026-11-19T10:00:13.1Z"))
        #expect(byText[#"{"severity":"WARNING","timestamp":1763546400.25,"message":"slow"}"#]?.ns == 1_763_546_400_250_000_000)
        #expect(byText[#"{"level":30,"time":1763546400250,"msg":"pino"}"#]?.level == .info)
        #expect(ev.allSatisfy { $0.format == .json && !$0.flags.contains(.timeInherited) })
    }

    @Test func malformedJSONBodyIsFlagged() {
        let ev = decodeEvents([#"{"level":"info","msg":"oops"#])
        #expect(ev[0].flags.contains(.parseError))
        #expect(ev[0].format == .plain)
    }

    @Test(arguments: [
        ("time=2026-11-19T10:00:44Z level=warn msg=\"login failed\" user=mallory", BodyFormat.logfmt, LogLevel.warn, "2026-11-19T10:00:44Z"),
        ("I1119 10:00:50.000001       1 server.go:77] \"CoreDNS started\"", .klog, .info, "2026-11-19T10:00:50.000001Z"),
        ("E1119 10:00:51.5 1 reflector.go:147] failed", .klog, .error, "2026-11-19T10:00:51.5Z"),
        ("<30>1 2026-11-19T10:00:57.000Z node-a containerd 777 - - started", .syslog, .info, "2026-11-19T10:00:57Z"),
        ("<11>Nov 19 10:00:56 node-a app[1]: disk failing", .syslog, .error, "2026-11-19T10:00:56Z"),
        ("Nov 19 10:00:55 node-a kubelet[1234]: W1119 10:00:55.123456    1234 prober.go:107] \"Probe failed\"", .syslog, .warn, "2026-11-19T10:00:55Z"),
        ("[2019-05-23T09:41:11.123Z] Finished: FAILURE", .ci, .unknown, "2019-05-23T09:41:11.123Z"),
        ("2024-07-08T12:00:01.1234567Z ##[error]Process completed with exit code 1.", .ci, .error, "2024-07-08T12:00:01.1234567Z"),
        ("2026-11-19 10:00:30,001 INFO inference.server: model loaded", .plain, .info, "2026-11-19T10:00:30.001Z"),
        ("2026-11-19 10:00:21.552 [http-nio-8080-exec-3] ERROR c.e.OrderService - failed", .plain, .error, "2026-11-19T10:00:21.552Z"),
    ])
    func bodyFormats(line: String, format: BodyFormat, level: LogLevel, time: String) {
        let ev = decodeEvents([line])
        #expect(ev.count == 1)
        #expect(ev.first?.format == format)
        #expect(ev.first?.level == level)
        #expect(ev.first?.ns == Timestamp.parse(time))
    }

    @Test func plainWithoutTimeTakesReadTimeAndIsMarked() {
        let ev = decodeEvents(["just some text", "ERROR: disk full"])
        #expect(ev.count == 2)
        #expect(ev.allSatisfy { $0.flags.contains(.timeInherited) && $0.ns == testReadNs })
        #expect(ev.first { $0.text == "ERROR: disk full" }?.level == .error)
    }

    @Test func impossibleTimestampsFallBackWithAFlag() {
        let ev = decodeEvents([#"{"ts":"9999-12-31T23:59:59Z","msg":"future"}"#, #"{"time":"garbage","msg":"x"}"#,
                               // Epoch numbers past 2262 (they trapped: found by the decode fuzz target).
                               #"{"time":9999999999,"msg":"x"}"#, #"{"ts":"99999999999999999","msg":"x"}"#,
                               "ts=99999999999999 level=info msg=x"])
        #expect(ev.count == 5)
        #expect(ev.allSatisfy { $0.flags.contains(.badTimestamp) && $0.ns == testReadNs })
    }

    @Test func invalidUTF8AndNULAreKeptAndFlagged() {
        let builder = BatchBuilder()
        let d = SourceDecoder(labels: StreamLabels(source: "t"), format: .auto, limits: JoinLimits(), sink: builder)
        var bytes: [UInt8] = Array("bad ".utf8) + [0xC3, 0x28] + Array(" rest\u{0}end".utf8)
        bytes.withUnsafeMutableBufferPointer { d.line(UnsafeBufferPointer($0), readNs: 0, truncated: false) }
        d.flush()
        let batch = builder.takeBatch()
        #expect(batch.blocks[0].bodies == bytes)
        let f = EventFlags(rawValue: batch.blocks[0].flags[0])
        #expect(f.contains(.invalidUTF8) && f.contains(.nulBytes))
        #expect(batch.counters.invalidUTF8 == 1 && batch.counters.nulBytes == 1)
    }
}

@Suite struct AccessLogTests {
    @Test func commonLogFormatTimeIsTheEventTime() {
        let ev = decodeEvents([#"10.244.1.1 - - [19/Nov/2026:10:00:05 +0100] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.29""#])
        #expect(ev.count == 1)
        #expect(ev[0].ns == Timestamp.parse("2026-11-19T09:00:05Z"))
        #expect(!ev[0].flags.contains(.timeInherited))
    }

    @Test func accessLinesBetweenTimestampedLinesStayApart() {
        let ev = decodeEvents([
            "2026-11-19T10:00:00Z INFO server started",
            #"10.0.0.1 - - [19/Nov/2026:10:00:01 +0000] "GET / HTTP/1.1" 200 5"#,
            "plain line without time",
            "2026-11-19T10:00:02Z INFO next",
        ])
        #expect(ev.count == 4)
    }
}
