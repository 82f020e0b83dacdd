import Foundation
import HTTPTypes
import Hummingbird
import LogCore
import LogIndexer

/// The ingest endpoints: each parses its protocol into lines with labels and waits for their commit.
struct IngestRoutes: Sendable {
    let env: ServerEnvironment
    static let labelKeys = ["source", "deployment", "namespace", "pod", "container"]

    /// `POST /api/v1/logs?source=&deployment=&namespace=&pod=&container=&format=`: NDJSON or plain lines.
    func native(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let q = request.uri.queryParameters
        var labels = StreamLabels(source: q["source"].map(String.init) ?? "http")
        if let v = q["deployment"] { labels.deployment = String(v) }
        if let v = q["namespace"] { labels.namespace = String(v) }
        if let v = q["pod"] { labels.pod = String(v) }
        if let v = q["container"] { labels.container = String(v) }
        if labels.deployment.isEmpty, !labels.pod.isEmpty { labels.deployment = WorkloadName(podName: labels.pod).name }
        var format = InputFormat.auto
        if let f = q["format"] {
            guard let fmt = InputFormat(rawValue: String(f)) else {
                throw APIFailure(.badRequest, "unknown format '\(f)'; use one of \(InputFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            format = fmt
        }
        let body = try await BodyReader.collect(request, maxBytes: env.maxBodyBytes)
        let lines = BodyReader.lines(body)
        let counters = try await commit([IngestLines(labels: labels, lines: lines, format: format)])
        return APIReply.json("{\"accepted\":\(lines.count),\"stored\":\(counters.events),\"dropped\":\(counters.noiseDropped)}")
    }

    /// `POST /loki/api/v1/push`, JSON or snappy-compressed protobuf (Promtail's and Alloy's default):
    /// answered 204 once committed.
    func loki(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let body = try await BodyReader.collect(request, maxBytes: env.maxBodyBytes)
        let parts: [IngestLines]
        if Self.isProtobuf(request) {
            let bytes: [UInt8]
            do {
                bytes = try Snappy.decompress(Array(body.readableBytesView), maxBytes: env.maxBodyBytes)
            } catch {
                throw APIFailure(error.tooLarge ? .contentTooLarge : .badRequest, "Loki push: the snappy body does not decompress: \(error)")
            }
            do { parts = try LokiPush.parseProtobuf(bytes) } catch { throw APIFailure(.badRequest, error.message) }
        } else {
            do { parts = try LokiPush.parse(Data(body.readableBytesView)) } catch { throw APIFailure(.badRequest, error.message) }
        }
        _ = try await commit(parts)
        return Response(status: .noContent)
    }

    /// `POST /v1/logs` (OTLP/HTTP, JSON or protobuf): answered with an empty ExportLogsServiceResponse in
    /// the request's encoding once committed.
    func otlp(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let body = try await BodyReader.collect(request, maxBytes: env.maxBodyBytes)
        let protobuf = Self.isProtobuf(request)
        let parts: [IngestLines]
        do {
            parts = protobuf ? try OTLPLogs.parseProtobuf(Array(body.readableBytesView)) : try OTLPLogs.parse(Data(body.readableBytesView))
        } catch {
            throw APIFailure(.badRequest, error.message)
        }
        _ = try await commit(parts)
        if protobuf { return Response(status: .ok, headers: [.contentType: "application/x-protobuf"], body: .init(byteBuffer: ByteBuffer())) }
        return APIReply.json("{}")
    }

    static func isProtobuf(_ request: Request) -> Bool {
        (request.headers[.contentType]?.lowercased() ?? "").contains("protobuf")
    }

    /// Waits for the commit; maps refusals to 429 (with Retry-After), 503 and 500.
    func commit(_ parts: [IngestLines]) async throws -> IngestCounters {
        do {
            return try await env.ingest.ingest(parts)
        } catch {
            throw Self.failure(error)
        }
    }

    /// How a refused ingest (lines or an agent's batch) is answered: 429 or 503 with Retry-After, or 500.
    static func failure(_ refusal: IngestRefusal) -> APIFailure {
        switch refusal {
        case .busy: APIFailure(.tooManyRequests, "the store is behind; retry later", headers: [.retryAfter: "1"])
        case .stopping: APIFailure(.serviceUnavailable, "the server is stopping", headers: [.retryAfter: "5"])
        case .store(let message): APIFailure(.internalServerError, "the store failed: \(message)")
        case .unavailable(let message):
            APIFailure(.serviceUnavailable, "the store did not confirm the batch; retry: \(message)", headers: [.retryAfter: "2"])
        }
    }
}
