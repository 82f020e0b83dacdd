import LogCore
import Yams

/// Turns a rule file (YAML) into compiled ``NoiseRule``s, with errors that point at the line.
struct RuleFileLoader {
    let yaml: String
    let source: String
    let lines: [Substring]

    init(yaml: String, source: String) {
        self.yaml = yaml
        self.source = source
        self.lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// `scoring:` belongs to the score and report settings (read by the Scoring module).
    static let topKeys = ["version", "rules", "disable", "context_rescue", "scoring", "retention", "server", "store"]
    /// The most events before a failure that `context_rescue` may bring back (each stream keeps that many dropped lines).
    static let maxContextRescue = 200
    static let ruleKeys = ["name", "description", "match", "scope", "action", "order", "every", "window", "limit", "per", "key", "replacement"]
    static let labelKeys = ["stream", "deployment", "namespace", "container", "pod", "source"]
    static let matchKeys = ["level", "method", "path", "status", "user_agent", "contains", "contains_all", "not_contains",
                            "starts_with", "glob", "regex", "template", "ignore_case"] + labelKeys
    static let scopeKeys = ["deployment", "namespace", "source", "pod", "container"]
    static let actions = ["drop", "sample", "dedup", "throttle", "keep", "redact"]

    func error(_ node: Node?, _ message: String, help: String, columnOffset: Int = 0) -> FilterConfigError {
        let line = node?.mark?.line ?? 0
        let column = (node?.mark?.column ?? 1) + columnOffset
        let snippet = line > 0 && line <= lines.count ? String(lines[line - 1]) : ""
        return FilterConfigError(source: source, line: line, column: column, message: message, help: help, snippet: snippet)
    }

    /// What a rule file holds: its rules in order, the default rules it turns off, and its `context_rescue` (nil: not set).
    struct Loaded {
        var rules: [NoiseRule] = []
        var disabled: Set<String> = []
        var contextRescue: Int? = nil
    }

    mutating func load() throws(FilterConfigError) -> Loaded {
        let root: Node?
        do { root = try Yams.compose(yaml: yaml) } catch let e as YamlError {
            throw yamlError(e)
        } catch {
            throw FilterConfigError(source: source, line: 0, column: 0, message: "\(error)", help: "fix the YAML syntax")
        }
        guard let root, let map = root.mapping else {
            throw self.error(root, "a rule file is a mapping with a `rules:` list", help: "start the file with `rules:`")
        }
        try checkKeys(map, Self.topKeys, what: "top-level key")
        var loaded = Loaded()
        if let d = map["disable"] { loaded.disabled = Set(try strings(d, "disable")) }
        if let c = map["context_rescue"] {
            guard let v = c.int, v >= 0, v <= Self.maxContextRescue else {
                throw error(c, "`context_rescue` must be a whole number from 0 to \(Self.maxContextRescue), not \"\(c.string ?? "?")\"",
                            help: "the dropped events among this many before a failure are stored with it (default 20; 0 turns rescue off)")
            }
            loaded.contextRescue = v
        }
        guard let list = map["rules"] else { return loaded }
        guard let seq = list.sequence else { throw error(list, "`rules:` must be a list", help: "write each rule as `- name: ...`") }
        var rules: [NoiseRule] = []
        var names: [String: Int] = [:]
        for (index, item) in seq.enumerated() {
            var rule = try parseRule(item, index: index)
            if let prev = names[rule.name] {
                throw error(item, "rule name \"\(rule.name)\" is used twice (first at line \(prev))", help: "give each rule its own name")
            }
            names[rule.name] = item.mark?.line ?? 0
            rule.order = rule.order == Int.min ? index + 1 : rule.order
            rules.append(rule)
        }
        loaded.rules = rules.enumerated().sorted { ($0.element.order, $0.offset) < ($1.element.order, $1.offset) }.map(\.element)
        return loaded
    }

    private func yamlError(_ e: YamlError) -> FilterConfigError {
        switch e {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            let snippet = mark.line > 0 && mark.line <= lines.count ? String(lines[mark.line - 1]) : ""
            return FilterConfigError(source: source, line: mark.line, column: mark.column, message: "invalid YAML: \(problem)",
                                     help: "check indentation and quoting (quote patterns that contain `: `, `#`, `[` or `{`)", snippet: snippet)
        default:
            return FilterConfigError(source: source, line: 0, column: 0, message: "invalid YAML: \(e)", help: "fix the YAML syntax")
        }
    }

    private func checkKeys(_ map: Node.Mapping, _ allowed: [String], what: String) throws(FilterConfigError) {
        for (k, _) in map {
            guard let key = k.string, allowed.contains(key) else {
                let name = k.string ?? "?"
                let near = allowed.min { Diagnostic.editDistance($0, name) < Diagnostic.editDistance($1, name) } ?? ""
                let hint = Diagnostic.editDistance(near, name) <= 3 ? "did you mean `\(near)`? " : ""
                throw error(k, "unknown \(what) `\(name)`", help: "\(hint)allowed: \(allowed.joined(separator: ", "))")
            }
        }
    }

    private func strings(_ node: Node, _ key: String) throws(FilterConfigError) -> [String] {
        if let s = node.scalar { return [s.string] }
        if let seq = node.sequence {
            var out: [String] = []
            for n in seq {
                guard let s = n.scalar else { throw error(n, "`\(key)` takes strings", help: "write `\(key): [a, b]` or one value") }
                out.append(s.string)
            }
            if out.isEmpty { throw error(node, "`\(key)` is an empty list", help: "give at least one value or remove the key") }
            return out
        }
        throw error(node, "`\(key)` takes a string or a list of strings", help: "write `\(key): value` or `\(key): [a, b]`")
    }

    private func int(_ node: Node, _ key: String, min: Int = 1) throws(FilterConfigError) -> Int {
        guard let v = node.int, v >= min else { throw error(node, "`\(key)` must be a whole number ≥ \(min)", help: "for example `\(key): 10`") }
        return v
    }

    private func duration(_ node: Node, _ key: String) throws(FilterConfigError) -> Int64 {
        let s = node.string ?? ""
        var digits = "", unit = ""
        for c in s { if c.isNumber, unit.isEmpty { digits.append(c) } else { unit.append(c) } }
        let scale: Int64? = switch unit { case "ms": 1_000_000; case "s", "": 1_000_000_000; case "m": 60_000_000_000; case "h": 3_600_000_000_000; default: nil }
        // Overflow-checked: `99999999999h` is an error, not a trap (or, in a release build, a negative window).
        guard let v = Int64(digits), v > 0, let scale, case let (ns, false) = v.multipliedReportingOverflow(by: scale) else {
            throw error(node, "`\(key)` must be a duration like 500ms, 30s, 5m or 1h, not \"\(s)\"", help: "write a number and a unit (ms, s, m, h)")
        }
        return ns
    }

    private func parseRule(_ item: Node, index: Int) throws(FilterConfigError) -> NoiseRule {
        guard let map = item.mapping else { throw error(item, "a rule is a mapping (name, match, action)", help: "write `- name: ...` then `match:` and `action:` indented under it") }
        try checkKeys(map, Self.ruleKeys, what: "rule key")
        guard let nameNode = map["name"], let name = nameNode.string, !name.isEmpty else {
            throw error(item, "rule #\(index + 1) has no `name`", help: "add `name: some-name`; accounting and `filters test` report by name")
        }
        guard let actionNode = map["action"], let actionName = actionNode.string else {
            throw error(item, "rule \"\(name)\" has no `action`", help: "add `action:` with one of \(Self.actions.joined(separator: ", "))")
        }
        let action: FilterAction
        switch actionName {
        case "drop": action = .drop
        case "keep": action = .keep
        case "sample":
            guard let e = map["every"] else { throw error(actionNode, "rule \"\(name)\": `sample` needs `every: N` (keep 1 event in N)", help: "add `every: 10`") }
            action = .sample(every: try int(e, "every"))
        case "dedup": action = .dedup(windowNs: try map["window"].map { n throws(FilterConfigError) in try duration(n, "window") } ?? 60_000_000_000)
        case "throttle":
            guard let l = map["limit"], let p = map["per"] else {
                throw error(actionNode, "rule \"\(name)\": `throttle` needs `limit: N` and `per: DURATION`", help: "add `limit: 100` and `per: 1m` (and optionally `key: path`)")
            }
            let keyName = map["key"]?.string ?? "stream"
            guard let key = ThrottleKey(rawValue: keyName) else {
                throw error(map["key"], "rule \"\(name)\": unknown throttle key `\(keyName)`", help: "use one of \(ThrottleKey.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            action = .throttle(limit: try int(l, "limit"), intervalNs: try duration(p, "per"), key: key)
        case "redact": action = .redact(replacement: map["replacement"]?.string ?? "[REDACTED]")
        default:
            throw error(actionNode, "rule \"\(name)\": unknown action `\(actionName)`", help: "use one of \(Self.actions.joined(separator: ", "))")
        }
        var m = RuleMatch()
        if let matchNode = map["match"] {
            guard let mm = matchNode.mapping else { throw error(matchNode, "rule \"\(name)\": `match:` must be a mapping", help: "indent conditions under `match:`, e.g. `path: /healthz`") }
            try parseMatch(mm, rule: name, into: &m)
        } else if case .redact = action {} else {
            throw error(item, "rule \"\(name)\" has no `match:`; it would apply to every event", help: "add a `match:` (a rule for all events can say `match: {level: [debug]}`)")
        }
        if case .redact = action, m.regexes.isEmpty {
            throw error(actionNode, "rule \"\(name)\": `redact` needs a `regex` in `match:` saying what to replace", help: "add e.g. `regex: 'password=\\K\\S+'`")
        }
        if let scope = map["scope"] {
            guard let sm = scope.mapping else { throw error(scope, "rule \"\(name)\": `scope:` must be a mapping", help: "e.g. `scope: {namespace: [prod-*]}`") }
            try checkKeys(sm, Self.scopeKeys, what: "scope key")
            for (k, v) in sm { m.labels.append((k.string!, try strings(v, k.string!).map { Glob($0) })) }
        }
        if m.levelMask == 0 {
            switch action {
            case .keep, .redact: m.levelMask = 0x7F
            default: m.levelMask = 0b1111  // unknown, trace, debug, info: never warn or above unless asked
            }
        }
        let order = try map["order"].map { n throws(FilterConfigError) in try int(n, "order", min: Int.min + 1) } ?? Int.min
        let origin = "\(source):\(item.mark?.line ?? 0)"
        return NoiseRule(name: name, action: action, origin: origin, order: order, match: m)
    }
}

