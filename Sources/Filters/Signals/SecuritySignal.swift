/// Security finding classes of scoring.md: secrets left in stored text, injection attempts, and
/// authentication failures (a class when they come in bursts).
public enum SecurityClass: String, Sendable, CaseIterable, Codable {
    case secret
    case injection
    case authFailure = "auth-failure"
}

/// What a line reveals about security, checked only on lines whose gate literals were found.
public enum SecuritySignal {
    /// The class of the line, nil when it shows none. A secret already masked (`***`, `[REDACTED]`) is none.
    public static func classify(_ s: Substring, hits: SignalHits) -> SecurityClass? {
        if hits.contains(.injection), isInjection(s) { return .injection }
        if hits.contains(.secret), hasSecret(s) { return .secret }
        if hits.contains(.authFailure) { return .authFailure }
        return nil
    }

    /// `${jndi:`, and its obfuscated forms (`${${lower:j}ndi:`, `${${::-j}${::-n}di:`, `${env:...:-j}ndi`).
    static func isInjection(_ s: Substring) -> Bool {
        var from = s.startIndex
        while let r = s.range(of: "${", range: from..<s.endIndex) {
            let window = s[r.upperBound...].prefix(80).lowercased()
            if window.hasPrefix("jndi:") || window.hasPrefix("${") || window.hasPrefix("lower:") || window.hasPrefix("upper:")
                || window.hasPrefix("::-") || (window.contains("jndi") && window.contains(":")) {
                return true
            }
            from = r.upperBound
        }
        return false
    }

    static func hasSecret(_ s: Substring) -> Bool {
        if s.contains("PRIVATE KEY-----") { return true }
        for key in ["AKIA", "ASIA"] {
            var from = s.startIndex
            while let r = s.range(of: key, range: from..<s.endIndex) {
                let rest = s[r.upperBound...].prefix(16)
                if rest.count == 16, rest.allSatisfy({ ($0.isUppercase || $0.isNumber) && $0.isASCII }) {
                    let after = s[r.upperBound...].dropFirst(16).first
                    if after == nil || !(after!.isLetter || after!.isNumber) { return true }
                }
                from = r.upperBound
            }
        }
        if let r = s.range(of: "eyJ") {
            // A JWT: three base64url parts, the first two starting with `eyJ`.
            let token = s[r.lowerBound...].prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }
            let parts = token.split(separator: ".", omittingEmptySubsequences: false)
            if parts.count == 3, parts[1].hasPrefix("eyJ"), parts[2].count >= 10 { return true }
        }
        let lower = s.lowercased()
        if let r = lower.range(of: "bearer ") {
            let token = LineWords.word(lower[r.upperBound...])
            if token.count >= 16, !isMasked(token) { return true }
        }
        for key in ["password", "passwd", "pwd"] {
            var from = lower.startIndex
            while let r = lower.range(of: key, range: from..<lower.endIndex) {
                from = r.upperBound
                var rest = lower[r.upperBound...]
                if rest.first == "\"" { rest = rest.dropFirst() }
                guard let sep = rest.first, sep == "=" || sep == ":" else { continue }
                let value = LineWords.word(rest.dropFirst())
                if !value.isEmpty, !isMasked(value) { return true }
            }
        }
        return false
    }

    static func isMasked(_ v: Substring) -> Bool {
        guard let f = v.first else { return true }
        return f == "*" || f == "[" || f == "<" || v.hasPrefix("redacted") || v.hasPrefix("xxx") || v.hasPrefix("$")
    }
}
