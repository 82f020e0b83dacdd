import Foundation
import HTTPTypes
import Hummingbird
import LogIndexer

extension IngestRoutes {
    /// `POST /api/v1/ship`: one batch of a `logsift tail --ship` agent (zstd-compressed wire form). Answered 200
    /// with the batch's id once it is committed, or once found committed already (`"duplicate":true`).
    func ship(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let body = try await BodyReader.collect(request, maxBytes: env.maxBodyBytes)
        let bytes = Array(body.readableBytesView)
        let batch: ShipBatch
        do { batch = try ShipBatch.decode(bytes) } catch { throw APIFailure(.badRequest, "not a logsift ship batch: \(error)") }
        let answer: (counters: IngestCounters, duplicate: Bool)
        do {
            answer = try await env.ingest.ship(batch, bytes: bytes.count)
        } catch {
            throw Self.failure(error)
        }
        return APIReply.json("{\"batch\":\"\(batch.id)\",\"duplicate\":\(answer.duplicate),\"stored\":\(answer.counters.events)}")
    }
}
