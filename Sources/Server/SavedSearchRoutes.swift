import Foundation
import Hummingbird
import LogCore
import LogIndexer

/// `GET/POST /api/v1/saved`, `DELETE /api/v1/saved/{name}`: the web UI's saved searches, kept in the store
/// (`saved_searches`, in either store); `logsift search --saved NAME` runs them.
struct SavedSearchRoutes: Sendable {
    let env: ServerEnvironment

    private struct Body: Decodable { var name: String; var query: String?; var from: String?; var to: String? }

    func list(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let store = env.savedSearches
        let all = try await blocking { try store().list() }
        return APIReply.json("{\"saved\":" + (try APIReply.encode(all)) + "}")
    }

    func save(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let store = env.savedSearches
        var request = request
        let buffer = try await request.collectBody(upTo: 64 * 1024)
        guard let body = try? JSONDecoder().decode(Body.self, from: Data(buffer.readableBytesView)) else {
            throw APIFailure(.badRequest, "send a JSON object: {\"name\": \"...\", \"query\": \"KQL\", \"from\": \"now-24h\", \"to\": \"\"}")
        }
        let name = body.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= SavedSearches.maxNameLength else {
            throw APIFailure(.badRequest, "a saved search needs a name of 1 to \(SavedSearches.maxNameLength) characters")
        }
        let search = SavedSearch(name: name, query: body.query ?? "", from: body.from ?? "", to: body.to ?? "", savedNs: StoreIngest.nowNs())
        // Refuse what a later search would refuse: the query must parse and the times must read.
        var values: [String: String] = ["q": search.query]
        values["from"] = search.from
        values["to"] = search.to
        _ = try QueryParameters(values: values).searchRequest(now: StoreIngest.nowNs())
        try await blocking { try store().save(search) }
        return APIReply.json(try APIReply.encode(search), status: .created)
    }

    func delete(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let store = env.savedSearches
        let name = context.parameters.get("name").flatMap { $0.removingPercentEncoding } ?? ""
        let removed = try await blocking { try store().delete(name) }
        guard removed else { throw APIFailure(.notFound, "no saved search named '\(name)'") }
        return APIReply.json("{\"deleted\":" + JSONText.quote(name) + "}")
    }
}
