import Foundation
import LogCore

/// Loki's push API in JSON (`POST /loki/api/v1/push`): streams of label sets with `[ns, line]` values.
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
