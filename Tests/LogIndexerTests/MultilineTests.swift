import Testing
import LogCore
@testable import LogIndexer

@Suite struct MultilineTests {
    @Test func javaStackTraceAfterTimestampedLine() {
        let ev = decodeEvents([
            "2026-11-19 10:00:21.552 [exec-3] ERROR c.e.OrderService - order 9917 failed",
            "java.lang.IllegalStateException: inventory service returned 503",
            "\tat com.example.checkout.InventoryClient.reserve(InventoryClient.java:88)",
            "Caused by: java.net.SocketTimeoutException: Read timed out",
            "\t... 42 more",
            "2026-11-19 10:00:22.004 [exec-4] WARN  c.e.RetryPolicy - retrying",
        ])
        #expect(ev.count == 2)
        #expect(ev[0].text.hasPrefix("2026-11-19 10:00:21.552"))
        #expect(ev[0].text.hasSuffix("\t... 42 more"))
        #expect(ev[0].text.split(separator: "\n").count == 5)
        #expect(ev[0].flags.contains(.multiline))
        #expect(ev[0].level == .error)
        #expect(ev[1].level == .warn)
    }

    @Test func pythonTracebackWithoutTimestamps() {
        let ev = decodeEvents([
            "Traceback (most recent call last):",
            "  File \"/app/server.py\", line 88, in predict",
            "    out = model(batch)",
            "torch.cuda.OutOfMemoryError: CUDA out of memory.",
            "next unrelated line",
        ])
        #expect(ev.map { $0.text.split(separator: "\n").count } == [4, 1])
    }

    @Test func chainedPythonTracebacks() {
        let ev = decodeEvents([
            "Traceback (most recent call last):",
            "  File \"a.py\", line 1, in <module>",
            "KeyError: 'x'",
            "",
            "During handling of the above exception, another exception occurred:",
            "",
            "Traceback (most recent call last):",
            "  File \"a.py\", line 3, in <module>",
            "ValueError: bad",
            "done",
        ])
        #expect(ev.count == 2)
        #expect(ev[0].text.hasSuffix("ValueError: bad"))
    }

    @Test func githubActionsPrefixedTraceback() {
        let ev = decodeEvents([
            "2024-07-08T12:00:00.0000001Z Traceback (most recent call last):",
            "2024-07-08T12:00:00.0000002Z   File \"smoke_test.py\", line 12, in <module>",
            "2024-07-08T12:00:00.0000003Z     assert r.status_code == 200",
            "2024-07-08T12:00:00.0000004Z AssertionError",
            "2024-07-08T12:00:00.0000005Z ##[error]Process completed with exit code 1.",
        ])
        #expect(ev.count == 2)
        #expect(ev[0].text.split(separator: "\n").count == 4)
        #expect(ev[1].level == .error)
    }

    @Test func goPanicWithGoroutines() {
        let ev = decodeEvents([
            "panic: runtime error: invalid memory address or nil pointer dereference",
            "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a2f6e]",
            "",
            "goroutine 1 [running]:",
            "main.handler(0xc000010000)",
            "\t/app/main.go:42 +0x1e",
            "created by net/http.(*Server).Serve",
            "\t/usr/local/go/src/net/http/server.go:3086 +0x5cb",
            "I1119 10:00:50.000001       1 server.go:77] restarted",
        ])
        #expect(ev.count == 2)
        #expect(ev[0].text.split(separator: "\n", omittingEmptySubsequences: false).count == 8)
    }

    @Test func jsonLinesNeverJoin() {
        let ev = decodeEvents([#"{"msg":"a","ts":"2026-11-19T10:00:00Z"}"#, "   indented", #"{"msg":"b"}"#])
        #expect(ev.count == 3)
    }

    @Test func plainLinesWithoutAnyTimestampStaySeparate() {
        let ev = decodeEvents(["Starting server", "Listening on :8080", "ready"])
        #expect(ev.count == 3)
    }

    @Test func joinIsCappedByLines() {
        var limits = JoinLimits()
        limits.maxLines = 3
        let lines = ["2026-11-19 10:00:00 ERROR boom"] + (0..<5).map { "\tat frame\($0)" }
        let ev = decodeEvents(lines, limits: limits)
        #expect(ev.map { $0.text.split(separator: "\n").count } == [3, 3])
    }
}

@Suite struct AlignedLevelTests {
    @Test func uvicornStyleAlignedLevelsAreSeparateEvents() {
        let ev = decodeEvents([
            #"INFO:     10.244.3.216:54600 - "GET /healthz HTTP/1.1" 200 OK"#,
            #"INFO:     10.244.3.145:37859 - "GET /readyz HTTP/1.1" 200 OK"#,
            "2026-11-19T10:00:00Z ERROR boom",
            "    indented continuation",
        ])
        #expect(ev.map { $0.text.split(separator: "\n").count } == [1, 1, 2])
        #expect(ev[0].level == .info)
    }
}
