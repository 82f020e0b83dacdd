import Foundation
import Hummingbird
import LogCore
import LogIndexer

/// Elasticsearch's write APIs: `_bulk` (POST and PUT, with or without `{index}`) and single documents
/// (`POST /{index}/_doc`, `PUT|POST /{index}/_doc/{id}`, `PUT|POST /{index}/_create/{id}`). The index is the
/// events' `source`; a document is one JSON event. `pipeline`, `routing`, `refresh`, `op_type`, `timeout`,
/// `require_alias` and `filter_path` are accepted and ignored: logsift answers after the commit, so every
/// write is already visible (what `refresh=wait_for` asks for).
struct ElasticWrites: Sendable {
    let env: ServerEnvironment
    var ingest: IngestRoutes { IngestRoutes(env: env) }

    func bulk(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let started = DispatchTime.now().uptimeNanoseconds
        let body = try await BodyReader.collect(request, maxBytes: env.maxBodyBytes)
        let pathIndex = try Self.pathIndex(context, validate: false)
        let parsed = ElasticBulk(lines: BodyReader.lines(body), defaultIndex: pathIndex)
        let parts = parsed.documents.sorted { $0.key < $1.key }.map { IngestLines(labels: StreamLabels(source: $0.key), lines: $0.value, format: .json) }
        if !parts.isEmpty { try await commit(parts) }
        let ms = Int((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000)
        return APIReply.json(parsed.response(tookMs: ms))
    }

    /// One document: 201 with Elasticsearch's write result.
    func document(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        guard let index = try Self.pathIndex(context, validate: true) else { throw ElasticFailure(.badRequest, "action_request_validation_exception", "index is missing") }
        var id = ElasticBulk.newID()
        if let raw = context.parameters.get("id") {
            id = raw.removingPercentEncoding ?? raw
            if let reason = ElasticBulk.invalidID(id) { throw ElasticFailure(.badRequest, "action_request_validation_exception", reason) }
        }
        let body = try await BodyReader.collect(request, maxBytes: env.maxBodyBytes)
        let bytes = Array(body.readableBytesView)
        guard let object = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] else {
            throw ElasticFailure(.badRequest, "document_parsing_exception", "failed to parse: the document is not a JSON object")
        }
        // An event is one line: a pretty-printed document is written compactly.
        var line = bytes
        if bytes.contains(10) || bytes.contains(13) {
            line = Array(try JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes]))
        }
        try await commit([IngestLines(labels: StreamLabels(source: index), lines: [line], format: .json)])
        return APIReply.json("{\"_index\":" + JSONText.quote(index) + ",\"_id\":" + JSONText.quote(id)
            + ",\"_version\":1,\"result\":\"created\",\"_shards\":{\"total\":1,\"successful\":1,\"failed\":0},\"_seq_no\":0,\"_primary_term\":1}",
            status: .created)
    }

    /// The path's `{index}`, percent-decoded; checked as Elasticsearch checks index names when `validate`.
    static func pathIndex(_ context: BasicRequestContext, validate: Bool) throws -> String? {
        guard let raw = context.parameters.get("index") else { return nil }
        guard let name = raw.removingPercentEncoding else {
            throw ElasticFailure(.badRequest, "invalid_index_name_exception", "the index in the path is not valid percent-encoding")
        }
        if validate, let reason = ElasticBulk.invalidIndexName(name) {
            throw ElasticFailure(.badRequest, "invalid_index_name_exception", "Invalid index name [\(name)], \(reason)")
        }
        return name
    }

    /// The commit, with the store's refusals in Elasticsearch's shape (429 is what bulk clients retry).
    func commit(_ parts: [IngestLines]) async throws {
        do {
            _ = try await ingest.commit(parts)
        } catch let f as APIFailure {
            let busy = f.response.status == .tooManyRequests
            var r = ElasticError.response(f.response.status, type: busy ? "es_rejected_execution_exception" : "exception",
                                          reason: busy ? "logsift is busy; retry" : f.message)
            r.headers[.retryAfter] = f.response.headers[.retryAfter]
            throw ElasticFailure(response: r)
        }
    }
}

extension ElasticFailure {
    init(response: Response) { self.response = response }
}
