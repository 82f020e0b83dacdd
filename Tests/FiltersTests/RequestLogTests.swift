import LogCore
import Testing
@testable import Filters

/// Health checks, probes and scrapes in the applications' own request logs, each written as its framework prints
/// it by default: the fields are read wherever the line carries them, and the default pack drops the successful
/// ones while failures, warnings and look-alikes stay.
@Suite struct RequestLogTests {
    typealias Fields = AccessLogFieldsTests.Fields
    static let esc = "\u{1B}"

    /// (framework, line, the default rule that drops it, the fields read from it)
    static let drops: [(framework: String, line: String, rule: String, fields: Fields)] = [
        ("morgan combined", #"::ffff:10.244.0.1 - - [19/Nov/2026:10:00:01 +0000] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.31""#,
         "kube-probe", ("GET", "/healthz", 200, "kube-probe/1.31")),
        ("morgan dev", "\(esc)[0mGET /healthz \(esc)[32m200\(esc)[0m 1.234 ms - 2\(esc)[0m", "health-endpoints", ("GET", "/healthz", 200, nil)),
        ("morgan tiny", "GET /metrics 200 1794 - 3.021 ms", "metrics-scrapes", ("GET", "/metrics", 200, nil)),
        ("morgan short", "::ffff:10.244.0.1 - GET /ready HTTP/1.1 200 2 - 0.412 ms", "health-endpoints", ("GET", "/ready", 200, nil)),
        ("pino-http", #"{"level":30,"time":1795168801000,"pid":1,"hostname":"web-1","req":{"id":7,"method":"GET","url":"/livez","query":{},"params":{},"headers":{"host":"10.244.0.9:3000","user-agent":"kube-probe/1.31","accept":"*/*","connection":"close"},"remoteAddress":"::ffff:10.244.0.1","remotePort":41562},"res":{"statusCode":200,"headers":{"content-type":"text/plain; charset=utf-8","content-length":"2"}},"responseTime":1,"msg":"request completed"}"#,
         "kube-probe", ("GET", "/livez", 200, "kube-probe/1.31")),
        ("gin", #"[GIN] 2026/11/19 - 10:00:01 | 200 |      12.3µs |      10.244.0.1 | GET      "/healthz""#,
         "health-endpoints", ("GET", "/healthz", 200, nil)),
        ("gin, colours forced", "[GIN] 2026/11/19 - 10:00:01 |\(esc)[97;42m 200 \(esc)[0m|      12.3µs |      10.244.0.1 |\(esc)[97;44m GET     \(esc)[0m \"/metrics\"",
         "metrics-scrapes", ("GET", "/metrics", 200, nil)),
        ("chi middleware.Logger", #"2026/11/19 10:00:01 "GET http://10.244.0.9:8080/readyz HTTP/1.1" from 10.244.0.1:54321 - 200 2B in 41.2µs"#,
         "health-endpoints", ("GET", "/readyz", 200, nil)),
        ("echo JSON logger", #"{"time":"2026-11-19T10:00:01.123456789Z","id":"","remote_ip":"10.244.0.1","host":"10.244.0.9:8080","method":"GET","uri":"/metrics","user_agent":"Prometheus/2.51.0","status":200,"error":"","latency":412000,"latency_human":"412µs","bytes_in":0,"bytes_out":48213}"#,
         "metrics-scrapes", ("GET", "/metrics", 200, "Prometheus/2.51.0")),
        ("fiber", "10:00:01 | 200 |      12.3µs |      10.244.0.1 |     GET | /health      | -", "health-endpoints", ("GET", "/health", 200, nil)),
        ("ASP.NET Core console", "info: Microsoft.AspNetCore.Hosting.Diagnostics[2]\n      Request finished HTTP/1.1 GET http://10.244.0.9:8080/health - 200 - text/plain;+charset=utf-8 0.4567ms",
         "health-endpoints", ("GET", "/health", 200, nil)),
        ("ASP.NET Core JSON console", #"{"EventId":2,"LogLevel":"Information","Category":"Microsoft.AspNetCore.Hosting.Diagnostics","Message":"Request finished HTTP/1.1 GET http://10.244.0.9:8080/healthz - 200 - text/plain 0.3120ms","State":{"ElapsedMilliseconds":0.312,"StatusCode":200,"ContentType":"text/plain","Protocol":"HTTP/1.1","Method":"GET","Scheme":"http","Host":"10.244.0.9:8080","PathBase":"","Path":"/healthz","QueryString":""}}"#,
         "health-endpoints", ("GET", "/healthz", 200, nil)),
        ("Lograge", "method=GET path=/health format=*/* controller=HealthController action=show status=200 allocations=143 duration=0.52 view=0.00 db=0.00",
         "health-endpoints", ("GET", "/health", 200, nil)),
        ("Lograge JSON", #"{"method":"HEAD","path":"/healthz","format":"html","controller":"Rails::HealthController","action":"show","status":200,"allocations":212,"duration":0.71,"view":0.29,"db":0.0}"#,
         "health-endpoints", ("HEAD", "/healthz", 200, nil)),
        ("Django runserver", #"[19/Nov/2026 10:00:01] "GET /health/ HTTP/1.1" 200 2"#, "health-endpoints", ("GET", "/health/", 200, nil)),
        ("uvicorn (FastAPI)", #"INFO:     10.244.0.1:52044 - "GET /readyz HTTP/1.1" 200 OK"#, "health-endpoints", ("GET", "/readyz", 200, nil)),
        ("FastAPI middleware, logfmt", "2026-11-19 10:00:01,123 INFO app.middleware: method=GET path=/livez status_code=200 duration_ms=0.84 client=10.244.0.1",
         "health-endpoints", ("GET", "/livez", 200, nil)),
        ("FastAPI middleware, structlog", #"{"http":{"method":"GET","path":"/metrics","status_code":200},"event":"request finished","level":"info","timestamp":"2026-11-19T10:00:01Z"}"#,
         "metrics-scrapes", ("GET", "/metrics", 200, nil)),
        ("Spring Boot, Reactor Netty access log", #"2026-11-19T10:00:01.123Z  INFO 1 --- [shop] [or-http-epoll-2] reactor.netty.http.server.AccessLog      : 10.244.0.1:52044 - - [19/Nov/2026:10:00:01 +0000] "GET /actuator/health/liveness HTTP/1.1" 200 15 2 ms"#,
         "health-endpoints", ("GET", "/actuator/health/liveness", 200, nil)),
        ("Spring Boot, Micrometer observation", #"2026-11-19T10:00:01.123Z  INFO 1 --- [shop] [nio-8080-exec-3] i.m.o.ObservationTextPublisher           : STOP - name='http.server.requests', contextualName='http get /actuator/prometheus', error='null', lowCardinalityKeyValues=[error='none', exception='none', method='GET', outcome='SUCCESS', status='200', uri='/actuator/prometheus'], highCardinalityKeyValues=[http.url='/actuator/prometheus'], parentObservation=null"#,
         "metrics-scrapes", ("GET", "/actuator/prometheus", 200, nil)),
        ("Spring Boot, ECS structured logging (nested)", #"{"@timestamp":"2026-11-19T10:00:01.123Z","log":{"level":"INFO","logger":"com.example.shop.RequestLog"},"process":{"pid":1,"thread":{"name":"http-nio-8080-exec-4"}},"service":{"name":"shop"},"message":"request completed","http":{"request":{"method":"GET"},"response":{"status_code":200}},"url":{"path":"/actuator/health/readiness"},"user_agent":{"original":"kube-probe/1.31"},"ecs":{"version":"8.11"}}"#,
         "kube-probe", ("GET", "/actuator/health/readiness", 200, "kube-probe/1.31")),
        ("ECS, dotted keys", #"{"@timestamp":"2026-11-19T10:00:01.123Z","log.level":"info","message":"request served","http.request.method":"GET","url.path":"/","http.response.status_code":200,"user_agent.original":"ELB-HealthChecker/2.0","ecs.version":"8.11"}"#,
         "load-balancer-health-checks", ("GET", "/", 200, "ELB-HealthChecker/2.0")),
        ("OpenTelemetry, stable attributes", #"{"timestamp":"2026-11-19T10:00:01.123Z","severityText":"INFO","body":"HTTP GET /metrics","attributes":{"http.request.method":"GET","http.route":"/metrics","http.response.status_code":200,"user_agent.original":"Prometheus/2.51.0","url.scheme":"http"},"resource":{"service.name":"catalog"}}"#,
         "metrics-scrapes", ("GET", "/metrics", 200, "Prometheus/2.51.0")),
        ("OpenTelemetry, older attributes", #"{"level":"info","msg":"served","http.method":"GET","http.target":"/readyz?full=1","http.status_code":200,"http.user_agent":"kube-probe/1.31"}"#,
         "kube-probe", ("GET", "/readyz", 200, "kube-probe/1.31")),
        ("GCP httpRequest", #"{"severity":"INFO","message":"request","httpRequest":{"requestMethod":"GET","requestUrl":"http://10.244.0.9:8080/ping?x=1","status":200,"userAgent":"GoogleHC/1.0"}}"#,
         "health-endpoints", ("GET", "/ping", 200, "GoogleHC/1.0")),
        ("common keys, status first", #"status="204" ua="kube-probe/1.31" path=/anything method=HEAD"#, "kube-probe", ("HEAD", "/anything", 204, "kube-probe/1.31")),
    ]

    /// Look-alikes that must stay: failed checks, warnings, other paths and agents, lines without a status.
    static let keeps: [(String, LogLevel)] = [
        (#"[GIN] 2026/11/19 - 10:00:01 | 500 |       1.2ms |      10.244.0.1 | GET      "/healthz""#, .info),
        ("info: Microsoft.AspNetCore.Hosting.Diagnostics[2]\n      Request finished HTTP/1.1 GET http://10.244.0.9:8080/health/ready - 503 - application/json 12.8ms", .info),
        (#"2026/11/19 10:00:01 "GET http://10.244.0.9:8080/readyz HTTP/1.1" from 10.244.0.1:54321 - 503 9B in 2.1ms"#, .info),
        (#"{"http":{"request":{"method":"GET"},"response":{"status_code":503}},"url":{"path":"/actuator/health/readiness"},"user_agent":{"original":"kube-probe/1.31"}}"#, .info),
        ("\(esc)[0mGET /healthz \(esc)[31m500\(esc)[0m 3.1 ms - 21\(esc)[0m", .info),
        ("method=GET path=/health format=*/* controller=HealthController action=show status=500 duration=3.10", .info),
        (#"{"req":{"method":"GET","url":"/livez","headers":{"user-agent":"kube-probe/1.31"}},"res":{"statusCode":503},"msg":"request errored"}"#, .info),
        (#"STOP - name='http.server.requests', lowCardinalityKeyValues=[method='GET', outcome='SERVER_ERROR', status='503', uri='/actuator/health']"#, .info),
        (#"10:00:01 | 503 |      12.3µs |      10.244.0.1 |     GET | /health      | -"#, .info),
        (#"[GIN] 2026/11/19 - 10:00:01 | 200 |      12.3µs |      10.244.0.1 | GET      "/healthcare/claims""#, .info),
        ("GET /healthcare/claims 200 4.1 ms - 912", .info),
        (#"{"http.request.method":"GET","url.path":"/healthcare/claims","http.response.status_code":200}"#, .info),
        (#"{"method":"GET","path":"/api/orders","status":200,"user_agent":"synthetic-probe/2.0 (kube-probe compatible)"}"#, .info),
        ("method=GET path=/api/cart status=200 ua=my-kube-probe/1.0", .info),
        ("2026-11-19T10:00:01.123Z  WARN 1 --- [shop] [nio-8080-exec-1] c.e.shop.RequestLog : GET /actuator/health 200 took 5012 ms", .warn),
        (#"{"level":"warn","msg":"slow health check","method":"GET","path":"/health","status":200}"#, .warn),
        (#"Started GET "/health" for 10.244.0.1 at 2026-11-19 10:00:01 +0000"#, .info),
        ("info: Microsoft.AspNetCore.Hosting.Diagnostics[1]\n      Request starting HTTP/1.1 GET http://10.244.0.9:8080/health - - -", .info),
        (#"2026-11-19T10:00:01.123Z DEBUG 1 --- [nio-8080-exec-1] o.s.web.servlet.DispatcherServlet : GET "/actuator/health", parameters={}"#, .debug),
        ("2026-11-19 10:00:01 INFO  c.e.shop.HealthIndicator - health endpoint /health answered 200 to 3 callers", .info),
        (#"{"level":"info","msg":"route registered","method":"GET","path":"/healthz"}"#, .info),
        (#"{"level":"info","msg":"report written","log":{"file":{"path":"/health"}},"status":200}"#, .info),
        (#"{"level":"info","msg":"cache warmed","status":"ok","path":"/healthz"}"#, .info),
        (#"{"level":"info","msg":"upstream answered GET /healthz 200","path":"/healthz","status":502}"#, .info),
        (#"{"level":"info","msg":"NOTE /health 200 checks passed today"}"#, .info),
    ]

    @Test(arguments: drops.indices)
    func readsFields(_ i: Int) {
        let (framework, line, _, want) = Self.drops[i]
        for reversed in [false, true] {
            let got = AccessLogFieldsTests().fields(line, reversed: reversed)
            #expect(got.method == want.method && got.path == want.path && got.status == want.status && got.agent == want.agent,
                    "\(framework) (reversed: \(reversed)): \(got)")
        }
    }

    /// Every line the default pack must drop, with its rule: this suite's and ``RequestLogProbeLines``'.
    static let allDrops: [(framework: String, line: String, rule: String)] =
        drops.map { ($0.framework, $0.line, $0.rule) } + RequestLogProbeLines.drops.map { ($0.framework, $0.line, $0.rule) }
    static let allKeeps = keeps + RequestLogProbeLines.keeps

    @Test(arguments: allDrops.indices)
    func dropsSuccessfulChecks(_ i: Int) {
        let filter = NoiseFilter(config: .defaultPack)
        let (framework, line, rule) = Self.allDrops[i]
        let (v, _) = run(filter, line)
        #expect(ruleName(filter, v) == rule, "\(framework): \(line)")
    }

    @Test(arguments: allKeeps.indices)
    func keepsLookAlikes(_ i: Int) {
        let filter = NoiseFilter(config: .defaultPack)
        let (line, level) = Self.allKeeps[i]
        let (v, _) = run(filter, line, level: level)
        #expect(v.isStored, "dropped by \(ruleName(filter, v) ?? "?"): \(line)")
    }

    /// A user's rule on the fields works the same in every format: method, path and status in any order.
    @Test func userRuleMatchesEveryFormat() throws {
        let filter = NoiseFilter(config: try config("""
            rules:
              - name: alive-poll
                match:
                  method: GET
                  path: /internal/alive
                  status: 2xx
                action: drop
            """))
        let lines = [
            #"[GIN] 2026/11/19 - 10:00:01 | 200 |      12.3µs |      10.244.0.1 | GET      "/internal/alive""#,
            "GET /internal/alive 200 0.9 ms - 2",
            #"{"status":200,"url":{"path":"/internal/alive"},"http":{"request":{"method":"GET"}}}"#,
            "status=204 method=GET path=/internal/alive?verbose=0",
        ]
        for line in lines { #expect(ruleName(filter, run(filter, line).0) == "alive-poll", "\(line)") }
        #expect(run(filter, "GET /internal/alive 500 0.9 ms - 2").0.isStored)
        #expect(run(filter, "POST /internal/alive 200 0.9 ms - 2").0.isStored)
    }
}
