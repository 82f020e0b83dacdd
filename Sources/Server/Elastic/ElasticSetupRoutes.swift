import Foundation
import LogIndexer
import Hummingbird
import LogCore

/// The set-up endpoints shippers call before they ship, answered as Elasticsearch answers them and kept in
/// ``ElasticSetup``: `_index_template`, `_component_template`, `_template`, `_ilm/policy`, `_ingest/pipeline`,
/// `_data_stream`, and `PUT|HEAD|GET /{index}` (date-math names such as `<logstash-{now/d}-000001>` resolve
/// to today's UTC date; an index's aliases exist as indices too).
struct ElasticSetupRoutes: Sendable {
    let env: ServerEnvironment
    var store: ElasticSetup { ElasticSetup(dataDirectory: env.dataDirectory) }

    static let acknowledged = "{\"acknowledged\":true}"

    /// PUT/POST `/_KIND/{name}`: the body (a JSON object) kept under the name.
    func put(_ kind: ElasticSetup.Kind) -> LogsiftServer.Handler {
        { request, context in
            let name = try Self.name(context)
            let doc = try await Self.jsonBody(request, env: env, allowEmpty: kind == .dataStream)
            try keep(kind, name, doc)
            return APIReply.json(Self.acknowledged)
        }
    }

    /// GET `/_KIND` or `/_KIND/{name}` (names may be comma-separated and hold `*`).
    func get(_ kind: ElasticSetup.Kind) -> LogsiftServer.Handler {
        { _, context in
            let pattern = (context.parameters.get("name") ?? context.parameters.get("index")).map { $0.removingPercentEncoding ?? $0 }
            let found = store.list(kind, matching: pattern)
            if found.isEmpty, let pattern, !pattern.contains("*") { return Self.missing(kind, pattern) }
            let docs = found.map { (JSONText.quote($0.name), String(decoding: $0.document, as: UTF8.self)) }
            switch kind {
            case .indexTemplate, .componentTemplate:
                let key = kind == .indexTemplate ? "index_template" : "component_template"
                return APIReply.json("{\"\(key)s\":[" + docs.map { "{\"name\":\($0.0),\"\(key)\":\($0.1)}" }.joined(separator: ",") + "]}")
            case .ilmPolicy:
                return APIReply.json("{" + docs.map { "\($0.0):{\"version\":1,\"modified_date\":\"1970-01-01T00:00:00.000Z\",\"policy\":\(Self.policy($0.1)),"
                    + "\"in_use_by\":{\"indices\":[],\"data_streams\":[],\"composable_templates\":[]}}" }.joined(separator: ",") + "}")
            case .dataStream:
                return APIReply.json("{\"data_streams\":[" + found.map { Self.dataStream($0.name) }.joined(separator: ",") + "]}")
            case .index:
                return APIReply.json("{" + docs.map { "\($0.0):\(Self.index($0.1))" }.joined(separator: ",") + "}")
            case .legacyTemplate, .ingestPipeline:
                return APIReply.json("{" + docs.map { "\($0.0):\($0.1)" }.joined(separator: ",") + "}")
            }
        }
    }

    /// HEAD `/_KIND/{name}`: 200 when kept, else 404, no body.
    func head(_ kind: ElasticSetup.Kind) -> LogsiftServer.Handler {
        { _, context in
            let found = store.list(kind, matching: try Self.name(context))
            return Response(status: found.isEmpty ? .notFound : .ok, headers: [.contentType: "application/json"])
        }
    }

    /// DELETE `/_KIND/{name}`.
    func delete(_ kind: ElasticSetup.Kind) -> LogsiftServer.Handler {
        { _, context in
            let name = try Self.name(context)
            return store.delete(kind, name) ? APIReply.json(Self.acknowledged) : Self.missing(kind, name)
        }
    }

    /// `PUT /{index}`: 200 with Elasticsearch's create-index answer, 400 when it exists.
    func createIndex(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        guard let raw = context.parameters.get("index"), let decoded = raw.removingPercentEncoding else { throw ElasticFailure(.badRequest, "invalid_index_name_exception", "bad index name") }
        let name = Self.resolveDateMath(decoded, now: StoreIngest.nowNs())
        if let reason = ElasticBulk.invalidIndexName(name) {
            throw ElasticFailure(.badRequest, "invalid_index_name_exception", "Invalid index name [\(name)], \(reason)")
        }
        guard store.get(.index, name) == nil else {
            throw ElasticFailure(.badRequest, "resource_already_exists_exception", "index [\(name)/logsift] already exists")
        }
        let doc = try await Self.jsonBody(request, env: env, allowEmpty: true)
        try keep(.index, name, doc)
        if let object = (try? JSONSerialization.jsonObject(with: Data(doc))) as? [String: Any], let aliases = object["aliases"] as? [String: Any] {
            for alias in aliases.keys where ElasticBulk.invalidIndexName(alias) == nil && store.get(.index, alias) == nil {
                try keep(.index, alias, Array("{\"alias_of\":\(JSONText.quote(name))}".utf8))
            }
        }
        return APIReply.json("{\"acknowledged\":true,\"shards_acknowledged\":true,\"index\":" + JSONText.quote(name) + "}")
    }

    private func keep(_ kind: ElasticSetup.Kind, _ name: String, _ doc: [UInt8]) throws {
        do {
            try store.put(kind, name, doc)
        } catch ElasticSetup.Refusal.tooLarge(let n) {
            throw ElasticFailure(.contentTooLarge, "illegal_argument_exception",
                                 "logsift does not keep set-up documents over \(ElasticSetup.maxDocumentBytes) bytes (this one is \(n))")
        } catch ElasticSetup.Refusal.full {
            throw ElasticFailure(.badRequest, "illegal_argument_exception",
                                 "logsift keeps at most \(ElasticSetup.maxPerKind) \(kind.rawValue) documents and \(ElasticSetup.maxTotalBytes >> 20) MiB of set-up documents")
        } catch ElasticSetup.Refusal.badName(let n) {
            throw ElasticFailure(.badRequest, "invalid_index_name_exception", "Invalid name [\(n.prefix(300))]")
        }
    }

    static func name(_ context: BasicRequestContext) throws -> String {
        guard let raw = context.parameters.get("name") ?? context.parameters.get("index"), let n = raw.removingPercentEncoding, !n.isEmpty else {
            throw ElasticFailure(.badRequest, "illegal_argument_exception", "a name is required")
        }
        return n
    }

    /// The body as a JSON object's bytes (`{}` when empty and allowed).
    static func jsonBody(_ request: Request, env: ServerEnvironment, allowEmpty: Bool) async throws -> [UInt8] {
        let body = try await BodyReader.collect(request, maxBytes: env.maxBodyBytes)
        let bytes = Array(body.readableBytesView)
        if bytes.allSatisfy({ $0 == 32 || $0 == 10 || $0 == 13 || $0 == 9 }) {
            guard allowEmpty else { throw ElasticFailure(.badRequest, "parse_exception", "request body is required") }
            return Array("{}".utf8)
        }
        guard bytes.count <= ElasticSetup.maxDocumentBytes else {
            throw ElasticFailure(.contentTooLarge, "illegal_argument_exception",
                                 "logsift does not keep set-up documents over \(ElasticSetup.maxDocumentBytes) bytes (this one is \(bytes.count))")
        }
        guard (try? JSONSerialization.jsonObject(with: Data(bytes))) is [String: Any] else {
            throw ElasticFailure(.badRequest, "parse_exception", "request body must be a JSON object")
        }
        return bytes
    }

    static func missing(_ kind: ElasticSetup.Kind, _ name: String) -> Response {
        switch kind {
        case .indexTemplate: return ElasticError.notFound("resource_not_found_exception", "index template matching [\(name)] not found")
        case .componentTemplate: return ElasticError.notFound("resource_not_found_exception", "component template matching [\(name)] not found")
        case .ilmPolicy: return ElasticError.notFound("resource_not_found_exception", "Lifecycle policy not found: \(name)")
        case .dataStream, .index: return ElasticError.notFound("index_not_found_exception", "no such index [\(name)]")
        case .legacyTemplate, .ingestPipeline: return APIReply.json("{}", status: .notFound)
        }
    }

    /// The `policy` of `{"policy":{…}}` as sent.
    static func policy(_ doc: String) -> String {
        guard let o = (try? JSONSerialization.jsonObject(with: Data(doc.utf8))) as? [String: Any], let p = o["policy"],
              let d = try? JSONSerialization.data(withJSONObject: p, options: [.sortedKeys]) else { return doc }
        return String(decoding: d, as: UTF8.self)
    }

    static func dataStream(_ name: String) -> String {
        "{\"name\":\(JSONText.quote(name)),\"timestamp_field\":{\"name\":\"@timestamp\"},\"indices\":[{\"index_name\":"
            + JSONText.quote(".ds-\(name)-000001") + ",\"index_uuid\":\"logsift\"}],\"generation\":1,\"status\":\"GREEN\",\"template\":\"\","
            + "\"hidden\":false,\"system\":false,\"allow_custom_routing\":false,\"replicated\":false}"
    }

    /// An index's GET answer: aliases, mappings and settings as sent.
    static func index(_ doc: String) -> String {
        let o = (try? JSONSerialization.jsonObject(with: Data(doc.utf8))) as? [String: Any] ?? [:]
        func part(_ key: String) -> String {
            guard let v = o[key], let d = try? JSONSerialization.data(withJSONObject: v, options: [.sortedKeys]) else { return "{}" }
            return String(decoding: d, as: UTF8.self)
        }
        return "{\"aliases\":\(part("aliases")),\"mappings\":\(part("mappings")),\"settings\":\(part("settings"))}"
    }

    /// `<prefix-{now/d}-000001>` → `prefix-2026.12.04-000001` (every `{…}` becomes today's UTC date).
    static func resolveDateMath(_ name: String, now: Int64) -> String {
        guard name.hasPrefix("<"), name.hasSuffix(">") else { return name }
        let day = String(Timestamp.rfc3339(now, fractionDigits: 0).prefix(10)).replacingOccurrences(of: "-", with: ".")
        var out = "", depth = 0
        for c in name.dropFirst().dropLast() {
            if c == "{" { if depth == 0 { out += day }; depth += 1 } else if c == "}" { depth = max(0, depth - 1) } else if depth == 0 { out.append(c) }
        }
        return out
    }
}
