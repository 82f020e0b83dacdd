import LogCore
import Yams

extension RuleFileLoader {
    /// Compiles the conditions of one `match:` mapping.
    func parseMatch(_ mm: Node.Mapping, rule: String, into m: inout RuleMatch) throws(FilterConfigError) {
        try checkKeysOfMatch(mm)
        let caseless = mm["ignore_case"]?.bool ?? false
        func list(_ key: String) throws(FilterConfigError) -> [String]? { try mm[key].map { n throws(FilterConfigError) in try stringList(n, key) } }

        if let levels = try list("level") {
            for (k, name) in levels.enumerated() {
                let level: LogLevel? = name.lowercased() == "unknown" ? .unknown : LogLevel(name: name)
                guard let level else {
                    throw error(element(mm["level"]!, k), "rule \"\(rule)\": unknown level `\(name)`",
                                help: "use unknown, trace, debug, info, warn, error or fatal")
                }
                m.levelMask |= 1 << level.rawValue
            }
        }
        for key in Self.labelKeys { if let v = try list(key) { m.labels.append((key, v.map { Glob($0) })) } }
        if let v = try list("method") { m.methods = v.map { Literal($0, caseless: true) } }
        if let v = try list("path") { m.paths = v.map { Glob($0) } }
        if let v = try list("user_agent") { m.userAgents = v.map { Glob($0, caseless: true) } }
        if let v = try list("status") {
            for (k, s) in v.enumerated() {
                guard let r = statusRange(s) else {
                    throw error(element(mm["status"]!, k), "rule \"\(rule)\": `\(s)` is not a status", help: "write 200, 2xx or 200-399")
                }
                m.statuses.append(r)
            }
        }
        if let v = try list("contains") { m.containsLiterals = try nonEmpty(v, "contains", mm).map { Literal($0, caseless: caseless) } }
        if let v = try list("contains_all") { m.containsAllLiterals = try nonEmpty(v, "contains_all", mm).map { Literal($0, caseless: caseless) } }
        if let v = try list("not_contains") { m.notContainsLiterals = try nonEmpty(v, "not_contains", mm).map { Literal($0, caseless: caseless) } }
        if let v = try list("starts_with") { m.startsWith = v.map { Literal($0, caseless: caseless) } }
        if let v = try list("glob") { m.globs = v.map { Glob($0, caseless: caseless) } }
        if let v = try list("template") {
            m.templates = v.map { TemplateID($0).map { .id($0) } ?? .tokens(TokenMasking.hashes($0)) }
        }
        if let v = try list("regex") {
            for (k, pattern) in v.enumerated() {
                do {
                    m.regexes.append(try ByteRegex(caseless ? "(?i)" + pattern : pattern))
                } catch {
                    let node = element(mm["regex"]!, k)
                    let quoted = node.mark.map { mark -> Int in
                        guard mark.line <= lines.count else { return 0 }
                        let line = Array(lines[mark.line - 1].unicodeScalars)
                        return mark.column - 1 < line.count && (line[mark.column - 1] == "'" || line[mark.column - 1] == "\"") ? 1 : 0
                    } ?? 0
                    let offset = max(0, error.offset - (caseless ? 4 : 0))
                    throw self.error(node, "rule \"\(rule)\": regex `\(pattern)` is refused: \(error.message)",
                                     help: "logsift matches regexes in linear time (no backtracking); rewrite the pattern without backreferences or lookaround, or use contains/glob",
                                     columnOffset: quoted + offset)
                }
            }
        }
        deriveRequiredLiterals(&m)
    }

    private func checkKeysOfMatch(_ mm: Node.Mapping) throws(FilterConfigError) {
        for (k, _) in mm {
            guard let key = k.string, Self.matchKeys.contains(key) else {
                let name = k.string ?? "?"
                let near = Self.matchKeys.min { Diagnostic.editDistance($0, name) < Diagnostic.editDistance($1, name) } ?? ""
                let hint = Diagnostic.editDistance(near, name) <= 3 ? "did you mean `\(near)`? " : ""
                throw error(k, "unknown match condition `\(name)`", help: "\(hint)allowed: \(Self.matchKeys.joined(separator: ", "))")
            }
        }
    }

    private func element(_ node: Node, _ k: Int) -> Node {
        if let seq = node.sequence, k < seq.count { return seq[k] }
        return node
    }

    private func stringList(_ node: Node, _ key: String) throws(FilterConfigError) -> [String] {
        if let s = node.scalar { return [s.string] }
        guard let seq = node.sequence, !seq.isEmpty else {
            throw error(node, "`\(key)` takes a value or a non-empty list", help: "write `\(key): value` or `\(key): [a, b]`")
        }
        var out: [String] = []
        for n in seq {
            guard let s = n.scalar else { throw error(n, "`\(key)` takes strings, not nested lists or mappings", help: "quote the value") }
            out.append(s.string)
        }
        return out
    }

    private func nonEmpty(_ v: [String], _ key: String, _ mm: Node.Mapping) throws(FilterConfigError) -> [String] {
        if v.contains("") { throw error(mm[key], "`\(key)` has an empty string, which every line contains", help: "remove it") }
        return v
    }

    private func statusRange(_ s: String) -> ClosedRange<Int>? {
        let t = s.lowercased()
        if t.count == 3, t.hasSuffix("xx"), let d = Int(t.prefix(1)), d >= 1 { return d * 100...d * 100 + 99 }
        if let dash = t.firstIndex(of: "-"), let a = Int(t[..<dash]), let b = Int(t[t.index(after: dash)...]), a <= b { return a...b }
        if let v = Int(t), v >= 100, v <= 999 { return v...v }
        return nil
    }

    /// Pre-filter groups: literals of which one must occur for the rule to match. Only groups whose every
    /// alternative has a literal of 4+ bytes are kept (shorter ones would not narrow the search).
    private func deriveRequiredLiterals(_ m: inout RuleMatch) {
        func group(_ lits: [Literal?]) {
            guard !lits.isEmpty, lits.allSatisfy({ ($0?.bytes.count ?? 0) >= 4 }) else { return }
            m.requiredLiterals.append(lits.map { $0! })
        }
        group(m.startsWith)
        group(m.methods)
        group(m.globs.map { g in g.longestPiece.isEmpty ? nil : Literal(g.longestPiece, caseless: g.caseless) })
        group(m.paths.map { g in g.longestPiece.isEmpty ? nil : Literal(g.longestPiece, caseless: false) })
        group(m.userAgents.map { g in g.longestPiece.isEmpty ? nil : Literal(g.longestPiece, caseless: true) })
        if m.regexes.allSatisfy({ $0.requiredLiterals != nil }) { group(m.regexes.flatMap { $0.requiredLiterals! }) }
    }
}
