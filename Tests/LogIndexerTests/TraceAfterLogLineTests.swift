import Testing
import LogCore
@testable import LogIndexer

/// A log line and the trace printed right after it are one event: `logger.exception()` in Python, a Go panic
/// after a logged line (zap's console format here). The event keeps the first line's time and level.
@Suite struct TraceAfterLogLineTests {
    @Test func pythonLoggerExceptionIsOneEvent() {
        let ev = decodeEvents([
            "2026-11-19 10:00:01,123 ERROR payments.api: charge failed for order 4411",
            "Traceback (most recent call last):",
            "  File \"/app/payments/api.py\", line 41, in charge",
            "    gateway.charge(order)",
            "ValueError: card declined",
            "",
            "During handling of the above exception, another exception occurred:",
            "",
            "Traceback (most recent call last):",
            "  File \"/app/payments/api.py\", line 44, in charge",
            "RuntimeError: charge failed",
            "2026-11-19 10:00:02,004 INFO payments.api: next request",
        ])
        #expect(ev.count == 2)
        #expect(ev[0].level == .error)
        #expect(ev[0].text.hasPrefix("2026-11-19 10:00:01,123 ERROR"))
        #expect(ev[0].text.hasSuffix("RuntimeError: charge failed"))
        #expect(ev[1].level == .info)
    }

    @Test func goPanicAfterALogLineIsOneEvent() {
        let ev = decodeEvents([
            "2026-11-19T10:00:01.123Z\tINFO\thandling GET /orders/17",
            "panic: runtime error: index out of range [3] with length 3",
            "",
            "goroutine 34 [running]:",
            "main.handler(0xc000112000)",
            "\t/app/main.go:42 +0x1d",
            "created by net/http.(*Server).Serve",
            "\t/usr/local/go/src/net/http/server.go:3086 +0x5cb",
            "2026-11-19T10:00:02.004Z\tINFO\tlistening on :8080",
        ])
        #expect(ev.count == 2, "\(ev.map(\.text))")
        #expect(ev[0].text.split(separator: "\n", omittingEmptySubsequences: false).count == 8)
    }

    @Test func untimedLinesOfAnUntimedStreamStayApart() {
        let ev = decodeEvents(["building image", "step 1 done", "step 2 done"])
        #expect(ev.count == 3)
    }
}
