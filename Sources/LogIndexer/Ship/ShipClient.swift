public import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends compressed batches to `logsift serve` (`POST /api/v1/ship`) and says whether the server committed them.
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
    private let session: URLSession
    private let timeout: Double
    private let stop: (@Sendable () -> Bool)?

    /// `base`: the server (`http://host:port`, `https://...`); `timeout`: per attempt.
    /// `stop`: asked while an answer is awaited; true gives up on it (the agent is stopping).
    public init(base: String, token: String?, timeout: Double = 30, stop: (@Sendable () -> Bool)? = nil) throws {
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
        let c = URLSessionConfiguration.ephemeral
        c.timeoutIntervalForRequest = timeout
        c.timeoutIntervalForResource = timeout
        c.httpMaximumConnectionsPerHost = 1
        session = URLSession(configuration: c)
    }

    /// One attempt: posts `body` (the zstd-compressed batch `id`) and waits for the answer.
    public func send(_ body: [UInt8], id: String) -> Outcome {
        if url.scheme == "http", let host = url.host {
            var headers = [("Content-Type", "application/x-logsift-batch"), ("Content-Encoding", "zstd"), ("X-Logsift-Batch", id)]
            if let token { headers.append(("Authorization", "Bearer " + token)) }
            do {
                let a = try PlainHTTP.post(host: host, port: url.port ?? 80, path: url.path, headers: headers, body: body, timeout: timeout, stop: stop)
                return Self.judge(status: a.status, body: Data(a.body), retryAfter: a.headers["retry-after"], id: id)
            } catch {
                return .retry(reason: "\(error)", after: nil)
            }
        }
        var req = URLRequest(url: url)
        req.httpMethod = "POST"
        req.setValue("application/x-logsift-batch", forHTTPHeaderField: "Content-Type")
        req.setValue("zstd", forHTTPHeaderField: "Content-Encoding")
        req.setValue(id, forHTTPHeaderField: "X-Logsift-Batch")
        if let token { req.setValue("Bearer " + token, forHTTPHeaderField: "Authorization") }
        req.httpBody = Data(body)
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var answer: (Data?, URLResponse?, Error?) = (nil, nil, nil)
        session.dataTask(with: req) { d, r, e in
            answer = (d, r, e)
            done.signal()
        }.resume()
        done.wait()
        if let e = answer.2 { return .retry(reason: e.localizedDescription, after: nil) }
        guard let http = answer.1 as? HTTPURLResponse else { return .retry(reason: "no HTTP answer", after: nil) }
        return Self.judge(status: http.statusCode, body: answer.0 ?? Data(), retryAfter: http.value(forHTTPHeaderField: "Retry-After"), id: id)
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
