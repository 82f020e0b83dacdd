public import Foundation

/// Where a ClickHouse store lives: `clickhouse://user@host:8123/db`, or a sharded cluster
/// `clickhouse://user@host1:8123,host2:8123/db?cluster=NAME` (every shard's HTTP address, the first one answering
/// queries; NAME as the servers' `remote_servers` call it). The password never comes from the URL: it is read
/// from `LOGSIFT_STORE_PASSWORD` (or given by the config file's `store:` section).
public struct ClickHouseConfig: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String
    public var database: String
    /// The cluster's name in the servers' configuration; nil for one server.
    public var cluster: String?
    /// The other shards' `host:port` (HTTP), after `host:port`.
    public var otherShards: [String] = []

    public init(host: String = "127.0.0.1", port: Int = 8123, user: String = "default", password: String = "", database: String = "logsift",
                cluster: String? = nil, otherShards: [String] = []) {
        self.host = host; self.port = port; self.user = user; self.password = password; self.database = database
        self.cluster = cluster; self.otherShards = otherShards
    }

    /// Parses a store URL; nil when it is not a `clickhouse://` URL. A password in the URL is refused (it would
    /// show in process lists and shell history).
    public static func parse(_ url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ClickHouseConfig? {
        guard url.hasPrefix("clickhouse://") else { return nil }
        let invalid = ClickHouseError(code: 0, message: "invalid store URL '\(url)'; use clickhouse://user@host:8123/database "
                                      + "or clickhouse://user@host1:8123,host2:8123/database?cluster=NAME")
        // Several hosts are not a URL authority: keep the first for URLComponents, the rest as shards.
        let rest = url.dropFirst("clickhouse://".count)
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        let hostsPart = authority.split(separator: "@", omittingEmptySubsequences: false).last ?? ""
        let hosts = hostsPart.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let userPart = authority.count > hostsPart.count ? String(authority.dropLast(hostsPart.count)) : ""
        guard let first = hosts.first, !first.isEmpty,
              let u = URLComponents(string: "clickhouse://" + userPart + first + rest.dropFirst(authority.count)),
              let host = u.host, !host.isEmpty else { throw invalid }
        if u.password != nil {
            throw ClickHouseError(code: 0, message: "do not put the password in the store URL; set LOGSIFT_STORE_PASSWORD")
        }
        var c = ClickHouseConfig(host: host, port: u.port ?? 8123, user: u.user ?? "default",
                                 password: environment["LOGSIFT_STORE_PASSWORD"] ?? "", database: "logsift")
        for h in hosts.dropFirst() {
            guard let hu = URLComponents(string: "clickhouse://" + h), let name = hu.host, !name.isEmpty else { throw invalid }
            c.otherShards.append("\(name):\(hu.port ?? 8123)")
        }
        let db = u.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        if !db.isEmpty {
            guard Self.isName(db) else { throw ClickHouseError(code: 0, message: "invalid database name '\(db)': letters, digits and _ only") }
            c.database = db
        }
        if let name = u.queryItems?.first(where: { $0.name == "cluster" })?.value {
            guard Self.isName(name) else { throw ClickHouseError(code: 0, message: "invalid cluster name '\(name)': letters, digits and _ only") }
            c.cluster = name
        }
        if c.cluster == nil, !c.otherShards.isEmpty {
            throw ClickHouseError(code: 0, message: "several hosts in the store URL need ?cluster=NAME (the cluster of remote_servers they form)")
        }
        return c
    }

    static func isName(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F }
    }

    /// One config per shard (the first is this one's host), each for that server alone.
    public var shards: [ClickHouseConfig] {
        var one = self
        one.otherShards = []
        var out = [one]
        for h in otherShards {
            guard let colon = h.lastIndex(of: ":"), let port = Int(h[h.index(after: colon)...]) else { continue }
            var s = one
            s.host = String(h[..<colon]); s.port = port
            out.append(s)
        }
        return out
    }

    /// The URL without secrets, for messages.
    public var display: String {
        "clickhouse://\(user)@" + ([host + ":\(port)"] + otherShards).joined(separator: ",") + "/\(database)" + (cluster.map { "?cluster=\($0)" } ?? "")
    }
}

/// An error ClickHouse answered (its `Code: N` and text), or a transport failure (code 0).
public struct ClickHouseError: Error, CustomStringConvertible, Sendable {
    public var code: Int
    public var message: String
    /// The request may have been applied (the connection broke after sending): a writer checks before retrying.
    public var uncertain = false

    public var description: String { code == 0 ? "clickhouse: \(message)" : "clickhouse error \(code): \(message)" }

    public init(code: Int, message: String, uncertain: Bool = false) {
        self.code = code
        self.message = message
        self.uncertain = uncertain
    }
}

/// ClickHouse's HTTP interface, synchronously: one POST per statement, the statement in the URL's `query`
/// parameter when a body (rows to insert) goes with it.
public final class ClickHouseClient: @unchecked Sendable {
    public let config: ClickHouseConfig
    /// Seconds a statement may take (connect, send, each wait for answer bytes).
    let timeout: TimeInterval
    /// Test hook: sees every statement without a body (queries and DDL) with its answer and the client's server
    /// and database (tests running beside each other use their own).
    nonisolated(unsafe) static var observer: ((ClickHouseConfig, String, Data) -> Void)?
    /// Settings sent with every statement (the 18.x servers need LowCardinality allowed explicitly).
    static let settings = ["allow_experimental_low_cardinality_type": "1", "output_format_json_quote_64bit_integers": "0"]

    public init(_ config: ClickHouseConfig, timeout: TimeInterval = 120) {
        self.config = config
        self.timeout = timeout
    }

    /// Runs `sql`; `body` is the data of an INSERT. Returns the answer's bytes. One connection per statement,
    /// blocking socket I/O (``PlainHTTP``), not URLSession, whose waiting costs a core on Linux.
    @discardableResult
    public func execute(_ sql: String, body: Data? = nil, database: Bool = true) throws -> Data {
        var q = URLComponents()
        var items = Self.settings.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        if database { items.append(URLQueryItem(name: "database", value: config.database)) }
        if body != nil { items.append(URLQueryItem(name: "query", value: sql)) }
        q.queryItems = items
        // `+` is a space in a query string; URLComponents leaves it as is.
        let query = q.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B") ?? ""
        var headers = [("X-ClickHouse-User", config.user), ("Content-Type", "application/octet-stream")]
        if !config.password.isEmpty { headers.append(("X-ClickHouse-Key", config.password)) }
        let answer: PlainHTTP.Answer
        do {
            answer = try PlainHTTP.post(host: config.host, port: config.port, path: "/?" + query, headers: headers,
                                        body: body.map { Array($0) } ?? Array(sql.utf8), timeout: timeout, maxAnswer: 1 << 30)
        } catch let e as PlainHTTP.Failure {
            // The statement may have run before the connection broke: a writer checks before it retries.
            throw ClickHouseError(code: 0, message: "\(config.display): \(e.description)", uncertain: true)
        }
        let data = Data(answer.body)
        guard answer.status == 200 else { throw Self.error(status: answer.status, data) }
        if body == nil, let observe = Self.observer { observe(config, sql, data) }
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
