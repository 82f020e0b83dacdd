import Foundation
import HTTPTypes
import Hummingbird

/// Elasticsearch's paths, on one route group behind ``ElasticCompat``: writes (ingest scope), set-up calls
/// (ingest scope: shippers make them before they ship), cluster calls and reads (read scope for `_search`
/// and `_count`). Errors are Elasticsearch's shape; paths no route takes get ``ElasticFallback``'s answer.
enum ElasticRoutes {
    static func register(_ es: RouterGroup<BasicRequestContext>, env: ServerEnvironment) {
        let writes = ElasticWrites(env: env), setup = ElasticSetupRoutes(env: env), api = ElasticSearchAPI(env: env)
        func route(_ scope: Scope, _ path: String, _ handler: @escaping LogsiftServer.Handler) -> LogsiftServer.Handler {
            LogsiftServer.guarded(env, scope, path, elastic(handler))
        }
        for method in [HTTPRequest.Method.post, .put] {
            es.on("/_bulk", method: method, use: route(.ingest, "/_bulk", writes.bulk))
            es.on("/:index/_bulk", method: method, use: route(.ingest, "/{index}/_bulk", writes.bulk))
            es.on("/:index/_doc/:id", method: method, use: route(.ingest, "/{index}/_doc/{id}", writes.document))
            es.on("/:index/_create/:id", method: method, use: route(.ingest, "/{index}/_create/{id}", writes.document))
        }
        es.post("/:index/_doc", use: route(.ingest, "/{index}/_doc", writes.document))

        let kinds: [(String, ElasticSetup.Kind)] = [("/_index_template", .indexTemplate), ("/_component_template", .componentTemplate),
                                                    ("/_template", .legacyTemplate), ("/_ilm/policy", .ilmPolicy),
                                                    ("/_ingest/pipeline", .ingestPipeline), ("/_data_stream", .dataStream)]
        for (base, kind) in kinds {
            let one = RouterPath(stringLiteral: base + "/:name")
            es.get(RouterPath(stringLiteral: base), use: route(.ingest, base, setup.get(kind)))
            es.get(one, use: route(.ingest, base, setup.get(kind)))
            es.head(one, use: route(.ingest, base, setup.head(kind)))
            es.put(one, use: route(.ingest, base, setup.put(kind)))
            if kind != .dataStream { es.post(one, use: route(.ingest, base, setup.put(kind))) }
            es.delete(one, use: route(.ingest, base, setup.delete(kind)))
        }
        es.put("/:index", use: route(.ingest, "/{index}", setup.createIndex))
        es.head("/:index", use: route(.ingest, "/{index}", setup.head(.index)))
        es.get("/:index", use: route(.ingest, "/{index}", setup.get(.index)))

        ElasticCluster.register(es, { _, path, h in route(.ingest, path, h) }, env: env)

        for method in [HTTPRequest.Method.get, .post] {
            es.on("/_search", method: method, use: route(.read, "/_search", api.search))
            es.on("/:index/_search", method: method, use: route(.read, "/{index}/_search", api.search))
            es.on("/_count", method: method, use: route(.read, "/_count", api.count))
            es.on("/:index/_count", method: method, use: route(.read, "/{index}/_count", api.count))
        }
    }

    /// `handler` with logsift's own refusals (body too large, busy) answered in Elasticsearch's shape.
    static func elastic(_ handler: @escaping LogsiftServer.Handler) -> LogsiftServer.Handler {
        { request, context in
            do {
                return try await handler(request, context)
            } catch let f as ElasticFailure {
                return f.response
            } catch let f as APIFailure {
                let status = f.response.status
                let type = status == .contentTooLarge ? "content_too_long_exception" : status == .tooManyRequests ? "es_rejected_execution_exception" : "illegal_argument_exception"
                var r = ElasticError.response(status, type: type, reason: f.message)
                r.headers[.retryAfter] = f.response.headers[.retryAfter]
                return r
            }
        }
    }
}
