import LogCore
import Testing
@testable import Filters

/// More request-log lines for ``RequestLogTests`` (a second set written independently of its own): health checks
/// and scrapes the default pack drops, and similar lines that are not probes and stay.
enum RequestLogProbeLines {
    static let drops: [(framework: String, rule: String, line: String)] = [
        ("Express morgan combined", "kube-probe",
         #"10.244.0.1 - - [19/Nov/2026:10:00:01 +0000] "GET /status HTTP/1.1" 200 2 "-" "kube-probe/1.29""#),
        ("Express morgan dev", "health-endpoints", "GET /healthz 200 1.234 ms - 2"),
        ("Express morgan tiny", "health-endpoints", "GET /ready 200 2 - 0.812 ms"),
        ("Express morgan short", "metrics-scrapes", "10.244.3.7 - GET /metrics HTTP/1.1 200 48213 - 3.112 ms"),
        ("Go chi middleware.Logger", "health-endpoints",
         #"2026/11/19 10:00:01 "GET http://10.0.0.5:8080/healthz HTTP/1.1" from 10.244.0.1:52344 - 200 2B in 45.1µs"#),
        ("Go gin default logger", "health-endpoints", #"[GIN] 2026/11/19 - 10:00:01 | 200 |      12.3µs |      10.244.0.1 | GET      "/healthz""#),
        ("Go echo JSON logger", "kube-probe",
         #"{"time":"2026-11-19T10:00:01Z","id":"","remote_ip":"10.244.0.1","host":"10.0.0.5:8080","method":"GET","uri":"/live","user_agent":"kube-probe/1.29","status":200,"error":"","latency":41210,"latency_human":"41.21µs","bytes_in":0,"bytes_out":2}"#),
        ("ASP.NET Core hosting", "health-endpoints",
         "info: Microsoft.AspNetCore.Hosting.Diagnostics[2]\n      Request finished HTTP/1.1 GET http://10.0.0.5:8080/health - 200 - text/plain 0.4312ms"),
        ("ASP.NET Core Serilog JSON", "health-endpoints",
         #"{"@t":"2026-11-19T10:00:01Z","@mt":"HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0000} ms","RequestMethod":"GET","RequestPath":"/health","StatusCode":200,"Elapsed":0.41}"#),
        ("Rails Lograge", "health-endpoints",
         "method=GET path=/health format=*/* controller=HealthController action=show status=200 duration=1.23 view=0.41 db=0.00"),
        ("Django runserver", "health-endpoints", #"[19/Nov/2026 10:00:01] "GET /health/ HTTP/1.1" 200 2"#),
        ("gunicorn access log", "kube-probe",
         #"10.244.0.1 - - [19/Nov/2026:10:00:01 +0000] "GET /api/ready HTTP/1.1" 200 2 "-" "kube-probe/1.29""#),
        ("FastAPI / uvicorn", "health-endpoints", #"INFO:     10.244.0.1:52344 - "GET /healthz HTTP/1.1" 200 OK"#),
        ("Spring Boot logback-access JSON", "health-endpoints",
         #"{"@timestamp":"2026-11-19T10:00:01.123Z","@version":"1","message":"10.244.0.1 - - [19/Nov/2026:10:00:01 +0000] \"GET /actuator/health/liveness HTTP/1.1\" 200 15","method":"GET","protocol":"HTTP/1.1","status_code":200,"requested_uri":"/actuator/health/liveness","remote_host":"10.244.0.1","elapsed_time":3}"#),
        ("Spring Boot Tomcat access log", "metrics-scrapes",
         #"10.244.3.7 - - [19/Nov/2026:10:00:01 +0000] "GET /actuator/prometheus HTTP/1.1" 200 9811"#),
        ("ECS JSON (nested)", "kube-probe",
         #"{"@timestamp":"2026-11-19T10:00:01Z","log.level":"info","http":{"request":{"method":"GET"},"response":{"status_code":200}},"url":{"path":"/internal/status"},"user_agent":{"original":"kube-probe/1.29"}}"#),
        ("ECS JSON (dotted)", "health-endpoints",
         #"{"@timestamp":"2026-11-19T10:00:01Z","http.request.method":"GET","url.path":"/livez","http.response.status_code":204,"user_agent.original":"curl/8.4"}"#),
        ("OpenTelemetry attributes", "health-endpoints",
         #"{"timestamp":"2026-11-19T10:00:01Z","severity":"INFO","body":"request","attributes":{"http.method":"GET","http.route":"/readyz","http.status_code":200}}"#),
        ("common keys", "load-balancer-health-checks", #"{"level":"info","method":"GET","path":"/","status":200,"ua":"ELB-HealthChecker/2.0"}"#),
    ]

    static let keeps: [(String, LogLevel)] = [
        ("GET /healthz 500 1.234 ms - 21", .info),
        ("GET /healthz 503 2 - 0.812 ms", .info),
        (#"2026/11/19 10:00:01 "GET http://10.0.0.5:8080/healthz HTTP/1.1" from 10.244.0.1:52344 - 503 21B in 45.1µs"#, .info),
        (#"[GIN] 2026/11/19 - 10:00:01 | 500 |      12.3µs |      10.244.0.1 | GET      "/healthz""#, .info),
        ("info: Microsoft.AspNetCore.Hosting.Diagnostics[2]\n      Request finished HTTP/1.1 GET http://10.0.0.5:8080/healthcare/claims - 200 - application/json 12ms", .info),
        ("method=GET path=/healthcare/claims format=json controller=ClaimsController action=index status=200 duration=41.2", .info),
        (#"{"method":"GET","uri":"/orders/17","user_agent":"probe-inventory-client/2.1","status":200}"#, .info),
        ("GET /api/orders 200 12.1 ms - 2311", .info),
        ("WARN readiness: GET /health answered 200 after 4.2s, over the 1s budget", .warn),
        (#"{"level":"error","method":"GET","path":"/health","status":200,"msg":"health handler panicked and recovered"}"#, .error),
        ("fetched GET /health from upstream", .info),
        ("user asked to GET /healthz docs, answered 404", .info),
    ]
}
