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

/// One input and the line count of each event it should give.
struct JoinCase: Sendable, CustomTestStringConvertible {
    var name: String
    var lines: [String]
    var groups: [Int]
    var maxBytes: Int? = nil

    var testDescription: String { name }
}

@Suite struct TraceGroupingTests {
    static let cases: [JoinCase] = [
        JoinCase(name: "php fatal error with stack trace and thrown-in line", lines: [
            "PHP Fatal error:  Uncaught RuntimeException: db down in /srv/app/Db.php:41",
            "Stack trace:",
            "#0 /srv/app/Repo.php(17): Db->connect()",
            "#1 /srv/app/index.php(8): Repo->load()",
            "#2 {main}",
            "  thrown in /srv/app/Db.php on line 41",
            "request finished",
        ], groups: [6, 1]),
        JoinCase(name: "php chained exceptions (Next ...)", lines: [
            "PHP Fatal error:  Uncaught Exception: first in /srv/a.php:3",
            "Stack trace:",
            "#0 {main}",
            "",
            "Next RuntimeException: second in /srv/a.php:5",
            "Stack trace:",
            "#0 {main}",
            "  thrown in /srv/a.php on line 5",
            "PHP Warning:  something else",
        ], groups: [8, 1]),
        JoinCase(name: "php after a timestamped line", lines: [
            "2026-11-19T10:00:00Z ERROR exception 'LogicException' with message 'nope' in /srv/b.php:9",
            "Stack trace:",
            "#0 /srv/c.php(2): f()",
            "#1 {main}",
            "2026-11-19T10:00:01Z INFO next request",
        ], groups: [4, 1]),
        JoinCase(name: "dart unhandled exception with a multi-line message", lines: [
            "Unhandled exception:",
            "FormatException: Unexpected character (at character 1)",
            "not json",
            "^",
            "",
            "#0      _ChunkedJsonParser.fail (dart:convert-patch/convert_patch.dart:1383:5)",
            "#1      main (file:///srv/bin/main.dart:4:3)",
            "<asynchronous suspension>",
            "#2      _startIsolate (dart:isolate-patch/isolate_patch.dart:307)",
            "server stopped",
        ], groups: [9, 1]),
        JoinCase(name: "dart traces back to back", lines: [
            "Unhandled exception:",
            "Bad state: closed",
            "#0      Sink.add (file:///srv/lib/sink.dart:8:5)",
            "Unhandled exception:",
            "Instance of 'Failure'",
            "#0      main (file:///srv/bin/main.dart:9:3)",
        ], groups: [3, 3]),
        JoinCase(name: "dart message without frames is capped", lines: ["Unhandled exception:"] + (0..<25).map { "message line \($0)" },
                 groups: [21, 1, 1, 1, 1, 1]),
        JoinCase(name: "buildkit step lines stay separate", lines: [
            "#1 [internal] load build definition from Dockerfile",
            "#1 transferring dockerfile: 214B done",
            "#1 DONE 0.0s",
            "#2 [2/3] RUN make (release)",
            "#2 0.512 ok (cached)",
        ], groups: [1, 1, 1, 1, 1]),
        JoinCase(name: "buildkit lines after an error line stay separate", lines: [
            "ERROR: failed to solve: process \"/bin/sh -c make\" did not complete successfully: exit code: 2",
            "#3 [3/3] RUN make test (unit)",
            "#3 1.204 FAIL (2 tests)",
        ], groups: [1, 1, 1]),
        JoinCase(name: "java nested exception with a blank line", lines: [
            "2026-11-19 10:00:00.000 ERROR Mailer - send failed",
            "javax.mail.MessagingException: Could not connect to SMTP host;",
            "  nested exception is:",
            "java.net.ConnectException: Connection refused",
            "",
            "\tat javax.mail.Service.connect(Service.java:295)",
            "2026-11-19 10:00:01.000 INFO  Mailer - retrying",
        ], groups: [6, 1]),
        JoinCase(name: "java traces without timestamps back to back", lines: [
            "java.lang.IllegalStateException: boom",
            "\tat com.example.A.run(A.java:10)",
            "java.lang.RuntimeException: again",
            "\tat com.example.B.run(B.java:20)",
        ], groups: [2, 2]),
        JoinCase(name: "go http handler panic after a log-prefixed line", lines: [
            "2026/11/19 10:00:00 http: panic serving 10.0.0.7:51234: boom",
            "goroutine 7 [running]:",
            "net/http.(*conn).serve.func1(0xc000118000)",
            "\t/usr/local/go/src/net/http/server.go:1854 +0xbf",
            "panic({0x6c1a40, 0x7e3b10})",
            "\t/usr/local/go/src/runtime/panic.go:890 +0x262",
            "2026/11/19 10:00:01 listening on :8080",
        ], groups: [6, 1]),
        JoinCase(name: "rails error headers start their own events", lines: [
            "Started GET \"/books/7\" for 10.0.0.1",
            " NoMethodError (undefined method `title' for nil):",
            "  app/controllers/books_controller.rb:12:in `show'",
            "  ",
            "  actionpack (7.1.0) lib/action_dispatch/middleware/debug_exceptions.rb:29:in `call'",
            " ActionController::RoutingError (No route matches [GET] \"/x\"):",
            "  actionpack (7.1.0) lib/action_dispatch/middleware/debug_exceptions.rb:29:in `call'",
        ], groups: [1, 4, 2]),
        JoinCase(name: "max bytes counts each line with its newline", lines: ["boom", "  at a", "  at b", "  at c"],
                 groups: [2, 1, 1], maxBytes: 12),
    ]

    @Test(arguments: cases) func groupsTraceLines(_ c: JoinCase) {
        var limits = JoinLimits()
        if let n = c.maxBytes { limits.maxBytes = n }
        let ev = decodeEvents(c.lines, limits: limits)
        #expect(ev.map { $0.text.split(separator: "\n", omittingEmptySubsequences: false).count } == c.groups)
    }
}
