import Foundation
import LogIndexer
import HTTPTypes
import Hummingbird

/// What every answer on an Elasticsearch path carries: `X-Elastic-Product: Elasticsearch` (the official
/// clients refuse a server without it) and, when the client asked for a compatibility media type
/// (`application/vnd.elasticsearch+json; compatible-with=8`), that type back instead of plain JSON.
struct ElasticCompat<Context: RequestContext>: RouterMiddleware {
    static var product: HTTPField.Name { HTTPField.Name("X-Elastic-Product")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let e as any HTTPResponseError {
            response = ElasticError.response(e.status, type: "exception", reason: "\(e)")
        }
        response.headers[Self.product] = "Elasticsearch"
        if let major = Self.compatibleWith(request), let type = response.headers[.contentType], type.hasPrefix("application/json") {
            response.headers[.contentType] = "application/vnd.elasticsearch+json;compatible-with=\(major)"
        }
        return response
    }

    /// The major version of `compatible-with=N` in Accept or Content-Type, if the client sent one.
    static func compatibleWith(_ request: Request) -> Int? {
        for value in [request.headers[.accept], request.headers[.contentType]] {
            guard let v = value?.lowercased(), v.contains("vnd.elasticsearch+"), let r = v.range(of: "compatible-with=") else { continue }
            return Int(v[r.upperBound...].prefix { $0.isNumber })
        }
        return nil
    }
}

/// The router's answer for any path no route took: on a path shaped like Elasticsearch's (anything outside
/// logsift's own `/api/`, `/loki/`, `/v1/`, `/healthz`, `/metrics`), Elasticsearch's error body saying what
/// logsift does not support, instead of a bare 404. Added last, it wraps only the router's not-found answer.
struct ElasticFallback<Context: RequestContext>: RouterMiddleware {
    static var ownPrefixes: [String] { ["/api/", "/loki/", "/v1/", "/healthz", "/metrics"] }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let e as HTTPError where e.status == .notFound {
            let path = request.uri.path
            guard !Self.ownPrefixes.contains(where: { path.hasPrefix($0) }) else { throw e }
            var r = ElasticError.unsupported("\(request.method) \(path)")
            r.headers[ElasticCompat<Context>.product] = "Elasticsearch"
            return r
        }
    }
}

/// Elasticsearch's error body: `{"error":{"root_cause":[…],"type","reason"},"status"}`.
enum ElasticError {
    static func body(_ status: Int, type: String, reason: String) -> String {
        let t = JSONText.quote(type), r = JSONText.quote(reason)
        let cause = "{\"type\":\(t),\"reason\":\(r)}"
        return "{\"error\":{\"root_cause\":[\(cause)],\"type\":\(t),\"reason\":\(r)},\"status\":\(status)}"
    }

    static func response(_ status: HTTPResponse.Status, type: String, reason: String, headers: HTTPFields = [:]) -> Response {
        APIReply.json(body(status.code, type: type, reason: reason), status: status, headers: headers)
    }

    /// What Elasticsearch answers for a path it has no handler for (400), with what logsift leaves out.
    static func unsupported(_ what: String) -> Response {
        response(.badRequest, type: "illegal_argument_exception", reason: "logsift does not support \(what)")
    }

    static func notFound(_ type: String, _ reason: String) -> Response {
        response(.notFound, type: type, reason: reason)
    }
}

/// An Elasticsearch-shaped refusal thrown by the ES handlers.
struct ElasticFailure: Error {
    var response: Response
    init(_ status: HTTPResponse.Status, _ type: String, _ reason: String) {
        response = ElasticError.response(status, type: type, reason: reason)
    }
}
