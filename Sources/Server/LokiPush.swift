import Foundation
import LogCore

/// Loki's push API (`POST /loki/api/v1/push`): streams of label sets with `[ns, line]` values, in JSON or
/// as Promtail, Alloy and the Loki Docker driver send it by default: a snappy-compressed protobuf `PushRequest`.
/// Kubernetes labels map to logsift's (namespace, pod, container, deployment; `app`/`service_name` as the
/// deployment when none is given); `job` or `filename` is the source.
enum LokiPush {
    struct Failure: Error { var message: String }

    static func parse(_ data: Data) throws(Failure) -> [IngestLines] {
        guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any], let streams = root["streams"] as? [Any] else {
            throw Failure(message: "expected a JSON object with \"streams\": [{\"stream\": {labels}, \"values\": [[\"<unix ns>\", \"line\"]]}]")
        }
        var parts: [IngestLines] = []
        for (n, s) in streams.enumerated() {
            guard let entry = s as? [String: Any], let values = entry["values"] as? [Any] else {
                throw Failure(message: "streams[\(n)] needs \"values\"")
            }
            let labels = Self.labels((entry["stream"] as? [String: Any] ?? [:]).compactMapValues { $0 as? String })
            var lines: [[UInt8]] = [], times: [Int64] = []
            for (i, v) in values.enumerated() {
                guard let pair = v as? [Any], pair.count >= 2, let line = pair[1] as? String else {
                    throw Failure(message: "streams[\(n)].values[\(i)] must be [\"<unix ns>\", \"line\"]")
                }
                guard let ns = (pair[0] as? String).flatMap({ Int64($0) }) ?? (pair[0] as? NSNumber)?.int64Value else {
                    throw Failure(message: "streams[\(n)].values[\(i)]: the time must be Unix nanoseconds as a string")
                }
                lines.append(Array(line.utf8))
                times.append(ns)
            }
            parts.append(IngestLines(labels: labels, lines: lines, times: times))
        }
        return parts
    }

    /// A `logproto.PushRequest` (streams = 1: labels = 1 as `{k="v", ...}`, entries = 2: timestamp = 1
    /// {seconds = 1, nanos = 2}, line = 2).
    static func parseProtobuf(_ bytes: [UInt8]) throws(Failure) -> [IngestLines] {
        var parts: [IngestLines] = []
        do {
            try ProtobufReader.forEachField(in: bytes[...]) { field, value in
                guard field == 1, let stream = value.message else { return }
                var labelText = "", lines: [[UInt8]] = [], times: [Int64] = []
                try ProtobufReader.forEachField(in: stream) { field, value in
                    switch field {
                    case 1: labelText = value.string ?? ""
                    case 2:
                        guard let entry = value.message else { return }
                        var seconds: Int64 = 0, nanos: Int64 = 0, line: [UInt8] = []
                        try ProtobufReader.forEachField(in: entry) { field, value in
                            switch field {
                            case 1:
                                guard let ts = value.message else { return }
                                try ProtobufReader.forEachField(in: ts) { field, value in
                                    if field == 1 { seconds = Int64(truncatingIfNeeded: value.integer ?? 0) }
                                    if field == 2 { nanos = Int64(Int32(truncatingIfNeeded: value.integer ?? 0)) }
                                }
                            case 2: line = Array(value.message ?? [])
                            default: break
                            }
                        }
                        let (ns, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
                        lines.append(line)
                        times.append(overflow ? 0 : ns &+ nanos)
                    default: break
                    }
                }
                parts.append(IngestLines(labels: Self.labels(try Self.labelSet(labelText)), lines: lines, times: times))
            }
        } catch let e as Failure {
            throw e
        } catch {
            throw Failure(message: "the protobuf PushRequest is malformed: \(error)")
        }
        return parts
    }

    /// A Prometheus label set as Loki writes it: `{namespace="shop", pod="web-1"}` (values escape `\"`, `\\`, `\n`).
    static func labelSet(_ text: String) throws -> [String: String] {
        var out: [String: String] = [:]
        var chars = Array(text.unicodeScalars)[...]
        func skipSpace() { while let c = chars.first, c == " " || c == "," { chars = chars.dropFirst() } }
        skipSpace()
        guard chars.first == "{" else { throw Failure(message: "stream labels must look like {name=\"value\", ...}, got \(text.prefix(80))") }
        chars = chars.dropFirst()
        while true {
            skipSpace()
            guard let c = chars.first else { throw Failure(message: "stream labels end without '}'") }
            if c == "}" { break }
            var name = ""
            while let c = chars.first, c != "=", c != "}" { name.unicodeScalars.append(c); chars = chars.dropFirst() }
            guard chars.first == "=" else { throw Failure(message: "a stream label without '=' in \(text.prefix(80))") }
            chars = chars.dropFirst()
            guard chars.first == "\"" else { throw Failure(message: "a stream label value must be quoted in \(text.prefix(80))") }
            chars = chars.dropFirst()
            var value = ""
            while true {
                guard let c = chars.first else { throw Failure(message: "an unterminated label value in \(text.prefix(80))") }
                chars = chars.dropFirst()
                if c == "\"" { break }
                if c == "\\", let n = chars.first {
                    chars = chars.dropFirst()
                    value.unicodeScalars.append(n == "n" ? "\n" : n)
                } else {
                    value.unicodeScalars.append(c)
                }
            }
            out[name.trimmingCharacters(in: .whitespaces)] = value
        }
        return out
    }

    static func labels(_ l: [String: String]) -> StreamLabels {
        var labels = StreamLabels(source: l["job"] ?? l["filename"] ?? "loki")
        labels.namespace = l["namespace"] ?? l["k8s_namespace_name"] ?? ""
        labels.pod = l["pod"] ?? l["k8s_pod_name"] ?? ""
        labels.container = l["container"] ?? l["k8s_container_name"] ?? ""
        labels.deployment = l["deployment"] ?? l["k8s_deployment_name"] ?? l["app"] ?? l["service_name"] ?? ""
        if labels.deployment.isEmpty, !labels.pod.isEmpty { labels.deployment = WorkloadName(podName: labels.pod).name }
        return labels
    }
}
