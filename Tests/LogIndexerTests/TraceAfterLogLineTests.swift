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

    /// Each language's logger line followed by the trace its runtime or logging library prints, then the next
    /// log line: the trace is one event with its log line, keeping that line's time and level. Where a trace
    /// starts with a plain line (Ruby, `Unhandled exception.`), an earlier log line (`lead`) shows that this
    /// stream's records begin with a time or level; a stream's first record and line are never joined that way.
    static let traces: [(name: String, lead: Int, lines: [String], level: LogLevel)] = [
        ("python logging.basicConfig", 0, [
            "ERROR:payments.api:charge failed for order 4411",
            "Traceback (most recent call last):",
            "  File \"/app/payments/api.py\", line 41, in charge",
            "    gateway.charge(order)",
            "ValueError: card declined",
            "INFO:payments.api:next request",
        ], .error),
        ("java spring boot", 0, [
            "2026-11-19T10:00:01.123Z ERROR 1 --- [cart] [nio-8080-exec-1] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() for servlet [dispatcherServlet] threw exception",
            "java.lang.IllegalStateException: cart empty",
            "\tat com.example.cart.CartService.checkout(CartService.java:42) ~[classes/:na]",
            "\tat com.example.cart.CartController.checkout(CartController.java:27) ~[classes/:na]",
            "Caused by: java.sql.SQLException: connection reset",
            "\tat org.postgresql.core.v3.QueryExecutorImpl.execute(QueryExecutorImpl.java:356)",
            "\t... 48 common frames omitted",
            "2026-11-19T10:00:02.000Z  INFO 1 --- [cart] [nio-8080-exec-2] c.e.cart.CartController : next",
        ], .error),
        ("go log + panic", 0, [
            "2026/11/19 10:00:01 processing order 17",
            "panic: runtime error: invalid memory address or nil pointer dereference",
            "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a5b2c]",
            "",
            "goroutine 1 [running]:",
            "main.process(0x0)",
            "\t/app/main.go:21 +0x1c",
            "main.main()",
            "\t/app/main.go:12 +0x25",
            "exit status 2",
            "2026/11/19 10:00:05 restarted",
        ], .unknown),
        ("go log http panic", 0, [
            "2026/11/19 10:00:01 http: panic serving 10.0.0.1:51234: runtime error: index out of range [3] with length 3",
            "goroutine 7 [running]:",
            "net/http.(*conn).serve.func1()",
            "\t/usr/local/go/src/net/http/server.go:1868 +0xb9",
            "main.handler({0x6f3a40, 0xc0001a0000}, 0xc000190000)",
            "\t/app/main.go:42 +0x1d",
            "2026/11/19 10:00:02 GET /orders 200",
        ], .unknown),
        ("dotnet console logger", 0, [
            "fail: Microsoft.AspNetCore.Diagnostics.DeveloperExceptionPageMiddleware[1]",
            "      An unhandled exception has occurred while executing the request.",
            "      System.InvalidOperationException: Sequence contains no elements",
            "         at System.Linq.ThrowHelper.ThrowNoElementsException()",
            "         at Cart.Api.Controllers.CartController.Get(Int32 id) in /src/Cart.Api/Controllers/CartController.cs:line 31",
            "info: Microsoft.AspNetCore.Hosting.Diagnostics[2]",
        ], .error),
        ("dotnet unhandled after log line", 1, [
            "2026-11-19T10:00:00.000Z info: Cart.Worker[0] started",
            "2026-11-19T10:00:01.123Z info: Cart.Worker[0] draining queue",
            "Unhandled exception. System.InvalidOperationException: queue closed",
            "   at Cart.Worker.Drain() in /src/Cart.Worker/Worker.cs:line 58",
            "   at Cart.Worker.Program.Main(String[] args) in /src/Cart.Worker/Program.cs:line 12",
            "2026-11-19T10:00:09.000Z info: Cart.Worker[0] started",
        ], .info),
        ("ruby logger + uncaught", 1, [
            "I, [2026-11-19T10:00:00.000000 #1]  INFO -- : job 4 started",
            "E, [2026-11-19T10:00:01.123456 #1] ERROR -- : job 5 failed",
            "/app/worker.rb:12:in `process': undefined method `total' for nil (NoMethodError)",
            "\tfrom /app/worker.rb:30:in `block in run'",
            "\tfrom /app/worker.rb:29:in `each'",
            "I, [2026-11-19T10:00:02.000000 #1]  INFO -- : job 6 started",
        ], .error),
        ("node winston + console.error(err)", 0, [
            "2026-11-19T10:00:01.123Z error: db connect failed",
            "Error: connect ECONNREFUSED 10.0.0.7:5432",
            "    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16) {",
            "  errno: -111,",
            "  code: 'ECONNREFUSED',",
            "  syscall: 'connect'",
            "}",
            "2026-11-19T10:00:02.000Z info: retrying",
        ], .error),
        ("php fatal", 0, [
            "[19-Nov-2026 10:00:01 UTC] PHP Fatal error:  Uncaught RuntimeException: cart empty in /app/src/Cart.php:42",
            "Stack trace:",
            "#0 /app/public/index.php(17): Cart->checkout()",
            "#1 {main}",
            "  thrown in /app/src/Cart.php on line 42",
            "[19-Nov-2026 10:00:02 UTC] PHP Notice:  Undefined index: id in /app/src/Cart.php on line 12",
        ], .error),
        ("python plain continuation text", 1, [
            "2026-11-19 10:00:00,001 INFO cart.sync: starting",
            "2026-11-19 10:00:01,123 WARNING cart.sync: retrying upstream sync",
            "upstream said:",
            "  503 Service Unavailable",
            "2026-11-19 10:00:02,004 INFO cart.sync: done",
        ], .warn),
    ]

    @Test(arguments: traces.indices) func aLogLineAndItsTraceAreOneEvent(_ k: Int) {
        let c = Self.traces[k]
        let ev = decodeEvents(c.lines)
        #expect(ev.count == c.lead + 2, "\(c.name): \(ev.map(\.text))")
        guard ev.count == c.lead + 2 else { return }
        let joined = ev[c.lead]
        #expect(joined.text == c.lines[c.lead..<(c.lines.count - 1)].joined(separator: "\n"), "\(c.name)")
        #expect(joined.level == c.level, "\(c.name)")
        #expect(ev.last!.text == c.lines.last!, "\(c.name)")
    }

    @Test func aPauseInTheContainersOutputEndsTheEvent() {
        let cri = { (t: String, body: String) in "2026-11-19T10:00:\(t)Z stderr F \(body)" }
        let ev = decodeEvents([
            cri("01.000000000", "2026-11-19 10:00:01,000 ERROR worker: job 9 failed"),
            cri("01.000200000", "Traceback (most recent call last):"),
            cri("01.000300000", "  File \"/app/worker.py\", line 7, in run"),
            cri("01.000400000", "KeyError: 'id'"),
            cri("02.000000000", "2026-11-19 10:00:02,000 ERROR worker: job 10 failed"),
            cri("09.000000000", "Traceback (most recent call last):"),
            cri("09.000100000", "  File \"/app/worker.py\", line 7, in run"),
            cri("09.000200000", "KeyError: 'id'"),
        ])
        #expect(ev.map { $0.text.split(separator: "\n").count } == [4, 1, 3], "\(ev.map(\.text))")
    }

    @Test func bareLinesOfAStreamOfBareLinesStayApart() {
        // A CI console log: most lines have neither a time nor a level, so one timed line does not swallow the rest.
        let ev = decodeEvents(["Started by user admin", "[Pipeline] stage", "2026-11-19 10:00:01 building cart", "+ make build",
                               "compiling 12 files"])
        #expect(ev.count == 5)
    }

    @Test func requestLinesAndTaggedLinesAreRecordsOfTheirOwn() {
        // A stream of timed records; gin's and morgan's request lines have no time or level at their start, yet are
        // records: joining them to the line before would let a probe's drop take a failed request with it.
        let ev = decodeEvents([
            "2026-11-19T10:00:00.000Z INFO server: listening on :8080",
            "2026-11-19T10:00:01.000Z INFO server: warmed up",
            #"[GIN] 2026/11/19 - 10:00:02 | 200 |       1.2ms |      10.244.0.1 | GET      "/healthz""#,
            #"[GIN] 2026/11/19 - 10:00:03 | 500 |       1.2ms |      10.244.0.1 | GET      "/healthz""#,
            "GET /orders/17 500 12.1 ms - 21",
        ])
        #expect(ev.count == 5, "\(ev.map(\.text))")
    }
}
