import Foundation
import Yams

/// What a token may do.
public enum Scope: String, Sendable, CaseIterable {
    case ingest, read, admin
}

/// One bearer token and its scopes.
public struct APIToken: Sendable {
    public var token: String
    public var scopes: Set<Scope>
    public init(token: String, scopes: Set<Scope>) {
        self.token = token
        self.scopes = scopes
    }
}

/// The `server:` section of the config file.
public struct ServerConfig: Sendable {
    public var tokens: [APIToken] = []
    /// `host:port`, used when `--listen` is not given.
    public var listen: String?
    /// `host:port` for syslog over TCP and UDP (off when nil).
    public var syslog: String?
    /// Largest request body accepted, compressed and decompressed.
    public var maxBodyBytes = 16 << 20
    /// Request bytes waiting for the store beyond which ingest answers 429.
    public var maxQueuedBytes = 64 << 20
    public init() {}

    /// Reads the `server:` section of a config file; a file without one gives the defaults.
    public static func load(path: String) throws -> ServerConfig {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ServerConfigError("cannot read \(path): \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            let valid = String(decoding: data, as: UTF8.self).unicodeScalars.prefix { $0 != "\u{FFFD}" }
            let line = valid.filter { $0 == "\n" }.count + 1
            throw ServerConfigError("\(path) is not UTF-8 text (an invalid byte on line \(line)); a config file is YAML in UTF-8")
        }
        return try load(yaml: text, source: path)
    }

    /// Reads the `server:` section of YAML text.
    public static func load(yaml: String, source: String) throws -> ServerConfig {
        var config = ServerConfig()
        let root: Any?
        do { root = try Yams.load(yaml: yaml) } catch { throw ServerConfigError("\(source): \(error)") }
        guard let map = root as? [String: Any], let section = map["server"] else { return config }
        guard let server = section as? [String: Any] else { throw ServerConfigError("\(source): `server` must be a mapping") }
        for key in server.keys where !["tokens", "listen", "syslog", "max_body_bytes", "max_queued_bytes"].contains(key) {
            throw ServerConfigError("\(source): unknown key `server.\(key)`; use tokens, listen, syslog, max_body_bytes, max_queued_bytes")
        }
        if let l = server["syslog"] {
            guard let s = l as? String, ListenAddress(s) != nil else { throw ServerConfigError("\(source): `server.syslog` must be host:port") }
            config.syslog = s
        }
        if let l = server["listen"] {
            guard let s = l as? String else { throw ServerConfigError("\(source): `server.listen` must be host:port") }
            config.listen = s
        }
        for (key, path) in [("max_body_bytes", \ServerConfig.maxBodyBytes), ("max_queued_bytes", \ServerConfig.maxQueuedBytes)] {
            guard let v = server[key] else { continue }
            guard let n = v as? Int, n > 0 else { throw ServerConfigError("\(source): `server.\(key)` must be a positive number of bytes") }
            config[keyPath: path] = n
        }
        if let t = server["tokens"] {
            guard let list = t as? [Any] else { throw ServerConfigError("\(source): `server.tokens` must be a list") }
            for (i, item) in list.enumerated() {
                guard let entry = item as? [String: Any], let token = entry["token"] as? String, token.utf8.count >= 16 else {
                    throw ServerConfigError("\(source): `server.tokens[\(i)]` needs `token:` (at least 16 characters) and `scopes:`")
                }
                guard let scopes = entry["scopes"] as? [String], !scopes.isEmpty else {
                    throw ServerConfigError("\(source): `server.tokens[\(i)].scopes` must list some of ingest, read, admin")
                }
                var set = Set<Scope>()
                for s in scopes {
                    guard let scope = Scope(rawValue: s) else {
                        throw ServerConfigError("\(source): unknown scope `\(s)` in `server.tokens[\(i)]`; use ingest, read, admin")
                    }
                    set.insert(scope)
                }
                config.tokens.append(APIToken(token: token, scopes: set))
            }
        }
        return config
    }
}

/// A `server:` section that cannot be used.
public struct ServerConfigError: Error, CustomStringConvertible {
    public var description: String
    init(_ d: String) { description = d }
}

/// A `host:port` to listen on.
public struct ListenAddress: Sendable, Equatable {
    public var host: String
    public var port: Int

    /// Parses `host:port`, `[v6]:port` or `:port` (loopback).
    public init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.host = host.isEmpty ? "127.0.0.1" : host
        self.port = port
    }

    /// Whether only this machine can connect.
    public var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
