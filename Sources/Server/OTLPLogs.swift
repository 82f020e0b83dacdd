import Foundation
import LogCore
import LogIndexer

/// OpenTelemetry logs over HTTP in JSON (`POST /v1/logs`, ExportLogsServiceRequest). Each log record becomes
/// one JSON event line (time, level, message, trace/span ids and attributes as fields); Kubernetes resource
/// attributes become labels, `service.name` the deployment when no `k8s.deployment.name` is given.
enum OTLPLogs {
    struct Failure: Error { var message: String }

    static func parse(_ data: Data) throws(Failure) -> [IngestLines] {
        guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any], let resources = root["resourceLogs"] as? [Any] else {
            throw Failure(message: "expected an OTLP/JSON ExportLogsServiceRequest: {\"resourceLogs\": [...]}")
        }
        var parts: [IngestLines] = []
        for r in resources {
            guard let rl = r as? [String: Any] else { continue }
            let attrs = attributes((rl["resource"] as? [String: Any])?["attributes"])
            var labels = StreamLabels(source: "otlp")
            labels.namespace = attrs["k8s.namespace.name"] ?? ""
            labels.pod = attrs["k8s.pod.name"] ?? ""
            labels.container = attrs["k8s.container.name"] ?? ""
            labels.deployment = attrs["k8s.deployment.name"] ?? attrs["service.name"] ?? ""
            if labels.deployment.isEmpty, !labels.pod.isEmpty { labels.deployment = WorkloadName(podName: labels.pod).name }
            labels.version = attrs["service.version"] ?? ""
            var lines: [[UInt8]] = [], times: [Int64] = []
            for s in rl["scopeLogs"] as? [Any] ?? [] {
                for rec in (s as? [String: Any])?["logRecords"] as? [Any] ?? [] {
                    guard let record = rec as? [String: Any] else { continue }
                    let ns = nanos(record["timeUnixNano"]) ?? nanos(record["observedTimeUnixNano"]) ?? StoreIngest.nowNs()
                    var line = "{\"time\":\"\(Timestamp.rfc3339(ns))\""
                    if let level = level(record) { line += ",\"level\":\"\(level)\"" }
                    line += ",\"message\":" + JSONText.quote(text(record["body"]))
                    for key in ["traceId", "spanId"] { if let v = record[key] as? String, !v.isEmpty { line += ",\"\(key == "traceId" ? "trace_id" : "span_id")\":" + JSONText.quote(v) } }
                    for (k, v) in attributes(record["attributes"]).sorted(by: { $0.key < $1.key }) where !["time", "level", "message"].contains(k) {
                        line += "," + JSONText.quote(k) + ":" + JSONText.quote(v)
                    }
                    lines.append(Array((line + "}").utf8))
                    times.append(ns)
                }
            }
            if !lines.isEmpty { parts.append(IngestLines(labels: labels, lines: lines, format: .json, times: times)) }
        }
        return parts
    }

    static func nanos(_ v: Any?) -> Int64? {
        if let s = v as? String, let n = Int64(s), n > 0 { return n }
        if let n = v as? NSNumber, n.int64Value > 0 { return n.int64Value }
        return nil
    }

    static func level(_ record: [String: Any]) -> String? {
        if let t = record["severityText"] as? String, !t.isEmpty { return t.lowercased() }
        guard let n = (record["severityNumber"] as? NSNumber)?.intValue, n > 0 else { return nil }
        return ["trace", "debug", "info", "warn", "error", "fatal"][min(5, (n - 1) / 4)]
    }

    /// An AnyValue as text: strings as they are, other values as JSON.
    static func text(_ v: Any?) -> String {
        guard let any = v as? [String: Any], let (kind, value) = any.first else { return "" }
        switch kind {
        case "stringValue": return value as? String ?? ""
        case "intValue": return (value as? String) ?? "\(value)"
        case "boolValue", "doubleValue": return "\(value)"
        default:
            guard JSONSerialization.isValidJSONObject([value]), let d = try? JSONSerialization.data(withJSONObject: [value]) else { return "" }
            return String(String(decoding: d, as: UTF8.self).dropFirst().dropLast())
        }
    }

    static func attributes(_ v: Any?) -> [String: String] {
        var out: [String: String] = [:]
        for a in v as? [Any] ?? [] {
            guard let kv = a as? [String: Any], let key = kv["key"] as? String else { continue }
            out[key] = text(kv["value"])
        }
        return out
    }
}
