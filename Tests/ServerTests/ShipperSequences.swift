import Foundation

/// What shippers send to an Elasticsearch output at start and while shipping, with their default settings,
/// written from the shippers' public documentation and source (our own fixtures, not their code): one step
/// per request, the status Elasticsearch answers, and words the answer must hold.
struct ShipperStep: Sendable {
    var method: String
    var path: String
    var body: String = ""
    var contentType: String = "application/json"
    var gzip = false
    var status: Int
    var expect: [String] = []
}

enum ShipperSequences {
    static func bulk(_ action: String, _ meta: String, marker: String, count: Int, start: Int = 0) -> String {
        (start..<(start + count)).map {
            "{\"\(action)\":{\(meta)}}\n{\"@timestamp\":\"2026-11-20T10:00:\(String(format: "%02d", $0 % 60))Z\",\"message\":\"\(marker) event seq=\($0)\",\"log\":{\"level\":\"info\"}}\n"
        }.joined()
    }

    /// Filebeat 8: version, licence, ILM policy (404 → PUT), index template (HEAD 404 → PUT), then `create`
    /// into the data stream named after the template, `filter_path` on every bulk; a restart finds both.
    static let filebeat: [ShipperStep] = [
        ShipperStep(method: "GET", path: "/", status: 200, expect: ["\"number\":\"8."]),
        ShipperStep(method: "GET", path: "/_license?human=false", status: 200, expect: ["\"status\":\"active\""]),
        ShipperStep(method: "GET", path: "/_ilm/policy/filebeat", status: 404, expect: ["resource_not_found_exception"]),
        ShipperStep(method: "PUT", path: "/_ilm/policy/filebeat",
                    body: #"{"policy":{"phases":{"hot":{"actions":{"rollover":{"max_age":"30d","max_primary_shard_size":"50gb"}}}}}}"#,
                    status: 200, expect: ["\"acknowledged\":true"]),
        ShipperStep(method: "HEAD", path: "/_index_template/filebeat-8.17.0", status: 404),
        ShipperStep(method: "PUT", path: "/_index_template/filebeat-8.17.0",
                    body: #"{"index_patterns":["filebeat-8.17.0"],"data_stream":{},"priority":150,"template":{"settings":{"index":{"lifecycle":{"name":"filebeat"},"number_of_shards":1}},"mappings":{"dynamic_templates":[],"properties":{"@timestamp":{"type":"date"},"message":{"type":"match_only_text"}}}}}"#,
                    status: 200, expect: ["\"acknowledged\":true"]),
        ShipperStep(method: "POST", path: "/_bulk?filter_path=errors,items.*.error,items.*.status",
                    body: bulk("create", "\"_index\":\"filebeat-8.17.0\"", marker: "fbmark", count: 50), status: 200,
                    expect: ["\"errors\":false", "\"status\":201"]),
        // Restart: what it set up is there, so it creates nothing.
        ShipperStep(method: "GET", path: "/", status: 200),
        ShipperStep(method: "GET", path: "/_ilm/policy/filebeat", status: 200, expect: ["\"max_age\":\"30d\""]),
        ShipperStep(method: "HEAD", path: "/_index_template/filebeat-8.17.0", status: 200),
        ShipperStep(method: "GET", path: "/_index_template/filebeat-8.17.0", status: 200, expect: ["\"name\":\"filebeat-8.17.0\"", "match_only_text"]),
        ShipperStep(method: "POST", path: "/_bulk?filter_path=errors,items.*.error,items.*.status",
                    body: bulk("create", "\"_index\":\"filebeat-8.17.0\"", marker: "fbmark", count: 30, start: 50), status: 200,
                    expect: ["\"errors\":false"]),
    ]

    /// Logstash 8 (elasticsearch output, ECS v8: data streams by default): health check on `/`, licence,
    /// gzip-compressed bulk `create` into `logs-generic-default`.
    static let logstash: [ShipperStep] = [
        ShipperStep(method: "HEAD", path: "/", status: 200),
        ShipperStep(method: "GET", path: "/", status: 200, expect: ["\"number\":\"8."]),
        ShipperStep(method: "GET", path: "/_license", status: 200, expect: ["\"type\":\"basic\""]),
        ShipperStep(method: "POST", path: "/_bulk", body: bulk("create", "\"_index\":\"logs-generic-default\"", marker: "lsmark", count: 40),
                    gzip: true, status: 200, expect: ["\"errors\":false"]),
    ]

    /// Logstash 8 with `data_stream => false` (the ILM rollover set-up): template, policy, the write alias
    /// (HEAD 404 → PUT of the date-math first index with the alias), then bulk `index` into the alias.
    static let logstashILM: [ShipperStep] = [
        ShipperStep(method: "GET", path: "/", status: 200),
        ShipperStep(method: "GET", path: "/_index_template/ecs-logstash", status: 404),
        ShipperStep(method: "PUT", path: "/_index_template/ecs-logstash",
                    body: #"{"index_patterns":"logstash-*","version":80001,"priority":200,"template":{"settings":{"index.refresh_interval":"5s","number_of_shards":1,"index.lifecycle.name":"logstash-policy","index.lifecycle.rollover_alias":"logstash"}}}"#,
                    status: 200),
        ShipperStep(method: "GET", path: "/_ilm/policy/logstash-policy", status: 404),
        ShipperStep(method: "PUT", path: "/_ilm/policy/logstash-policy",
                    body: #"{"policy":{"phases":{"hot":{"actions":{"rollover":{"max_size":"50gb","max_age":"30d"}}}}}}"#, status: 200),
        ShipperStep(method: "HEAD", path: "/logstash", status: 404),
        ShipperStep(method: "PUT", path: "/%3Clogstash-%7Bnow%2Fd%7D-000001%3E", body: #"{"aliases":{"logstash":{"is_write_index":true}}}"#,
                    status: 200, expect: ["\"acknowledged\":true", "\"index\":\"logstash-"]),
        ShipperStep(method: "HEAD", path: "/logstash", status: 200),
        ShipperStep(method: "POST", path: "/_bulk", body: bulk("index", "\"_id\":null,\"_index\":\"logstash\",\"routing\":null", marker: "lsilmmark", count: 25),
                    status: 200, expect: ["\"errors\":false"]),
    ]

    /// fluent-plugin-elasticsearch 5 (defaults: index `fluentd`, no templates): the client's product check on
    /// `/`, then `index` actions; with `logstash_format true`, daily `logstash-YYYY.MM.DD` indices.
    static let fluentd: [ShipperStep] = [
        ShipperStep(method: "GET", path: "/", status: 200, expect: ["You Know, for Search"]),
        ShipperStep(method: "POST", path: "/_bulk", body: bulk("index", "\"_index\":\"fluentd\"", marker: "fdmark", count: 20),
                    contentType: "application/x-ndjson", status: 200, expect: ["\"errors\":false", "\"_index\":\"fluentd\""]),
        ShipperStep(method: "POST", path: "/_bulk", body: bulk("index", "\"_index\":\"logstash-2026.11.20\"", marker: "fdmark", count: 10, start: 20),
                    contentType: "application/x-ndjson", status: 200, expect: ["\"errors\":false"]),
    ]

    /// Fluent Bit's es output with its defaults (index `fluent-bit`, `Type _doc` kept in the action).
    static let fluentBit: [ShipperStep] = [
        ShipperStep(method: "POST", path: "/_bulk", body: bulk("create", "\"_index\":\"fluent-bit\",\"_type\":\"_doc\"", marker: "fbitmark", count: 15),
                    contentType: "application/x-ndjson", status: 200, expect: ["\"errors\":false"]),
    ]

    /// Vector's elasticsearch sink (api_version auto, bulk mode, index `vector-%Y.%m.%d`): version probe,
    /// health check, then `index` actions with `timeout` on the bulk path.
    static let vector: [ShipperStep] = [
        ShipperStep(method: "GET", path: "/", status: 200, expect: ["\"number\":\"8."]),
        ShipperStep(method: "GET", path: "/_cluster/health", status: 200, expect: ["\"status\":\"green\""]),
        ShipperStep(method: "POST", path: "/_bulk?timeout=60s", body: bulk("index", "\"_index\":\"vector-2026.11.20\"", marker: "vecmark", count: 35),
                    contentType: "application/x-ndjson", status: 200, expect: ["\"errors\":false"]),
    ]

    /// Each shipper's steps, its marker word and how many events it shipped.
    static let all: [(name: String, steps: [ShipperStep], marker: String, events: Int)] = [
        ("filebeat 8", filebeat, "fbmark", 80), ("logstash 8", logstash, "lsmark", 40), ("logstash 8 ilm", logstashILM, "lsilmmark", 25),
        ("fluentd", fluentd, "fdmark", 30), ("fluent-bit", fluentBit, "fbitmark", 15), ("vector", vector, "vecmark", 35),
    ]
}
