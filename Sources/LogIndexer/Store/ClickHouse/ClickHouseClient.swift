public import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Where a ClickHouse store lives: `clickhouse://user@host:8123/db`. The password never comes from the URL's
/// command line: it is read from `LOGSIFT_STORE_PASSWORD` (or given by the config file's `store:` section).
public struct ClickHouseConfig: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String
    public var database: String

    public init(host: String = "127.0.0.1", port: Int = 8123, user: String = "default", password: String = "", database: String = "logsift") {
        self.host = host; self.port = port; self.user = user; self.password = password; self.database = database
    }

    /// Parses a store URL; nil when it is not a `clickhouse://` URL. A password in the URL is refused (it would
    /// show in process lists and shell history).
    public static func parse(_ url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ClickHouseConfig? {
        guard url.hasPrefix("clickhouse://") else { return nil }
        guard let u = URLComponents(string: url), let host = u.host, !host.isEmpty else {
            throw ClickHouseError(code: 0, message: "invalid store URL '\(url)'; use clickhouse://user@host:8123/database")
        }
        if u.password != nil {
            throw ClickHouseError(code: 0, message: "do not put the password in the store URL; set LOGSIFT_STORE_PASSWORD")
        }
        var c = ClickHouseConfig(host: host, port: u.port ?? 8123, user: u.user ?? "default",
                                 password: environment["LOGSIFT_STORE_PASSWORD"] ?? "", database: "logsift")
        let db = u.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        if !db.isEmpty {
            guard db.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F }) else {
                throw ClickHouseError(code: 0, message: "invalid database name '\(db)': letters, digits and _ only")
            }
            c.database = db
        }
        return c
    }

    /// The URL without secrets, for messages.
    public var display: String { "clickhouse://\(user)@\(host):\(port)/\(database)" }
}

/// An error ClickHouse answered (its `Code: N` and text), or a transport failure (code 0).
public struct ClickHouseError: Error, CustomStringConvertible, Sendable {
    public var code: Int
    public var message: String
    /// The request may have been applied (the connection broke after sending): a writer checks before retrying.
    public var uncertain = false

    public var description: String { code == 0 ? "clickhouse: \(message)" : "clickhouse error \(code): \(message)" }
}

/// ClickHouse's HTTP interface, synchronously: one POST per statement, the statement in the URL's `query`
/// parameter when a body (rows to insert) goes with it.
public final class ClickHouseClient: @unchecked Sendable {
    public let config: ClickHouseConfig
    private let session: URLSession
    /// Settings sent with every statement (the 18.x servers need LowCardinality allowed explicitly).
    static let settings = ["allow_experimental_low_cardinality_type": "1", "output_format_json_quote_64bit_integers": "0"]

    public init(_ config: ClickHouseConfig, timeout: TimeInterval = 120) {
        self.config = config
        let c = URLSessionConfiguration.ephemeral
        c.timeoutIntervalForRequest = timeout
        c.timeoutIntervalForResource = timeout * 5
        session = URLSession(configuration: c)
    }

    /// Runs `sql`; `body` is the data of an INSERT. Returns the answer's bytes.
    @discardableResult
    public func execute(_ sql: String, body: Data? = nil, database: Bool = true) throws -> Data {
        var q = URLComponents()
        q.scheme = "http"
        q.host = config.host
        q.port = config.port
        q.path = "/"
        var items = Self.settings.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        if database { items.append(URLQueryItem(name: "database", value: config.database)) }
        if body != nil { items.append(URLQueryItem(name: "query", value: sql)) }
        q.queryItems = items
        // `+` is a space in a query string; URLComponents leaves it as is.
        q.percentEncodedQuery = q.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        guard let url = q.url else { throw ClickHouseError(code: 0, message: "bad address \(config.display)") }
        var req = URLRequest(url: url)
        req.httpMethod = "POST"
        req.setValue(config.user, forHTTPHeaderField: "X-ClickHouse-User")
        if !config.password.isEmpty { req.setValue(config.password, forHTTPHeaderField: "X-ClickHouse-Key") }
        req.httpBody = body ?? Data(sql.utf8)
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var answer: (Data?, URLResponse?, Error?) = (nil, nil, nil)
        session.dataTask(with: req) { d, r, e in
            answer = (d, r, e)
            done.signal()
        }.resume()
        done.wait()
        if let e = answer.2 {
            throw ClickHouseError(code: 0, message: "\(config.display): \(e.localizedDescription)", uncertain: true)
        }
        let status = (answer.1 as? HTTPURLResponse)?.statusCode ?? 0
        let data = answer.0 ?? Data()
        guard status == 200 else { throw Self.error(status: status, data) }
        return data
    }

    /// Runs a query and returns its rows as text lines (TabSeparated, unescaped by the caller where needed).
    public func rows(_ sql: String) throws -> [[Substring]] {
        let text = String(decoding: try execute(sql + " FORMAT TabSeparated"), as: UTF8.self)
        return text.split(separator: "\n", omittingEmptySubsequences: true).map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
    }

    /// The server's version, e.g. `18.16.1`.
    public func serverVersion() throws -> String {
        String(decoding: try execute("SELECT version()", database: false), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func error(status: Int, _ data: Data) -> ClickHouseError {
        let text = String(decoding: data.prefix(2000), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        // `Code: 60, e.displayText() = DB::Exception: Table x doesn't exist., e.what() = DB::Exception`
        var code = status
        if text.hasPrefix("Code: "), let n = Int(text.dropFirst(6).prefix { $0.isNumber }) { code = n }
        var message = text
        if let r = text.range(of: "DB::Exception: ") { message = String(text[r.upperBound...]) }
        if let r = message.range(of: ", e.what()") { message = String(message[..<r.lowerBound]) }
        return ClickHouseError(code: code, message: message, uncertain: status >= 500 && code == status)
    }
}
