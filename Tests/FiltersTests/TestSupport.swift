import LogCore
@testable import Filters

let testLabels = StreamLabels(source: "/var/log/pods/prod_web-5d9c8b7f4-abcde_1/web/0.log", namespace: "prod",
                              pod: "web-5d9c8b7f4-abcde", container: "web", stream: "stdout", deployment: "web")

/// Runs one line through `filter` and returns the verdict and the redacted text (if any).
@discardableResult
func run(_ filter: NoiseFilter, _ line: String, level: LogLevel = .info, labels: StreamLabels = testLabels,
         ns: Int64 = 1_700_000_000_000_000_000, stream: Int = 1) -> (FilterVerdict, String?) {
    let out = ByteBuffer()
    var s = line
    let v = s.withUTF8 { filter.evaluate(text: $0, level: level, labels: labels, ns: ns, streamKey: stream, redacted: out) }
    return (v, v.redactedBy != nil ? String(decoding: out.bytes, as: UTF8.self) : nil)
}

func ruleName(_ filter: NoiseFilter, _ v: FilterVerdict) -> String? {
    if case .drop(let r, _) = v.decision { return filter.config.rules[r].name }
    return nil
}

func config(_ yaml: String) throws -> FilterConfig { try FilterConfig.load(yaml: yaml, source: "test.yaml") }
