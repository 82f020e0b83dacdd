import Foundation
import LogCore
import Testing

/// `logsift serve` on a real loopback socket, with Python's standard library as the client.
final class ServeProcess {
    let process = Process()
    let port: Int
    /// The syslog port, when started with `syslog`.
    var syslogPort: Int?

    init(data: String, config: String? = nil, listen: String = "127.0.0.1:0", syslog: String? = nil) throws {
        process.executableURL = URL(fileURLWithPath: CLIRunner.binary)
        process.arguments = ["serve", "--data", data, "--listen", listen] + (config.map { ["--config", $0] } ?? []) + (syslog.map { ["--syslog", $0] } ?? [])
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Lines on stdout say where it listens (HTTP, and syslog when asked).
        var text = ""
        let h = out.fileHandleForReading
        func portOf(_ prefix: String) -> Int? {
            text.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { $0.split(separator: ":").last }.flatMap { Int($0) }
        }
        while portOf("logsift serve: listening on") == nil || (syslog != nil && portOf("logsift serve: syslog") == nil) {
            let d = h.availableData
            if d.isEmpty { break }
            text += String(decoding: d, as: UTF8.self)
        }
        syslogPort = portOf("logsift serve: syslog")
        guard let p = portOf("logsift serve: listening on") else {
            process.terminate()
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "serve did not start: \(text)"])
        }
        port = p
    }

    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM, then the exit status.
    func stop() -> Int32 {
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// Runs a Python snippet (standard library only); its stdout.
func python(_ code: String) throws -> (status: Int32, out: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", "-c", code]
    let out = Pipe()
    p.standardOutput = out
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self))
}

@Suite(.serialized) struct ServeTests {
    static let token = "serve-test-token-0123456789"

    static func config() throws -> String {
        let path = CLIRunner.tempDir() + "/config.yaml"
        try "server:\n  tokens:\n    - {token: \(token), scopes: [ingest, read]}\n".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func post(port: Int, path: String, lines: [String]) -> String {
        """
        import urllib.request, sys
        body = \(pyString(lines.joined(separator: "\n") + "\n")).encode()
        req = urllib.request.Request("http://127.0.0.1:\(port)\(path)", data=body, method="POST",
            headers={"Authorization": "Bearer \(token)", "Content-Type": "application/x-ndjson"})
        with urllib.request.urlopen(req, timeout=30) as r:
            print(r.status, r.read().decode())
        """
    }

    static func pyString(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n") + "\""
    }

    @Test func ingestOverHTTPIsFoundByTheCLIAndTheAPI() throws {
        let data = CLIRunner.tempDir()
        let server = try ServeProcess(data: data, config: try Self.config())
        let lines = (1...50).map { "2026-11-20T10:00:\(String(format: "%02d", $0 % 60))Z INFO httpseq=\($0) checkout request served" }
        let r = try python(Self.post(port: server.port, path: "/api/v1/logs?deployment=checkout", lines: lines))
        #expect(r.status == 0)
        #expect(r.out.hasPrefix("200 "))
        let bulk = try python(Self.post(port: server.port, path: "/_bulk",
                                        lines: ["{\"index\":{\"_index\":\"fb\"}}", "{\"message\":\"bulkviahttp arrived\",\"@timestamp\":\"2026-11-20T11:00:00Z\"}"]))
        #expect(bulk.out.contains("\"status\":201"))
        let cli = try CLIRunner.run(["search", "--data", data, "--count", "httpseq"])
        #expect(cli.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "50")
        let api = try python("""
        import urllib.request, json
        req = urllib.request.Request("http://127.0.0.1:\(server.port)/api/v1/search?q=bulkviahttp", headers={"Authorization": "Bearer \(Self.token)"})
        print(len(json.load(urllib.request.urlopen(req))["events"]))
        """)
        #expect(api.out.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
        let denied = try python("""
        import urllib.request, urllib.error
        try:
            urllib.request.urlopen("http://127.0.0.1:\(server.port)/api/v1/stats")
        except urllib.error.HTTPError as e:
            print(e.code)
        """)
        #expect(denied.out.trimmingCharacters(in: .whitespacesAndNewlines) == "401")
        #expect(server.stop() == 0)
        try? FileManager.default.removeItem(atPath: data)
    }

    @Test func acknowledgedLinesSurviveKill9() throws {
        let data = CLIRunner.tempDir()
        let server = try ServeProcess(data: data, config: try Self.config())
        var acknowledged = 0
        for batch in 0..<5 {
            let lines = (0..<200).map { "2026-11-20T10:00:00Z INFO killseq=\(batch * 200 + $0) payload" }
            let r = try python(Self.post(port: server.port, path: "/api/v1/logs", lines: lines))
            if r.out.hasPrefix("200 ") { acknowledged += 200 }
        }
        server.kill9()
        #expect(acknowledged == 1000)
        let cli = try CLIRunner.run(["search", "--data", data, "--count", "killseq"])
        #expect(Int(cli.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 >= acknowledged)
        try? FileManager.default.removeItem(atPath: data)
    }

    /// B12 over HTTP: traversal in request paths (raw, percent-encoded, doubled slashes) reaches no file and
    /// no route, and an Elasticsearch index name that is a path is refused per item and stores nothing.
    @Test func pathTraversalReachesNoFileAndNoIndex() throws {
        let data = CLIRunner.tempDir()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let server = try ServeProcess(data: data, config: try Self.config())
        defer { _ = server.stop() }
        let r = try python("""
        import http.client, json
        paths = ["/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/api/v1/..%2f..%2f..%2fetc%2fpasswd",
                 "//etc/passwd", "/api/v1/search/../../../../etc/passwd", "/..;/..;/etc/passwd", "/%2e%2e%5c%2e%2e%5cetc%5cpasswd"]
        for p in paths:
            c = http.client.HTTPConnection("127.0.0.1", \(server.port), timeout=10)
            c.putrequest("GET", p, skip_host=False, skip_accept_encoding=True)
            c.putheader("Authorization", "Bearer \(Self.token)")
            c.endheaders()
            r = c.getresponse()
            body = r.read().decode("utf-8", "replace")
            print("GET", r.status, "root:" in body)
        bulk = '{"index":{}}\\n{"message":"traversal attempt TRAVERSALMARK"}\\n'
        for p in ["/..%2F..%2Fetc%2Fpasswd/_bulk", "/%2e%2e/_bulk"]:
            c = http.client.HTTPConnection("127.0.0.1", \(server.port), timeout=10)
            c.request("POST", p, body=bulk, headers={"Authorization": "Bearer \(Self.token)", "Content-Type": "application/x-ndjson"})
            r = c.getresponse()
            body = r.read().decode()
            try:
                doc = json.loads(body)
                item = doc["items"][0]["index"]
                print("BULK", r.status, item["status"], item["error"]["type"])
            except Exception:
                print("BULK", r.status, "no-items")
        """)
        let lines = r.out.split(separator: "\n")
        let gets = lines.filter { $0.hasPrefix("GET ") }
        #expect(gets.count == 7, "\(r.out)")
        #expect(gets.allSatisfy { ($0.hasPrefix("GET 404") || $0.hasPrefix("GET 400")) && $0.hasSuffix("False") }, "\(r.out)")
        let bulks = lines.filter { $0.hasPrefix("BULK ") }
        #expect(bulks.count == 2, "\(r.out)")
        #expect(bulks.allSatisfy { $0 == "BULK 200 400 invalid_index_name_exception" || $0.hasPrefix("BULK 404") || $0.hasPrefix("BULK 400") }, "\(r.out)")
        let stored = try CLIRunner.run(["search", "--data", data, "--count", "TRAVERSALMARK"])
        #expect(stored.stdout.hasPrefix("0"), "\(stored.stdout)")
    }

    /// B9/B10 over HTTP: a 1 MB query, nesting soup, operator soup and backtracking-bait wildcards over
    /// 5 KB lines each get an answer (4xx with a message, or a result) within a deadline, and the server
    /// keeps answering.
    @Test func hostileQueriesAnswerWithinADeadline() throws {
        let data = CLIRunner.tempDir()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let server = try ServeProcess(data: data, config: try Self.config())
        defer { _ = server.stop() }
        let r = try python("""
        import http.client, urllib.parse, time
        H = {"Authorization": "Bearer \(Self.token)"}
        lines = "\\n".join("2026-11-20T10:00:00Z INFO " + "a" * 5000 + " n=%d" % i for i in range(2000)) + "\\n"
        c = http.client.HTTPConnection("127.0.0.1", \(server.port), timeout=60)
        c.request("POST", "/api/v1/logs", body=lines, headers=H)
        print("POST", c.getresponse().status)
        queries = ["x" * (1 << 20), "(" * 5000, "a and or not : < > ( ) \\" { } * \\\\" * 300, '"unbalanced quote',
                   "*a" * 20 + "*b", "message:" + "*a" * 20 + "*b*", "@timestamp >= now-99999999y", "level:" + "\\\\" * 1000]
        for q in queries:
            c = http.client.HTTPConnection("127.0.0.1", \(server.port), timeout=60)
            t = time.time()
            c.request("GET", "/api/v1/search?q=" + urllib.parse.quote(q), headers=H)
            resp = c.getresponse()
            body = resp.read()
            print("Q", resp.status, "%.3f" % (time.time() - t), len(q))
        c = http.client.HTTPConnection("127.0.0.1", \(server.port), timeout=10)
        c.request("GET", "/healthz")
        print("HEALTH", c.getresponse().status)
        """)
        #expect(r.out.contains("POST 200"), "\(r.out)")
        let answers = r.out.split(separator: "\n").filter { $0.hasPrefix("Q ") }.map { $0.split(separator: " ") }
        #expect(answers.count == 8, "\(r.out)")
        for a in answers {
            let status = Int(a[1]) ?? 0, seconds = Double(a[2]) ?? 99
            #expect((200..<300).contains(status) || (400..<500).contains(status), "\(a)")
            #expect(seconds < 10, "\(a)")
        }
        #expect(answers.first?[1] == "400" || answers.first?[1] == "414" || answers.first?[1] == "431", "1 MB query: \(answers.first ?? [])")
        #expect(r.out.contains("HEALTH 200"))
    }

    static let hasOTel = (try? python("import opentelemetry.sdk._logs, opentelemetry.exporter.otlp.proto.http._log_exporter"))?.status == 0
    static let hasProtobuf = (try? python("import google.protobuf, cramjam"))?.status == 0

    /// The OpenTelemetry Python SDK's OTLP/HTTP exporter (protobuf, its default) through Python's logging
    /// handler: every record stored once, with its level, attributes and trace context, labelled from the
    /// resource.
    @Test(.enabled(if: hasOTel, "opentelemetry-sdk / -exporter-otlp-proto-http are not installed")) func otelSDKExporterShipsEveryRecordOnce() throws {
        let data = CLIRunner.tempDir()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let server = try ServeProcess(data: data, config: try Self.config())
        let r = try python("""
        import logging
        from opentelemetry.sdk._logs import LoggerProvider, LoggingHandler
        from opentelemetry.sdk._logs.export import BatchLogRecordProcessor
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
        from opentelemetry import trace
        from opentelemetry.sdk.trace import TracerProvider
        trace.set_tracer_provider(TracerProvider())
        provider = LoggerProvider(resource=Resource.create({"service.name": "checkout", "service.version": "1.4.2",
            "k8s.namespace.name": "shop", "k8s.pod.name": "checkout-6f7d8b9c5-x2k4p"}))
        exporter = OTLPLogExporter(endpoint="http://127.0.0.1:\(server.port)/v1/logs", headers={"Authorization": "Bearer \(Self.token)"})
        provider.add_log_record_processor(BatchLogRecordProcessor(exporter))
        log = logging.getLogger("shop.checkout")
        log.setLevel(logging.INFO)
        log.addHandler(LoggingHandler(level=logging.INFO, logger_provider=provider))
        tracer = trace.get_tracer("t")
        with tracer.start_as_current_span("pay"):
            for i in range(600):
                if i % 3 == 0:
                    log.error("payment declined otelseq=%d", i, extra={"order_id": "ord-%d" % i})
                else:
                    log.info("payment accepted otelseq=%d", i, extra={"order_id": "ord-%d" % i})
        provider.shutdown()
        print("sent")
        """)
        #expect(r.out.contains("sent"))
        #expect(server.stop() == 0)
        let all = try CLIRunner.run(["search", "--data", data, "--json", "--limit", "10000", "otelseq"]).stdout.split(separator: "\n")
        var seen: [Int: Int] = [:]
        for line in all {
            guard let r = line.range(of: "otelseq="), let n = Int(line[r.upperBound...].prefix { $0.isNumber }) else { continue }
            seen[n, default: 0] += 1
        }
        #expect(seen.count == 600 && seen.values.allSatisfy { $0 == 1 }, "\(seen.count) distinct records")
        let errors = try CLIRunner.run(["search", "--data", data, "--count", "level:error and namespace:shop and deployment:checkout and order_id:ord-3"])
        #expect(errors.stdout.hasPrefix("1"), "\(errors.stdout)")
        #expect(try CLIRunner.run(["search", "--data", data, "--count", "level:error"]).stdout.hasPrefix("200"))
        #expect(all.first?.contains("\"trace_id\"") == true, "\(all.first ?? "")")
    }

    /// Loki's protobuf push as Promtail sends it: a `logproto.PushRequest` encoded by the protobuf library
    /// (from a descriptor, as the generated code would) and snappy-compressed by cramjam.
    @Test(.enabled(if: hasProtobuf, "protobuf / cramjam are not installed")) func lokiProtobufPushIsStoredWithLabelsAndTimes() throws {
        let data = CLIRunner.tempDir()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let server = try ServeProcess(data: data, config: try Self.config())
        let r = try python("""
        import cramjam, urllib.request
        from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
        from google.protobuf.descriptor_pb2 import FieldDescriptorProto as F
        fdp = descriptor_pb2.FileDescriptorProto(name="push.proto", package="logproto", syntax="proto3")
        fdp.dependency.append("google/protobuf/timestamp.proto")
        def msg(name, fields):
            m = fdp.message_type.add(name=name)
            for (n, num, t, label, type_name) in fields:
                f = m.field.add(name=n, number=num, type=t, label=label)
                if type_name: f.type_name = type_name
        O, R = F.LABEL_OPTIONAL, F.LABEL_REPEATED
        msg("PushRequest", [("streams", 1, F.TYPE_MESSAGE, R, ".logproto.StreamAdapter")])
        msg("StreamAdapter", [("labels", 1, F.TYPE_STRING, O, None), ("entries", 2, F.TYPE_MESSAGE, R, ".logproto.EntryAdapter"), ("hash", 3, F.TYPE_UINT64, O, None)])
        msg("EntryAdapter", [("timestamp", 1, F.TYPE_MESSAGE, O, ".google.protobuf.Timestamp"), ("line", 2, F.TYPE_STRING, O, None)])
        from google.protobuf import timestamp_pb2
        pool = descriptor_pool.DescriptorPool()
        pool.AddSerializedFile(timestamp_pb2.DESCRIPTOR.serialized_pb)
        pool.Add(fdp)
        Push = message_factory.GetMessageClass(pool.FindMessageTypeByName("logproto.PushRequest"))
        req = Push()
        for s in range(3):
            st = req.streams.add(labels='{namespace="shop", pod="web-7d4b9c6f5-x2k4p", container="web", job="promtail", note="a \\\\"quoted\\\\" value"}' if s == 0 else '{app="worker%d", job="promtail"}' % s)
            for i in range(400):
                e = st.entries.add(line="level=info msg=\\"served\\" lokiseq=%d" % (s * 1000 + i))
                e.timestamp.seconds = 1763632800 + i
                e.timestamp.nanos = 123456789
        body = cramjam.snappy.compress_raw(req.SerializeToString()).tobytes() if hasattr(cramjam.snappy.compress_raw(b"x"), "tobytes") else bytes(cramjam.snappy.compress_raw(req.SerializeToString()))
        rq = urllib.request.Request("http://127.0.0.1:\(server.port)/loki/api/v1/push", data=body, method="POST",
            headers={"Authorization": "Bearer \(Self.token)", "Content-Type": "application/x-protobuf"})
        with urllib.request.urlopen(rq, timeout=30) as resp:
            print("status", resp.status)
        """)
        #expect(r.out.contains("status 204"), "\(r.out)")
        #expect(server.stop() == 0)
        #expect(try CLIRunner.run(["search", "--data", data, "--count", "lokiseq"]).stdout.hasPrefix("1200"))
        #expect(try CLIRunner.run(["search", "--data", data, "--count", "namespace:shop and deployment:web and lokiseq"]).stdout.hasPrefix("400"))
        #expect(try CLIRunner.run(["search", "--data", data, "--count", "deployment:worker2"]).stdout.hasPrefix("400"))
        let first = try CLIRunner.run(["search", "--data", data, "--json", "--limit", "1", "--from", "2025-11-20T10:00:00Z", "--to", "2025-11-20T10:00:01Z", "deployment:web"]).stdout
        #expect(first.contains("\"time\":\"2025-11-20T10:00:00.123456789Z\""), "\(first)")
    }

    @Test func refusesNonLoopbackWithoutTokens() throws {
        let out = try CLIRunner.run(["serve", "--data", CLIRunner.tempDir(), "--listen", "0.0.0.0:0"])
        #expect(out.status == 2)
        #expect(out.stderr.contains("without tokens"))
    }
}

/// The web UI in headless Chromium (skipped where Chromium is not installed): the page searches from its URL
/// fragment, shows the rows, and markup in a log line stays text.
@Suite(.serialized) struct WebUIBrowserTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: chromium != nil, "Chromium is not installed")) func pageSearchesAndKeepsMarkupInert() throws {
        let data = CLIRunner.tempDir()
        let server = try ServeProcess(data: data)
        let lines = [
            "2026-11-20T10:00:00Z WARN uicheck <img src=x onerror=\"document.title='pwned'\"></script><script>document.title='pwned2'</script>",
            "2026-11-20T10:00:01Z INFO uicheck plain second line",
        ]
        let post = """
        import urllib.request
        req = urllib.request.Request("http://127.0.0.1:\(server.port)/api/v1/logs?deployment=web", data=\(ServeTests.pyString(lines.joined(separator: "\n") + "\n")).encode(), method="POST")
        print(urllib.request.urlopen(req).status)
        """
        #expect(try python(post).out.hasPrefix("200"))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.chromium!)
        p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + data + "/chromium", "--virtual-time-budget=5000",
                       "--dump-dom", "http://127.0.0.1:\(server.port)/#q=uicheck&from=2026-11-01"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let dom = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        _ = server.stop()
        #expect(dom.contains("2 matching, 2 shown"))
        #expect(dom.contains("plain second line"))
        #expect(dom.contains("&lt;img src=x onerror="))
        #expect(!dom.contains("<img"))
        #expect(dom.contains("<title>logsift</title>"))
        #expect(!dom.contains("pwned</title>") && !dom.contains("pwned2</title>"))
        try? FileManager.default.removeItem(atPath: data)
    }

    /// B8 behind a click: expanding a row (a real click through the DevTools protocol) shows its context
    /// and its fields; a field *name* and value carrying markup stay text, no element is created, the
    /// title is untouched.
    @Test(.enabled(if: chromium != nil, "Chromium is not installed")) func expandingARowShowsContextAndKeepsFieldNamesInert() throws {
        let data = CLIRunner.tempDir()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let server = try ServeProcess(data: data)
        var lines = (0..<3).map { "{\"time\":\"2026-11-20T10:00:0\($0)Z\",\"level\":\"info\",\"message\":\"before \($0)\"}" }
        lines.append(#"{"time":"2026-11-20T10:00:05Z","level":"error","message":"uictx <img src=x onerror=\"document.title='pwned'\">","<img src=x onerror=document.title='pwned3'>":"<svg onload=document.title='pwned4'>"}"#)
        lines += (0..<2).map { "{\"time\":\"2026-11-20T10:00:0\(6 + $0)Z\",\"level\":\"info\",\"message\":\"after \($0)\"}" }
        let post = """
        import urllib.request
        req = urllib.request.Request("http://127.0.0.1:\(server.port)/api/v1/logs?deployment=web&format=json", data=\(ServeTests.pyString(lines.joined(separator: "\n") + "\n")).encode(), method="POST")
        print(urllib.request.urlopen(req).status)
        """
        #expect(try python(post).out.hasPrefix("200"))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", CLIRunner.repoRoot.path + "/scripts/ui-click.py", Self.chromium!, "http://127.0.0.1:\(server.port)/#q=uictx&from=2026-11-01", data + "/chromium"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        _ = server.stop()
        #expect(text.contains("ROWS 1"), "\(text)")
        #expect(text.contains("CTXROWS 5"), "\(text)")
        #expect(text.contains("before 2") && text.contains("after 0"), "\(text)")
        #expect(text.contains("<img src=x onerror=document.title='pwned3'>") && text.contains("<svg onload=document.title='pwned4'>"), "\(text)")
        #expect(text.contains("IMGS 0"), "\(text)")
        #expect(text.contains("TITLE logsift\n"), "\(text)")
    }
}

/// Syslog from util-linux `logger` over TCP (newline and octet counting) and UDP, RFC 5424 and 3164.
@Suite(.serialized) struct ServeSyslogTests {
    static let logger = ["/usr/bin/logger", "/bin/logger"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: logger != nil, "util-linux logger is not installed")) func loggerLinesArriveOverTCPAndUDP() throws {
        let data = CLIRunner.tempDir()
        let server = try ServeProcess(data: data, syslog: "127.0.0.1:0")
        let port = try #require(server.syslogPort)
        let sends: [[String]] = [
            ["--tcp", "-t", "app", "sysline tcp5424"],
            ["--tcp", "--octet-count", "-t", "app", "sysline tcpoctet"],
            ["--udp", "-t", "app", "sysline udp5424"],
            ["--udp", "--rfc3164", "-t", "app", "sysline udp3164"],
        ]
        for args in sends {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: Self.logger!)
            p.arguments = ["-n", "127.0.0.1", "-P", String(port)] + args
            try p.run()
            p.waitUntilExit()
            #expect(p.terminationStatus == 0)
        }
        var found = ""
        for _ in 0..<50 {
            found = try CLIRunner.run(["search", "--data", data, "--count", "sysline"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            if found == "4" { break }
            usleep(100_000)
        }
        #expect(found == "4")
        let json = try CLIRunner.run(["search", "--data", data, "--json", "sysline"]).stdout
        for word in ["tcp5424", "tcpoctet", "udp5424", "udp3164"] { #expect(json.contains(word)) }
        #expect(json.contains("\"source\":\"syslog\""))
        #expect(server.stop() == 0)
        try? FileManager.default.removeItem(atPath: data)
    }
}

/// The opensearch-py client (PyPI; scripts/setup.sh installs it) reads the version document and ships
/// through its bulk helper; every document arrives once.
@Suite(.serialized) struct ServeOpenSearchClientTests {
    static let hasClient: Bool = (try? python("import opensearchpy; print('yes')").out.hasPrefix("yes")) ?? false

    @Test(.enabled(if: hasClient, "opensearch-py is not installed")) func bulkHelperShipsEveryDocumentOnce() throws {
        let data = CLIRunner.tempDir()
        let server = try ServeProcess(data: data, config: try ServeTests.config())
        let r = try python("""
        from opensearchpy import OpenSearch, helpers
        c = OpenSearch(hosts=[{"host": "127.0.0.1", "port": \(server.port)}], headers={"Authorization": "Bearer \(ServeTests.token)"}, use_ssl=False)
        print(c.info()["version"]["number"])
        docs = ({"_index": "pyapp", "_source": {"@timestamp": "2026-11-20T10:00:00Z", "message": f"osline seq={i}", "level": "info"}} for i in range(2500))
        print(helpers.bulk(c, docs, chunk_size=500))
        """)
        #expect(r.out == "8.17.0\n(2500, [])\n")
        let stored = try storedSequences(data)
        #expect(stored.count == 2500)
        #expect(stored.values.allSatisfy { $0 == 1 })
        #expect(server.stop() == 0)
        try? FileManager.default.removeItem(atPath: data)
    }
}

/// SIGTERM while clients are sending: the server stops accepting, answers what it has read, commits it and
/// exits 0; every acknowledged line is stored.
@Suite(.serialized) struct ServeShutdownTests {
    @Test func sigtermCommitsWhatWasAcknowledged() throws {
        let data = CLIRunner.tempDir()
        let server = try ServeProcess(data: data, config: try ServeTests.config())
        let r = try python("""
        import http.client, os, signal, threading, time
        acked = [0]
        lock = threading.Lock()
        def send(n):
            seq = n * 1000000
            while True:
                try:
                    c = http.client.HTTPConnection("127.0.0.1", \(server.port), timeout=10)
                    body = "".join(f"2026-11-20T10:00:00Z INFO termseq={seq + i} x\\n" for i in range(200)).encode()
                    c.request("POST", "/api/v1/logs", body=body, headers={"Authorization": "Bearer \(ServeTests.token)"})
                    if c.getresponse().status == 200:
                        with lock: acked[0] += 200
                    seq += 200
                except Exception:
                    return
        ts = [threading.Thread(target=send, args=(i,)) for i in range(3)]
        for t in ts: t.start()
        time.sleep(1.0)
        os.kill(\(server.process.processIdentifier), signal.SIGTERM)
        for t in ts: t.join()
        print(acked[0])
        """)
        server.process.waitUntilExit()
        #expect(server.process.terminationStatus == 0)
        let acked = Int(r.out.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        #expect(acked > 0)
        let stored = Int(try CLIRunner.run(["search", "--data", data, "--count", "termseq"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        #expect(stored >= acked, "stored \(stored), acknowledged \(acked)")
        try? FileManager.default.removeItem(atPath: data)
    }
}

/// rsyslog's omelasticsearch (Debian's rsyslog-elasticsearch; scripts/setup.sh installs it) reads a file
/// with imfile and ships it in bulk mode; every line arrives once.
@Suite(.serialized) struct ServeRsyslogTests {
    static let available = FileManager.default.isExecutableFile(atPath: "/usr/sbin/rsyslogd")
        && FileManager.default.fileExists(atPath: "/usr/lib/x86_64-linux-gnu/rsyslog/omelasticsearch.so")

    @Test(.enabled(if: available, "rsyslog-elasticsearch is not installed")) func omelasticsearchShipsEveryLineOnce() throws {
        let root = CLIRunner.tempDir()
        let data = root + "/data"
        try FileManager.default.createDirectory(atPath: root + "/work", withIntermediateDirectories: true)
        // No tokens: omelasticsearch speaks Basic auth only, and a server without tokens serves loopback.
        let server = try ServeProcess(data: data)
        let n = 2000
        try (1...n).map { "rsline seq=\($0) shipped by rsyslog\n" }.joined().write(toFile: root + "/in.log", atomically: true, encoding: .utf8)
        try """
        global(workDirectory="\(root)/work")
        module(load="imfile")
        module(load="omelasticsearch")
        template(name="doc" type="list" option.jsonf="on") {
          property(outname="@timestamp" name="timereported" dateFormat="rfc3339" format="jsonf")
          property(outname="message" name="msg" format="jsonf")
        }
        ruleset(name="es") {
          action(type="omelasticsearch" server="127.0.0.1" serverport="\(server.port)" usehttps="off" template="doc"
                 searchIndex="rsyslog" bulkmode="on" errorFile="\(root)/es-errors.json")
        }
        input(type="imfile" File="\(root)/in.log" Tag="app" ruleset="es")

        """.write(toFile: root + "/rsyslog.conf", atomically: true, encoding: .utf8)
        let rsyslog = Process()
        rsyslog.executableURL = URL(fileURLWithPath: "/usr/sbin/rsyslogd")
        rsyslog.arguments = ["-n", "-f", root + "/rsyslog.conf", "-i", root + "/rsyslog.pid"]
        rsyslog.standardOutput = FileHandle.nullDevice
        rsyslog.standardError = FileHandle.nullDevice
        try rsyslog.run()
        var stored: [Int: Int] = [:]
        for _ in 0..<100 {
            stored = try storedSequences(data)
            if stored.count >= n { break }
            usleep(200_000)
        }
        // rsyslogd inherits the test runner's blocked SIGTERM; everything it sent is counted above.
        kill(rsyslog.processIdentifier, SIGKILL)
        rsyslog.waitUntilExit()
        #expect(stored.count == n)
        #expect(stored.values.allSatisfy { $0 == 1 })
        #expect(!FileManager.default.fileExists(atPath: root + "/es-errors.json"))
        #expect(server.stop() == 0)
        try? FileManager.default.removeItem(atPath: root)
    }
}

@Suite(.serialized) struct ServeRetentionTests {
    /// `serve` applies `retention:` from its config on its own: a day older than max_age that arrives over
    /// HTTP is gone at the next retention pass, the recent one stays, and the counters say what went.
    @Test func serveDropsDaysPastMaxAgeContinuously() throws {
        let dir = CLIRunner.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let data = dir + "/data", config = dir + "/config.yaml"
        try "server:\n  tokens:\n    - {token: \(ServeTests.token), scopes: [ingest, read]}\nretention:\n  max_age: 30d\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLIRunner.binary)
        p.arguments = ["serve", "--data", data, "--listen", "127.0.0.1:0", "--config", config]
        p.environment = ProcessInfo.processInfo.environment.merging(["LOGSIFT_RETENTION_EVERY_MS": "200"]) { $1 }
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        defer { if p.isRunning { p.terminate() }; p.waitUntilExit() }
        var text = ""
        while !text.contains("listening on") {
            let d = out.fileHandleForReading.availableData
            if d.isEmpty { break }
            text += String(decoding: d, as: UTF8.self)
        }
        let port = try #require(text.split(separator: "\n").first { $0.contains("listening on") }?.split(separator: ":").last.flatMap { Int($0) })
        let recent = Timestamp.rfc3339(Int64(Date().timeIntervalSince1970 * 1e9))
        let r = try python(ServeTests.post(port: port, path: "/api/v1/logs?deployment=kept",
                                           lines: ["2020-01-01T10:00:00Z INFO ancient line", "\(recent) INFO recent line"]))
        #expect(r.out.hasPrefix("200 "))
        var gone = false
        for _ in 0..<50 where !gone {
            usleep(100_000)
            gone = try CLIRunner.run(["search", "--data", data, "--count", "ancient"]).stdout == "0\n"
        }
        #expect(gone)
        #expect(try CLIRunner.run(["search", "--data", data, "--count", "recent"]).stdout == "1\n")
        let stats = try JSONSerialization.jsonObject(with: Data(try CLIRunner.run(["stats", "--json", "--data", data]).stdout.utf8)) as! [String: Any]
        #expect(stats["retention_partitions"] as? Int == 1)
    }
}
