import Filters
import LogCore

/// `rules`: the bytes as a rule file (`--config`, `LOGSIFT_CONFIG`).
///
/// - ``FilterConfig/load(yaml:source:)`` returns a config or a ``FilterConfigError`` that names a line of
///   the file (or none); ``RetentionSettings/load(yaml:source:)`` likewise.
/// - A loaded config runs in front of the default pack, as `ingest` combines them, in a ``NoiseFilter`` over
///   fixed lines and over the file's own lines (so that its literals, globs and regexes meet text that they
///   may match), then flushes its dedup windows.
enum RulesTarget {
    static func run(_ data: UnsafeRawBufferPointer) {
        let yaml = String(decoding: data, as: UTF8.self)
        // YAML's line breaks: LF, CR LF, a lone CR (and, in YAML 1.1, NEL, LS, PS).
        let lineCount = yaml.unicodeScalars.reduce(1) { n, c in ["\n", "\r", "\u{85}", "\u{2028}", "\u{2029}"].contains(c) ? n + 1 : n }
        do throws(FilterConfigError) {
            _ = try RetentionSettings.load(yaml: yaml, source: "fuzz.yaml")
        } catch {
            checkError(error, lineCount)
        }
        let config: FilterConfig
        do throws(FilterConfigError) {
            config = try FilterConfig.load(yaml: yaml, source: "fuzz.yaml")
        } catch {
            checkError(error, lineCount)
            return
        }
        FuzzCheck.that(config.rescueDepth >= 0, "rescue depth \(config.rescueDepth)")
        let filter = NoiseFilter(config: .combined([config, .defaultPack]), rescueDepth: config.rescueDepth)
        let redacted = ByteBuffer(capacity: 256)
        var ns: Int64 = 1_763_546_400_000_000_000
        var stream = 0
        func evaluate(_ text: [UInt8], _ level: LogLevel) {
            ns += 250_000_000
            stream = (stream + 1) % labels.count
            text.withUnsafeBufferPointer { t in
                let verdict = filter.evaluate(text: t, level: level, labels: labels[stream], ns: ns, streamKey: stream, redacted: redacted)
                if verdict.failure != nil { _ = filter.takeRescued(streamKey: stream) }
            }
        }
        for _ in 0..<2 {
            for (k, line) in lines.enumerated() { evaluate(line, LogLevel.allCases[k % LogLevel.allCases.count]) }
        }
        for (k, line) in yaml.utf8.split(separator: 0x0A).prefix(200).enumerated() {
            evaluate(Array(line), LogLevel.allCases[k % LogLevel.allCases.count])
        }
        _ = filter.flush(nowNs: Int64.max)
        _ = filter.takeAccounting()
    }

    static func checkError(_ error: FilterConfigError, _ lineCount: Int) {
        FuzzCheck.that(error.line >= 0 && error.line <= lineCount + 1, "error line \(error.line) of a \(lineCount)-line file: \(error)")
        FuzzCheck.that(!error.message.isEmpty, "empty error message")
        _ = error.description
    }

    static let labels = [
        StreamLabels(source: "/var/log/pods/shop_checkout-7d9f_1/app/0.log", namespace: "shop", pod: "checkout-7d9f8b6c5-x2x9q",
                     container: "app", stream: "stdout", deployment: "checkout", version: "7d9f8b6c5"),
        StreamLabels(source: "stdin"),
        StreamLabels(source: "node-1.log", namespace: "kube-system", pod: "kube-proxy-abcde", container: "kube-proxy", stream: "stderr"),
    ]

    static let lines: [[UInt8]] = [
        #"10.0.0.1 - - [19/Nov/2025:10:00:00 +0000] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.29""#,
        #"{"level":"info","msg":"request","method":"GET","path":"/metrics","status":200,"user_agent":"Prometheus/2.45"}"#,
        #"level=debug msg="cache hit" key=user:42 password=hunter2 token=eyJhbGciOi.eyJzdWIi.sig"#,
        "I1119 10:00:00.000000 1 prober.go:107] \"Probe succeeded\" probeType=\"Readiness\" pod=\"shop/checkout-7d9f8b6c5-x2x9q\"",
        "ERROR payment failed: connection refused (attempt 3)",
        "Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space",
        "Health check for server be/srv1 succeeded, reason: Layer7 check passed",
        "",
        "\u{1B}[31mred\u{1B}[0m \u{0} é 😀 ${jndi:ldap://x}",
    ].map { Array($0.utf8) } + [[0xFF, 0xFE, 0x41, 0xC3], [UInt8](repeating: 0x61, count: 5000)]
}
