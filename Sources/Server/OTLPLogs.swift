import Foundation
import LogCore
import LogIndexer

/// OpenTelemetry logs over HTTP (`POST /v1/logs`, ExportLogsServiceRequest), in JSON or protobuf (the
/// OTLP/HTTP default of the SDK exporters and the Collector). Each log record becomes one JSON event line
/// (time, level, message, trace/span ids and attributes as fields); Kubernetes resource attributes become
/// labels, `service.name` the deployment when no `k8s.deployment.name` is given.
enum OTLPLogs {
    struct Failure: Error { var message: String }

    /// One log record, from either encoding.
    struct Record {
        var timeNs: Int64?
        var severityText = ""
        var severityNumber = 0
        var body = ""
        var attributes: [String: String] = [:]
        var traceId = ""
        var spanId = ""
    }

    static func parse(_ data: Data) throws(Failure) -> [IngestLines] {
        guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any], let resources = root["resourceLogs"] as? [Any] else {
            throw Failure(message: "expected an OTLP/JSON ExportLogsServiceRequest: {\"resourceLogs\": [...]}")
        }
        var parts: [IngestLines] = []
        for r in resources {
            guard let rl = r as? [String: Any] else { continue }
            var records: [Record] = []
            for s in rl["scopeLogs"] as? [Any] ?? [] {
                for rec in (s as? [String: Any])?["logRecords"] as? [Any] ?? [] {
                    guard let record = rec as? [String: Any] else { continue }
                    records.append(Record(timeNs: nanos(record["timeUnixNano"]) ?? nanos(record["observedTimeUnixNano"]),
                                          severityText: record["severityText"] as? String ?? "",
                                          severityNumber: (record["severityNumber"] as? NSNumber)?.intValue ?? 0,
                                          body: text(record["body"]), attributes: attributes(record["attributes"]),
                                          traceId: record["traceId"] as? String ?? "", spanId: record["spanId"] as? String ?? ""))
                }
            }
            if let part = lines(resource: attributes((rl["resource"] as? [String: Any])?["attributes"]), records: records) { parts.append(part) }
        }
        return parts
    }

    /// The protobuf encoding: resource_logs = 1 { resource = 1 { attributes = 1 }, scope_logs = 2 { log_records = 2 {
    /// time_unix_nano = 1, severity_number = 2, severity_text = 3, body = 5, attributes = 6, trace_id = 9,
    /// span_id = 10, observed_time_unix_nano = 11 } } }.
    static func parseProtobuf(_ bytes: [UInt8]) throws(Failure) -> [IngestLines] {
        var parts: [IngestLines] = []
        do {
            try ProtobufReader.forEachField(in: bytes[...]) { field, value in
                guard field == 1, let resourceLogs = value.message else { return }
                var resource: [String: String] = [:], records: [Record] = []
                try ProtobufReader.forEachField(in: resourceLogs) { field, value in
                    guard let m = value.message else { return }
                    if field == 1 {
                        try ProtobufReader.forEachField(in: m) { f, v in if f == 1, let kv = v.message { let (k, x) = try keyValue(kv); resource[k] = x } }
                    } else if field == 2 {
                        try ProtobufReader.forEachField(in: m) { f, v in if f == 2, let r = v.message { records.append(try record(r)) } }
                    }
                }
                if let part = lines(resource: resource, records: records) { parts.append(part) }
            }
        } catch {
            throw Failure(message: "the protobuf ExportLogsServiceRequest is malformed: \(error)")
        }
        return parts
    }

    static func record(_ bytes: ArraySlice<UInt8>) throws -> Record {
        var r = Record(), observed: Int64?
        try ProtobufReader.forEachField(in: bytes) { field, value in
            switch field {
            case 1: if let n = value.integer, n > 0 { r.timeNs = Int64(truncatingIfNeeded: n) }
            case 2: r.severityNumber = Int(truncatingIfNeeded: value.integer ?? 0)
            case 3: r.severityText = value.string ?? ""
            case 5: r.body = try anyValue(value.message ?? [])
            case 6: if let kv = value.message { let (k, x) = try keyValue(kv); r.attributes[k] = x }
            case 9: r.traceId = hex(value.message ?? [])
            case 10: r.spanId = hex(value.message ?? [])
            case 11: if let n = value.integer, n > 0 { observed = Int64(truncatingIfNeeded: n) }
            default: break
            }
        }
        if r.timeNs == nil { r.timeNs = observed }
        return r
    }

    static func keyValue(_ bytes: ArraySlice<UInt8>) throws -> (String, String) {
        var key = "", value = ""
        try ProtobufReader.forEachField(in: bytes) { field, v in
            if field == 1 { key = v.string ?? "" }
            if field == 2 { value = try anyValue(v.message ?? []) }
        }
        return (key, value)
    }

    /// An AnyValue as text, as the JSON path shows it: strings as they are, others as JSON.
    static func anyValue(_ bytes: ArraySlice<UInt8>, depth: Int = 0) throws -> String {
        guard depth < 32 else { throw ProtobufReader.Malformed(description: "AnyValue nests deeper than 32 levels") }
        var out = ""
        try ProtobufReader.forEachField(in: bytes) { field, value in
            switch (field, value) {
            case (1, .bytes(let b)): out = String(decoding: b, as: UTF8.self)
            case (2, .varint(let v)): out = v != 0 ? "true" : "false"
            case (3, .varint(let v)): out = String(Int64(bitPattern: v))
            case (4, .fixed64(let v)): out = "\(Double(bitPattern: v))"
            case (5, .bytes(let b)):
                var items: [String] = []
                try ProtobufReader.forEachField(in: b) { f, v in if f == 1 { items.append(JSONText.quote(try anyValue(v.message ?? [], depth: depth + 1))) } }
                out = "[" + items.joined(separator: ",") + "]"
            case (6, .bytes(let b)):
                var items: [String] = []
                try ProtobufReader.forEachField(in: b) { f, v in
                    if f == 1, let kv = v.message { let (k, x) = try keyValue(kv); items.append(JSONText.quote(k) + ":" + JSONText.quote(x)) }
                }
                out = "{" + items.joined(separator: ",") + "}"
            case (7, .bytes(let b)): out = Data(b).base64EncodedString()
            default: break
            }
        }
        return out
    }

    static func hex(_ bytes: ArraySlice<UInt8>) -> String {
        bytes.allSatisfy({ $0 == 0 }) ? "" : bytes.map { String(format: "%02x", $0) }.joined()
    }

    /// The event lines of one resource's records, labelled from its attributes.
    static func lines(resource attrs: [String: String], records: [Record]) -> IngestLines? {
        var labels = StreamLabels(source: "otlp")
        labels.namespace = attrs["k8s.namespace.name"] ?? ""
        labels.pod = attrs["k8s.pod.name"] ?? ""
        labels.container = attrs["k8s.container.name"] ?? ""
        labels.deployment = attrs["k8s.deployment.name"] ?? attrs["service.name"] ?? ""
        if labels.deployment.isEmpty, !labels.pod.isEmpty { labels.deployment = WorkloadName(podName: labels.pod).name }
        labels.version = attrs["service.version"] ?? ""
        var lines: [[UInt8]] = [], times: [Int64] = []
        for record in records {
            let ns = record.timeNs ?? StoreIngest.nowNs()
            var line = "{\"time\":\"\(Timestamp.rfc3339(ns))\""
            if let level = level(text: record.severityText, number: record.severityNumber) { line += ",\"level\":\"\(level)\"" }
            line += ",\"message\":" + JSONText.quote(record.body)
            if !record.traceId.isEmpty { line += ",\"trace_id\":" + JSONText.quote(record.traceId) }
            if !record.spanId.isEmpty { line += ",\"span_id\":" + JSONText.quote(record.spanId) }
            for (k, v) in record.attributes.sorted(by: { $0.key < $1.key }) where !["time", "level", "message"].contains(k) {
                line += "," + JSONText.quote(k) + ":" + JSONText.quote(v)
            }
            lines.append(Array((line + "}").utf8))
            times.append(ns)
        }
        return lines.isEmpty ? nil : IngestLines(labels: labels, lines: lines, format: .json, times: times)
    }

    static func nanos(_ v: Any?) -> Int64? {
        if let s = v as? String, let n = Int64(s), n > 0 { return n }
        if let n = v as? NSNumber, n.int64Value > 0 { return n.int64Value }
        return nil
    }

    static func level(text: String, number: Int) -> String? {
        if !text.isEmpty { return text.lowercased() }
        guard number > 0 else { return nil }
        return ["trace", "debug", "info", "warn", "error", "fatal"][min(5, (number - 1) / 4)]
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
