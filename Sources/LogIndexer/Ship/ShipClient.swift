public import Foundation

/// Sends compressed batches to `logsift serve` (`POST /api/v1/ship`) and says whether the server committed them,
/// over ``PlainHTTP`` (https:// through ``TLSClient``): not URLSession, whose FoundationNetworking links libcurl and
/// its thirty-odd libraries into every `logsift` start.
public final class ShipClient: @unchecked Sendable {
    /// What one attempt came to.
    public enum Outcome: Equatable, Sendable {
        /// 2xx and the answer names the batch: it is stored (now or before).
        case committed
        /// Anything else (no connection, timeout, 429/5xx, a 2xx that does not name the batch, 4xx): send it
        /// again later. `after` is the server's Retry-After, when it gave one.
        case retry(reason: String, after: Double?)
    }

    public let url: URL
    private let token: String?
    private let timeout: Double
    private let stop: (@Sendable () -> Bool)?
    private let trust: String?

    /// `base`: the server (`http://host:port`, `https://...`); `timeout`: per attempt.
    /// `stop`: asked while an answer is awaited; true gives up on it (the agent is stopping).
    /// `trust`: for https://, a PEM file of the certificates to trust instead of the system's.
    public init(base: String, token: String?, timeout: Double = 30, trust: String? = nil, stop: (@Sendable () -> Bool)? = nil) throws {
        var b = base
        while b.hasSuffix("/") { b.removeLast() }
        // `url.path` of a bare host is empty; the route is below any path prefix given.
        guard let u = URL(string: b + "/api/v1/ship"), let scheme = u.scheme, ["http", "https"].contains(scheme), u.host != nil else {
            throw ShipWireError("--ship needs an http:// or https:// URL, not '\(base)'")
        }
        url = u
        self.token = token
        self.timeout = timeout
        self.stop = stop
        self.trust = trust
    }

    /// One attempt: posts `body` (the zstd-compressed batch `id`) and waits for the answer.
    public func send(_ body: [UInt8], id: String) -> Outcome {
        guard let host = url.host else { return .retry(reason: "no host in \(url)", after: nil) }
        let tls = url.scheme == "https"
        var headers = [("Content-Type", "application/x-logsift-batch"), ("Content-Encoding", "zstd"), ("X-Logsift-Batch", id)]
        if let token { headers.append(("Authorization", "Bearer " + token)) }
        do {
            let a = try PlainHTTP.post(host: host, port: url.port ?? (tls ? 443 : 80), path: url.path, headers: headers, body: body,
                                       timeout: timeout, tls: tls, trust: trust, stop: stop)
            return Self.judge(status: a.status, body: Data(a.body), retryAfter: a.headers["retry-after"], id: id)
        } catch {
            return .retry(reason: "\(error)", after: nil)
        }
    }

    static func judge(status: Int, body: Data, retryAfter: String?, id: String) -> Outcome {
        let text = String(decoding: body.prefix(300), as: UTF8.self)
        let after = retryAfter.flatMap(Double.init)
        guard (200..<300).contains(status) else {
            return .retry(reason: "HTTP \(status): \(text.trimmingCharacters(in: .whitespacesAndNewlines))", after: after)
        }
        // A 2xx counts only when it names this batch (a proxy's or a stranger's 200 does not).
        guard let obj = try? JSONSerialization.jsonObject(with: body) as? [String: Any], obj["batch"] as? String == id else {
            return .retry(reason: "HTTP \(status) without this batch's id in the answer: \(text)", after: nil)
        }
        return .committed
    }
}
