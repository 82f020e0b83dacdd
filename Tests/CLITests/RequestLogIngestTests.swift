import Foundation
import Testing

/// The default pack on applications' request logs through `logsift ingest`, with the levels and multiline joins
/// the decoders find: successful checks are dropped, warnings, failures and continuation-joined events stay.
@Suite struct RequestLogIngestTests {
    static let esc = "\u{1B}"

    /// (stored, the line at second `s` of 10:00); each line is the only one in its second.
    static let lines: [(stored: Bool, line: @Sendable (Int) -> String)] = [
        (true, { s in "2026-11-19T10:00:\(two(s)).123Z  WARN 1 --- [shop] [nio-8080-exec-1] c.e.shop.RequestLog : GET /actuator/health 200 took 5012 ms" }),
        (false, { s in "2026-11-19T10:00:\(two(s)).123Z  INFO 1 --- [shop] [nio-8080-exec-1] c.e.shop.RequestLog : GET /actuator/health 200 took 2 ms" }),
        (true, { _ in #"{"level":"warn","msg":"slow health check","method":"GET","path":"/health","status":200}"# }),
        (false, { _ in #"{"level":"info","msg":"request","method":"GET","path":"/readyz","status":200}"# }),
        (true, { s in "W1119 10:00:\(two(s)).000000       1 handler.go:42] GET /healthz 200 slow: 2.1s" }),
        (true, { _ in "warn: Microsoft.AspNetCore.Hosting.Diagnostics[2]\n      Request finished HTTP/1.1 GET http://10.244.0.9:8080/health - 200 - text/plain 5012.4ms" }),
        (false, { _ in "info: Microsoft.AspNetCore.Hosting.Diagnostics[2]\n      Request finished HTTP/1.1 GET http://10.244.0.9:8080/health - 200 - text/plain;+charset=utf-8 0.4567ms" }),
        (true, { _ in "info: Microsoft.AspNetCore.Hosting.Diagnostics[2]\n      Request finished HTTP/1.1 GET http://10.244.0.9:8080/health/ready - 503 - application/json 12.8ms" }),
        (false, { s in #"[GIN] 2026/11/19 - 10:00:\#(two(s)) | 200 |      12.3µs |      10.244.0.1 | GET      "/healthz""# }),
        (true, { s in #"[GIN] 2026/11/19 - 10:00:\#(two(s)) | 500 |       1.2ms |      10.244.0.1 | GET      "/healthz""# }),
        (true, { s in #"[GIN] 2026/11/19 - 10:00:\#(two(s)) | 200 |      88.1ms |      10.244.0.1 | GET      "/healthcare/claims""# }),
        (false, { _ in "\(esc)[0mGET /metrics \(esc)[32m200\(esc)[0m 1.234 ms - 48213\(esc)[0m" }),
        (false, { _ in "method=GET path=/health format=*/* controller=HealthController action=show status=200 duration=0.52 view=0.00 db=0.00" }),
        (true, { _ in #"Started GET "/health" for 10.244.0.1 at 2026-11-19 10:00:13 +0000"# }),
        (false, { s in #"{"@timestamp":"2026-11-19T10:00:\#(two(s)).000Z","log.level":"info","message":"request completed","http":{"request":{"method":"GET"},"response":{"status_code":200}},"url":{"path":"/livez"},"user_agent":{"original":"kube-probe/1.31"}}"# }),
        (true, { s in #"{"@timestamp":"2026-11-19T10:00:\#(two(s)).000Z","log.level":"info","message":"request completed","http":{"request":{"method":"GET"},"response":{"status_code":200}},"url":{"path":"/api/orders"},"user_agent":{"original":"synthetic-probe/2.0"}}"# }),
    ]

    static func two(_ s: Int) -> String { String(format: "%02d", s) }

    @Test func defaultPackDropsOnlySuccessfulChecks() throws {
        let dir = CLIRunner.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let containers = dir + "/var/log/containers"
        try FileManager.default.createDirectory(atPath: containers, withIntermediateDirectories: true)
        let text = Self.lines.enumerated().flatMap { s, entry in
            entry.line(s).split(separator: "\n").map { "2026-11-19T10:00:\(Self.two(s)).000000000Z stdout F \($0)\n" }
        }.joined()
        let file = containers + "/web-7d9f8b6c5-a1b2c_shop_web-\(String(repeating: "c", count: 64)).log"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let out = try CLIRunner.run(["ingest", "--data", dir + "/d", "-q", file])
        #expect(out.status == 0, "\(out.stderr)")

        let found = try CLIRunner.run(["search", "--data", dir + "/d", "--json", "--limit", "100"])
        let seconds = Set(found.stdout.split(separator: "\n").compactMap { line -> Int? in
            guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], let t = o["time"] as? String else { return nil }
            return Int(t.dropFirst(17).prefix(2))
        })
        for (s, entry) in Self.lines.enumerated() {
            #expect(seconds.contains(s) == entry.stored, "\(entry.stored ? "dropped" : "stored"): \(entry.line(s))")
        }
        #expect(seconds.count == Self.lines.filter(\.stored).count, "\(found.stdout)")
    }
}
