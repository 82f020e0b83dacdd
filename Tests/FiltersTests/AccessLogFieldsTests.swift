import Testing
@testable import Filters

@Suite struct AccessLogFieldsTests {
    typealias Fields = (method: String?, path: String?, status: Int?, agent: String?)
    static let table: [(String, Fields)] = [
        (#"10.0.0.1 - - [26/Nov/2026:10:00:00 +0000] "GET /healthz?x=1 HTTP/1.1" 200 5 "-" "kube-probe/1.29""#,
         ("GET", "/healthz", 200, "kube-probe/1.29")),
        (#"INFO:     10.244.0.5:41234 - "GET /readyz HTTP/1.1" 200 OK"#, ("GET", "/readyz", 200, nil)),
        (#"INFO: "POST /v1/predict HTTP/1.1" 201 OK user_agent=curl/8.4"#, ("POST", "/v1/predict", 201, "curl/8.4")),
        (#"{"level":"info","method":"GET","path":"/metrics?a=b","status":200,"user_agent":"Prometheus/2.51.0"}"#,
         ("GET", "/metrics", 200, "Prometheus/2.51.0")),
        ("time=x level=info msg=\"http request\" method=OPTIONS uri=/ status_code=204", ("OPTIONS", "/", 204, nil)),
        (#"{"http.request.method":"HEAD","url.path":"/livez","http.response.status_code":"503"}"#, ("HEAD", "/livez", 503, nil)),
        ("no request here at all", (nil, nil, nil, nil)),
        (#"status=20 path="/x y" ua=GoogleHC/1.0"#, (nil, "/x y", nil, "GoogleHC/1.0")),
        (#"[GIN] 2026/11/19 - 10:00:01 | 200 |  12.3µs | 10.0.0.1 | GET "/healthz""#, ("GET", "/healthz", 200, nil)),
        (#"2026/11/19 10:00:01 "GET http://localhost:3333/ HTTP/1.1" from [::1]:54838 - 200 12B in 23.958µs"#, ("GET", "/", 200, nil)),
        (#"10.0.0.1 - - [19/Nov/2026:10:00:01 +0000] "OPTIONS * HTTP/1.0" 200 0"#, ("OPTIONS", "*", 200, nil)),
        (#"GET /healthz took 200ms"#, ("GET", "/healthz", nil, nil)),
        (#"the GET /healthz handler said 200"#, ("GET", "/healthz", nil, nil)),
        (#"{"msg":"HTTP GET /livez","request":{"method":"GET"},"response":{"status":204}}"#, ("GET", "/livez", 204, nil)),
        (#"{"log":{"file":{"path":"/var/log/app.log"}},"url":{"original":"https://shop.example/cart?x=1"},"status":200}"#, (nil, "/cart", 200, nil)),
        ("logger: method=PUT path=/a/b status=201 user-agent=\"Go-http-client/1.1\"", ("PUT", "/a/b", 201, "Go-http-client/1.1")),
        ("NOTGET /x 200 and XGET /y 200 and GETS /z 200", (nil, nil, nil, nil)),
        (#"{"msg":"proxying GET /healthz 200","path":"/api/orders","status":500}"#, ("GET", "/api/orders", 500, nil)),
        (#"10.0.0.1 - - [19/Nov/2026:10:00:01 +0000] "MKCOL /dav/x HTTP/1.1" 201 0"#, ("MKCOL", "/dav/x", 201, nil)),
        (#"{"level":"info","msg":"ALERT /health 200 times"}"#, (nil, nil, nil, nil)),
    ]

    func fields(_ line: String, reversed: Bool) -> Fields {
        var s = line
        return s.withUTF8 { t in
            var f = AccessLogFields()
            func text(_ r: Range<Int>?) -> String? { r.map { String(decoding: UnsafeBufferPointer(rebasing: t[$0]), as: UTF8.self) } }
            if reversed {
                let agent = text(f.userAgent(in: t)), status = f.status(in: t), path = text(f.path(in: t))
                return (text(f.method(in: t)), path, status, agent)
            }
            return (text(f.method(in: t)), text(f.path(in: t)), f.status(in: t), text(f.userAgent(in: t)))
        }
    }

    /// Every field is the same whichever is asked for first (they are parsed lazily).
    @Test(arguments: table.indices)
    func parsesFields(_ i: Int) {
        let (line, want) = Self.table[i]
        for reversed in [false, true] {
            let got = fields(line, reversed: reversed)
            #expect(got.method == want.method && got.path == want.path && got.status == want.status && got.agent == want.agent,
                    "\(line) (reversed: \(reversed)): \(got)")
        }
    }
}
