import Foundation
import LogCore
import Testing
@testable import Filters

@Suite struct ThroughputTests {
    /// Realistic platform lines: access logs (a third of them probes), JSON and logfmt app logs, klog.
    static func workload(count: Int) -> [[UInt8]] {
        var rng = SystemRandomNumberGenerator()
        let paths = ["/api/orders", "/api/users/42", "/healthz", "/readyz", "/metrics", "/static/app.js", "/api/cart"]
        let agents = ["kube-probe/1.29", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0", "Prometheus/2.51.0", "curl/8.4.0"]
        var out: [[UInt8]] = []
        for k in 0..<count {
            let id = String(UInt64.random(in: 0...UInt64.max, using: &rng), radix: 16)
            let line: String
            switch k % 6 {
            case 0, 1:
                let p = paths[Int.random(in: 0..<paths.count, using: &rng)]
                line = #"10.244.\#(k % 250).\#(k % 7) - - [26/Nov/2026:10:00:\#(k % 60) +0000] "GET \#(p) HTTP/1.1" 200 \#(k % 9000) "-" "\#(agents[k % agents.count])" 312 0.00\#(k % 9) [prod-web-80] [] 10.0.0.\#(k % 200):8080 \#(k % 9000) 0.001 200 \#(id)"#
            case 2: line = #"{"ts":"2026-11-26T10:00:00.\#(k % 1000)Z","level":"info","msg":"order created","order_id":"\#(id)","user":"u\#(k % 5000)","amount":\#(k % 300).5,"trace_id":"\#(id)\#(id)"}"#
            case 3: line = #"time=2026-11-26T10:00:00Z level=info msg="cache refresh" component=catalog items=\#(k % 900) took=\#(k % 80)ms request_id=\#(id)"#
            case 4: line = #"I1126 10:00:00.\#(k % 999999)    1234 kubelet.go:2542] "SyncLoop (probe)" probe="readiness" status="ready" pod="prod/web-\#(k % 40)""#
            default: line = "2026-11-26 10:00:00,\(k % 1000) INFO  [http-nio-8080-exec-\(k % 20)] c.e.shop.OrderService - processed batch \(id) with \(k % 77) items in \(k % 500) ms"
            }
            out.append(Array(line.utf8))
        }
        return out
    }

    @Test func filterStageThroughput() throws {
        let lines = Self.workload(count: 50_000)
        _ = FilterThroughput.measure(lines: lines)  // warm up
        let r = FilterThroughput.measure(lines: lines, rounds: 4)
        print(String(format: "filter stage (default pack): %.0f MB/s, %.2f M events/s, %d of %d dropped, %.1f bytes/line",
                     r.megabytesPerSecond, Double(r.events) / r.seconds / 1e6, r.dropped, r.events, Double(r.bytes) / Double(r.events)))
        #expect(r.dropped > 0)
        // Timing is only meaningful in a release build with the machine to itself (other suites run in
        // parallel): `LOGSIFT_PERF=1 swift test -c release -Xswiftc -enable-testing --filter Throughput`.
        if ProcessInfo.processInfo.environment["LOGSIFT_PERF"] == "1" { #expect(r.megabytesPerSecond >= 300) }
    }
}

extension ThroughputTests {
    /// The same measure on the LogHub samples (application lines, nearly nothing to drop).
    @Test func filterStageThroughputOnLogHub() throws {
        guard let dir = LogHub.directory() else { print("SKIPPED: LogHub corpus not found"); return }
        var lines: [[UInt8]] = []
        for name in LogHub.datasets {
            guard let text = readTextFile("\(dir)/\(name)/\(name)_2k.log") else { continue }
            lines += Array(text.utf8).split(separator: 0x0A).map { $0.last == 0x0D ? Array($0.dropLast()) : Array($0) }
        }
        try #require(!lines.isEmpty)
        _ = FilterThroughput.measure(lines: lines)
        let r = FilterThroughput.measure(lines: lines, rounds: 5)
        print(String(format: "filter stage on LogHub (default pack): %.0f MB/s, %d of %d dropped", r.megabytesPerSecond, r.dropped, r.events))
    }
}

extension ThroughputTests {
    /// Applications' own request logs (gin, morgan, ASP.NET Core, Lograge, ECS and pino-http JSON), a third of
    /// them health checks and scrapes, between plain application lines.
    static func requestLogWorkload(count: Int) -> [[UInt8]] {
        var rng = SystemRandomNumberGenerator()
        let paths = ["/api/orders", "/api/users/42", "/healthz", "/readyz", "/metrics", "/api/cart"]
        var out: [[UInt8]] = []
        for k in 0..<count {
            let id = String(UInt64.random(in: 0...UInt64.max, using: &rng), radix: 16)
            let p = paths[k % paths.count]
            let line: String
            switch k % 7 {
            case 0: line = #"[GIN] 2026/11/19 - 10:00:\#(k % 60) | 200 |      \#(k % 90).\#(k % 9)µs |      10.244.\#(k % 250).1 | GET      "\#(p)""#
            case 1: line = "\u{1B}[0mGET \(p) \u{1B}[32m200\u{1B}[0m \(k % 9).\(k % 1000) ms - \(k % 900)\u{1B}[0m"
            case 2: line = "info: Microsoft.AspNetCore.Hosting.Diagnostics[2]\n      Request finished HTTP/1.1 GET http://10.244.0.9:8080\(p) - 200 - text/plain 0.\(k % 9999)ms"
            case 3: line = "method=GET path=\(p) format=*/* controller=ApiController action=show status=200 duration=\(k % 90).\(k % 99) view=0.00 db=0.\(k % 9)"
            case 4: line = #"{"@timestamp":"2026-11-19T10:00:01.\#(k % 999)Z","log":{"level":"INFO"},"message":"request completed","http":{"request":{"method":"GET"},"response":{"status_code":200}},"url":{"path":"\#(p)"},"user_agent":{"original":"kube-probe/1.31"},"trace":{"id":"\#(id)"}}"#
            case 5: line = #"{"level":30,"time":1795168801\#(k % 1000),"req":{"id":\#(k),"method":"GET","url":"\#(p)","headers":{"user-agent":"Prometheus/2.51.0"}},"res":{"statusCode":200},"responseTime":\#(k % 9),"msg":"request completed"}"#
            default: line = "2026-11-19 10:00:01,\(k % 1000) INFO  [http-nio-8080-exec-\(k % 20)] c.e.shop.OrderService - processed batch \(id) with \(k % 77) items in \(k % 500) ms"
            }
            out.append(Array(line.utf8))
        }
        return out
    }

    @Test func filterStageThroughputOnRequestLogs() throws {
        let lines = Self.requestLogWorkload(count: 42_000)
        _ = FilterThroughput.measure(lines: lines)
        let r = FilterThroughput.measure(lines: lines, rounds: 4)
        print(String(format: "filter stage on request logs (default pack): %.0f MB/s, %d of %d dropped", r.megabytesPerSecond, r.dropped, r.events))
        #expect(r.dropped > 0)
    }
}
