import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LogIndexer
import Scoring
import Filters
@testable import Server

/// A server over a fresh data directory, with one token per scope.
struct ServerFixture {
    static let ingestToken = "ingest-token-0123456789"
    static let readToken = "read-token-0123456789abc"
    static let adminToken = "admin-token-0123456789ab"

    let dir: String
    let env: ServerEnvironment

    init(maxBodyBytes: Int = 1 << 20, maxQueuedBytes: Int = 8 << 20, open: Bool = false, beforeCommit: (@Sendable () -> Void)? = nil) throws {
        dir = NSTemporaryDirectory() + "logsift-server-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let metrics = ServerMetrics(dataDirectory: dir)
        let d = dir
        var options = IngestOptions()
        options.filters = FilterConfigDefaults.pack
        let ingest = try StoreIngest(options: options, maxQueuedBytes: maxQueuedBytes, metrics: metrics,
                                     writer: { try EmbeddedStoreWriter(directory: d) }, beforeCommit: beforeCommit)
        let tokens = open ? [] : [APIToken(token: Self.ingestToken, scopes: [.ingest]), APIToken(token: Self.readToken, scopes: [.read]),
                                  APIToken(token: Self.adminToken, scopes: [.admin])]
        env = ServerEnvironment(dataDirectory: dir, ingest: ingest, auth: BearerAuth(tokens: tokens), metrics: metrics,
                                scoring: ScoringConfig(), maxBodyBytes: maxBodyBytes)
    }

    /// Runs `body` against the router in process, then closes the writer and removes the directory.
    func test(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(router: LogsiftServer.router(env))
        try await app.test(.router, body)
        env.ingest.close()
        try? FileManager.default.removeItem(atPath: dir)
    }

    static func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer " + token] }
}

enum FilterConfigDefaults {
    static var pack: Filters.FilterConfig? { Filters.FilterConfig.defaultPack }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:] }
}
