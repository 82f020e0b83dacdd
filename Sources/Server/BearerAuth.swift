import Foundation
/// Checks `Authorization: Bearer` tokens against the configured ones, in constant time.
public struct BearerAuth: Sendable {
    /// Why a request was refused.
    public enum Verdict: Equatable, Sendable {
        case allowed
        /// No token, or one that is not configured: 401.
        case unauthenticated
        /// A known token without the scope: 403.
        case forbidden
    }

    let tokens: [APIToken]

    public init(tokens: [APIToken]) { self.tokens = tokens }

    /// Whether no token is configured (then every request is allowed, and only loopback is served).
    public var isOpen: Bool { tokens.isEmpty }

    /// The verdict for an `Authorization` header value and the scope an endpoint needs.
    public func check(authorization: String?, scope: Scope) -> Verdict {
        if tokens.isEmpty { return .allowed }
        guard let header = authorization, let presented = Self.presentedToken(header) else { return .unauthenticated }
        // Compare with every configured token, whatever matched earlier, so that timing says nothing.
        var match: APIToken?
        for t in tokens where Self.constantTimeEqual(presented, Array(t.token.utf8)) { match = t }
        guard let match else { return .unauthenticated }
        return match.scopes.contains(scope) || match.scopes.contains(.admin) ? .allowed : .forbidden
    }

    /// The token in `Bearer TOKEN`, in `ApiKey TOKEN` (Elasticsearch clients' and shippers' `api_key`) or as
    /// the password of `Basic base64(user:TOKEN)` (shippers that speak only Basic auth: Fluent Bit, rsyslog).
    static func presentedToken(_ header: String) -> [UInt8]? {
        let lower = header.prefix(7).lowercased()
        if header.count > 7, lower == "bearer " || lower == "apikey " { return Array(header.utf8.dropFirst(7)) }
        guard header.count > 6, lower.hasPrefix("basic "), let d = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
              let colon = d.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        return Array(d[(colon + 1)...])
    }

    /// Equal bytes, in time that depends only on the lengths.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var diff = UInt8(truncatingIfNeeded: a.count ^ b.count)
        let n = max(a.count, b.count)
        for i in 0..<n {
            let x = i < a.count ? a[i] : 0
            let y = i < b.count ? b[i] : 0
            diff |= x ^ y
        }
        return diff == 0 && a.count == b.count
    }
}
