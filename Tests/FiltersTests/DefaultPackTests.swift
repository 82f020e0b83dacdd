import LogCore
import Testing
@testable import Filters

@Suite struct DefaultPackTests {
    /// Lines each default rule must drop.
    static let drops: [(rule: String, line: String)] = [
        ("kube-probe", #"10.244.0.1 - - [26/Nov/2026:10:00:00 +0000] "GET /api/ready HTTP/1.1" 200 2 "-" "kube-probe/1.29""#),
        ("kube-probe", #"{"time":"2026-11-26T10:00:00Z","method":"GET","path":"/status","status":200,"user_agent":"kube-probe/1.30"}"#),
        ("health-endpoints", #"10.0.0.1 - - [26/Nov/2026:10:00:00 +0000] "GET /healthz HTTP/1.1" 200 2 "-" "Go-http-client/1.1""#),
        ("health-endpoints", #"INFO:     10.244.1.1:43210 - "GET /health HTTP/1.1" 200 OK"#),
        ("health-endpoints", #"192.168.1.5 - - [26/Nov/2026:10:00:00 +0000] "GET /readyz?verbose=1 HTTP/1.1" 200 123 "-" "curl/8.0" 87 0.001 [prod-web-80] [] 10.0.0.5:80 2 0.001 200 abc"#),
        ("health-endpoints", #"INFO:     127.0.0.1:5000 - "GET /livez HTTP/1.1" 204 No Content"#),
        ("health-endpoints", #"10.1.1.1 - - [26/Nov/2026:10:00:00 +0000] "HEAD /ping HTTP/1.0" 200 0"#),
        ("health-endpoints", #"{"@timestamp":"2026-11-26T10:00:00Z","http.method":"GET","url.path":"/actuator/health/liveness","http.response.status_code":200}"#),
        ("health-endpoints", #"time=2026-11-26T10:00:00Z level=info method=GET path=/health/ready status=200 duration=1ms"#),
        ("load-balancer-health-checks", #"10.0.1.20 - - [26/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 612 "-" "ELB-HealthChecker/2.0""#),
        ("load-balancer-health-checks", #"35.191.0.1 - - [26/Nov/2026:10:00:00 +0000] "GET /index.html HTTP/1.1" 200 10 "-" "GoogleHC/1.0""#),
        ("haproxy-httpchk", #"10.128.0.1 - - [26/Nov/2026:10:00:00 +0000] "OPTIONS / HTTP/1.0" 200 0 "-" "-""#),
        ("haproxy-check-succeeded", "haproxy[1]: Health check for server be_http:web/pod:web-1 succeeded, reason: Layer7 check passed"),
        ("metrics-scrapes", #"10.244.3.7 - - [26/Nov/2026:10:00:00 +0000] "GET /metrics HTTP/1.1" 200 48213 "-" "Prometheus/2.51.0""#),
        ("metrics-scrapes", #"INFO:     10.244.3.7:50000 - "GET /metrics HTTP/1.1" 200 OK"#),
        ("kubelet-probe-succeeded", #"I1126 10:00:00.123456    1234 prober.go:107] "Probe succeeded" probeType="Readiness" pod="prod/web-1" podUID="u" containerName="web""#),
        ("kubelet-syncloop-probe-ready", #"I1126 10:00:00.123456    1234 kubelet.go:2542] "SyncLoop (probe)" probe="readiness" status="ready" pod="prod/web-1""#),
        ("grpc-health-check", #"{"level":"info","msg":"finished unary call with code OK","grpc.method":"Check","grpc.service":"grpc.health.v1.Health","grpc.code":"OK","grpc.request.path":"/grpc.health.v1.Health/Check"}"#),
        ("grpc-health-check", "2026/11/26 10:00:00 INFO: /grpc.health.v1.Health/Check served in 0.1ms"),
        ("websocket-ping-pong", "2026-11-26T10:00:00Z DEBUG websocket: received ping from client 42"),
        ("websocket-ping-pong", "[ws] sent PONG to 10.0.0.3:5555"),
        ("websocket-ping-pong", #"{"level":"debug","msg":"pong","conn":"c-17"}"#),
        ("keepalive", "DEBUG transport: sending keepalive ping"),
        ("keepalive", "http2: Framer 0xc000: wrote PING flags=ACK len=8 (keep-alive)"),
        ("argocd-reconcile-loop", #"time="2026-11-26T10:00:00Z" level=info msg="Reconciliation completed" application=argocd/web dedup_ms=0 diff_ms=3 time_ms=41"#),
        ("argocd-reconcile-loop", #"time="2026-11-26T10:00:00Z" level=info msg="Refreshing app status (normal refresh requested), level (1)" application=argocd/web"#),
        ("argocd-reconcile-loop", #"time="2026-11-26T10:00:00Z" level=info msg="No status changes. Skipping patch" application=argocd/web"#),
    ]

    /// Near misses the default pack must keep.
    static let keeps: [(String, LogLevel)] = [
        (#"10.0.0.1 - - [26/Nov/2026:10:00:00 +0000] "GET /healthz HTTP/1.1" 500 20 "-" "kube-probe/1.29""#, .info),
        (#"10.0.0.1 - - [26/Nov/2026:10:00:00 +0000] "GET /healthz HTTP/1.1" 503 20 "-" "Go-http-client/1.1""#, .info),
        (#"INFO:     10.244.1.1:43210 - "GET /health HTTP/1.1" 500 Internal Server Error"#, .info),
        (#"10.0.0.1 - - [26/Nov/2026:10:00:00 +0000] "GET /healthcare/patients HTTP/1.1" 200 20 "-" "Mozilla/5.0""#, .info),
        (#"10.0.0.1 - - [26/Nov/2026:10:00:00 +0000] "GET /api/orders HTTP/1.1" 200 20 "-" "Mozilla/5.0""#, .info),
        (#"10.0.0.1 - - [26/Nov/2026:10:00:00 +0000] "GET /metrics/../admin HTTP/1.1" 403 0 "-" "Prometheus/2.51.0""#, .info),
        (#"10.0.1.20 - - [26/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 502 0 "-" "ELB-HealthChecker/2.0""#, .info),
        (#"10.0.0.1 - - [26/Nov/2026:10:00:00 +0000] "GET /ping HTTP/1.1" 500 0"#, .info),
        (#"10.0.0.1 - - [26/Nov/2026:10:00:00 +0000] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.29""#, .warn),
        (#"I1126 10:00:00.1 1 prober.go:107] "Probe failed" probeType="Liveness" pod="prod/web-1" output="HTTP probe failed with statuscode: 500""#, .info),
        (#"I1126 10:00:00.1 1 kubelet.go:2542] "SyncLoop (probe)" probe="readiness" status="" pod="prod/web-1""#, .info),
        (#"I1126 10:00:00.1 1 kubelet.go:2542] "SyncLoop (probe)" probe="readiness" status="unready" pod="prod/web-1""#, .info),
        (#"{"msg":"finished unary call","grpc.request.path":"/grpc.health.v1.Health/Check","grpc.code":"Unavailable"}"#, .info),
        ("Health check for server be_http:web/pod:web-1 failed, reason: Layer4 timeout", .info),
        ("websocket: ping timeout after 30s, closing connection", .info),
        ("no pong received from client 42", .info),
        ("keepalive ping failed to receive ACK within timeout", .info),
        ("copying data to shipping queue", .info),
        ("mapping pong-service to port 8080 done", .info),
        (#"time="2026-11-26T10:00:00Z" level=info msg="Reconciliation completed" application=argocd/web health=Degraded"#, .info),
        ("user logged in: alice", .info),
        ("panic: websocket ping handler crashed", .info),
    ]

    @Test(arguments: drops.indices)
    func dropsNoise(_ i: Int) {
        let filter = NoiseFilter(config: .defaultPack)
        let (rule, line) = Self.drops[i]
        let (v, _) = run(filter, line)
        #expect(ruleName(filter, v) == rule, "\(line)")
    }

    @Test(arguments: keeps.indices)
    func keepsNearMiss(_ i: Int) {
        let filter = NoiseFilter(config: .defaultPack)
        let (line, level) = Self.keeps[i]
        let (v, _) = run(filter, line, level: level)
        #expect(v.isStored, "dropped by \(ruleName(filter, v) ?? "?"): \(line)")
    }

    @Test func everyDefaultRuleIsTested() {
        let tested = Set(Self.drops.map(\.rule))
        for rule in FilterConfig.defaultPack.rules {
            if case .redact = rule.action { continue }
            if rule.name == "kubelet-syncloop-probe-started" { continue }
            #expect(tested.contains(rule.name), "no drop case for \(rule.name)")
        }
    }

    @Test func noDefaultRuleDropsWarnOrAbove() {
        for rule in FilterConfig.defaultPack.rules {
            if case .redact = rule.action { continue }
            #expect(rule.levels.allSatisfy { $0 < .warn }, "\(rule.name) applies to \(rule.levels)")
        }
    }

    @Test func embeddedCopyEqualsConfigFile() throws {
        let root = String(#filePath).split(separator: "/").dropLast(3).joined(separator: "/")
        let path = "/" + root + "/config/default-rules.yaml"
        let file = try #require(readTextFile(path), "cannot read \(path)")
        #expect(DefaultPack.yaml == file, "Sources/Filters/Config/DefaultPack.swift differs from config/default-rules.yaml: paste the file into it")
        let loaded = try FilterConfig.load(path: path)
        #expect(loaded.rules.map(\.name) == FilterConfig.defaultPack.rules.map(\.name))
    }

    static let secrets: [(String, String)] = [
        ("-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY----- done", "[REDACTED PRIVATE KEY] done"),
        ("using key AKIAIOSFODNN7EXAMPLE for s3", "using key [REDACTED] for s3"),
        ("gcp key=AIzaSyA-1234567890abcdefghijklmnopqrstu ok", "gcp key=[REDACTED] ok"),
        ("Authorization: Bearer abc.def-ghi_jkl", "Authorization: Bearer [REDACTED]"),
        ("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTYifQ.sig-nature_x end", "jwt [REDACTED] end"),
        ("connect user=app password=hunter2 host=db", "connect user=app password=[REDACTED] host=db"),
        (#"{"user":"a","client_secret":"s3cr3t!","x":1}"#, #"{"user":"a","client_secret":"[REDACTED]","x":1}"#),
        ("GET /cb?token=abcdef123&x=1", "GET /cb?token=[REDACTED]&x=1"),
    ]

    @Test(arguments: secrets.indices)
    func redacts(_ i: Int) {
        let filter = NoiseFilter(config: .defaultPack)
        let (line, expected) = Self.secrets[i]
        let (v, text) = run(filter, line, level: .error)
        #expect(v.isStored)
        #expect(text == expected)
    }
}
