import LogCore
import Foundation
import Yams

extension ScoringConfig {
    /// Reads the `scoring:` mapping of a config file's text; other top-level keys (the noise rules) are left to
    /// their own loader. A file without `scoring:` gives the defaults. `source` names the file in errors.
    public static func load(yaml: String, source: String) throws(ScoringConfigError) -> ScoringConfig {
        try ScoringConfigLoader(yaml: yaml, source: source).load()
    }

    /// Reads and loads a config file.
    public static func load(path: String) throws(ScoringConfigError) -> ScoringConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScoringConfigError(source: path, line: 0, column: 0, key: "scoring", message: "cannot read the config file",
                                     help: "check the path given with --config or LOGSIFT_CONFIG")
        }
        return try load(yaml: String(decoding: data, as: UTF8.self), source: path)
    }
}

/// Parses `scoring:` with errors that name the key and point at the line.
struct ScoringConfigLoader {
    let yaml: String
    let source: String
    let lines: [Substring]

    init(yaml: String, source: String) {
        self.yaml = yaml
        self.source = source
        self.lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
    }

    static let keys = ["weights", "transparency_weights", "cost_weights", "price_received_per_gb", "price_stored_per_gb_month",
                       "baseline_disk_factor", "monthly_budget", "retention_days", "context_events", "learning_cost_points",
                       "stability_scale", "parallelism_window", "suggestions"]
    static let weightKeys = ["transparency", "cost", "stability", "security", "parallelism", "learning_cost"]
    static let transparencyKeys = ["traceability", "context", "visibility", "completeness", "structure"]
    static let costKeys = ["saving", "residual_noise", "budget_fit"]
    static let suggestionKeys = ["min_share_percent", "min_events", "limit", "sample_every"]

    func load() throws(ScoringConfigError) -> ScoringConfig {
        let root: Node?
        do { root = try Yams.compose(yaml: yaml) } catch let e as YamlError {
            throw yamlError(e)
        } catch {
            throw ScoringConfigError(source: source, line: 0, column: 0, key: "", message: "invalid YAML: \(error)", help: "fix the YAML syntax")
        }
        var config = ScoringConfig()
        guard let root else { return config }
        guard let top = root.mapping else {
            throw self.error(root, "", "the config file must be a mapping (with `scoring:` and/or `rules:`)", help: "start `scoring:` at column 1")
        }
        guard let scoring = top["scoring"], scoring.null == nil else { return config }
        guard let map = scoring.mapping else {
            throw error(scoring, "scoring", "`scoring` must be a mapping of settings", help: "indent the settings under `scoring:`, e.g. `  retention_days: 30`")
        }
        try checkKeys(map, Self.keys, path: "scoring")
        for (k, v) in map {
            let name = k.string!, key = "scoring." + name
            switch name {
            case "weights":
                let m = try mapping(v, key, Self.weightKeys)
                for metric in Metric.allCases {
                    if let n = m[metric.rawValue] { config.weights[metric] = try number(n, key + "." + metric.rawValue, .nonNegative) }
                }
                if Metric.allCases.allSatisfy({ config.weights[$0] == 0 }) {
                    throw error(v, key, "`\(key)` are all 0, so no total can be formed", help: "give at least one metric a positive weight")
                }
            case "transparency_weights":
                let m = try mapping(v, key, Self.transparencyKeys)
                var w = config.transparencyWeights
                if let n = m["traceability"] { w.traceability = try number(n, key + ".traceability", .nonNegative) }
                if let n = m["context"] { w.context = try number(n, key + ".context", .nonNegative) }
                if let n = m["visibility"] { w.visibility = try number(n, key + ".visibility", .nonNegative) }
                if let n = m["completeness"] { w.completeness = try number(n, key + ".completeness", .nonNegative) }
                if let n = m["structure"] { w.structure = try number(n, key + ".structure", .nonNegative) }
                if w.traceability + w.context + w.visibility + w.completeness + w.structure == 0 {
                    throw error(v, key, "`\(key)` are all 0", help: "give at least one of T1–T5 a positive weight")
                }
                config.transparencyWeights = w
            case "cost_weights":
                let m = try mapping(v, key, Self.costKeys)
                var w = config.costWeights
                if let n = m["saving"] { w.saving = try number(n, key + ".saving", .nonNegative) }
                if let n = m["residual_noise"] { w.residualNoise = try number(n, key + ".residual_noise", .nonNegative) }
                if let n = m["budget_fit"] { w.budgetFit = try number(n, key + ".budget_fit", .nonNegative) }
                if w.saving + w.residualNoise + w.budgetFit == 0 {
                    throw error(v, key, "`\(key)` are all 0", help: "give at least one of C1–C3 a positive weight")
                }
                config.costWeights = w
            case "price_received_per_gb": config.priceReceivedPerGB = try number(v, key, .nonNegative)
            case "price_stored_per_gb_month": config.priceStoredPerGBMonth = try number(v, key, .nonNegative)
            case "baseline_disk_factor": config.baselineDiskFactor = try number(v, key, .positive)
            case "monthly_budget": config.monthlyBudget = v.null != nil ? nil : try number(v, key, .nonNegative)
            case "retention_days": config.retentionDays = try integer(v, key, atLeast: 1)
            case "context_events": config.contextEvents = try integer(v, key, atLeast: 1)
            case "learning_cost_points": config.learningCostPoints = try number(v, key, .points)
            case "stability_scale": config.stabilityScale = try number(v, key, .positive)
            case "parallelism_window": config.parallelismWindowSeconds = try duration(v, key)
            case "suggestions":
                let m = try mapping(v, key, Self.suggestionKeys)
                if let n = m["min_share_percent"] { config.suggestions.minSharePercent = try number(n, key + ".min_share_percent", .percent) }
                if let n = m["min_events"] { config.suggestions.minEvents = Int64(try integer(n, key + ".min_events", atLeast: 1)) }
                if let n = m["limit"] { config.suggestions.limit = try integer(n, key + ".limit", atLeast: 0) }
                if let n = m["sample_every"] { config.suggestions.sampleEvery = try integer(n, key + ".sample_every", atLeast: 2) }
            default:
                preconditionFailure("BUG: key `\(name)` passed checkKeys but has no parser")
            }
        }
        return config
    }

    // MARK: values

    private func mapping(_ node: Node, _ key: String, _ allowed: [String]) throws(ScoringConfigError) -> Node.Mapping {
        guard let m = node.mapping else {
            throw error(node, key, "`\(key)` must be a mapping", help: "for example `\(key.split(separator: ".").last!): {\(allowed[0]): 1}`; keys: \(allowed.joined(separator: ", "))")
        }
        try checkKeys(m, allowed, path: key)
        return m
    }

    /// The values a number setting accepts.
    enum Bounds {
        case nonNegative, positive, points, percent

        func accepts(_ v: Double) -> Bool {
            switch self {
            case .nonNegative: v >= 0
            case .positive: v > 0
            case .points: v >= 0 && v <= 5
            case .percent: v >= 0 && v <= 100
            }
        }

        var description: String {
            switch self {
            case .nonNegative: "a number ≥ 0"
            case .positive: "a number > 0"
            case .points: "a number of points from 0 to 5"
            case .percent: "a percentage from 0 to 100"
            }
        }
    }

    private func number(_ node: Node, _ key: String, _ bounds: Bounds) throws(ScoringConfigError) -> Double {
        guard let scalar = node.scalar else {
            throw error(node, key, "`\(key)` must be \(bounds.description), not a \(node.mapping != nil ? "mapping" : "list")",
                        help: "for example `\(key.split(separator: ".").last!): 1`")
        }
        guard let v = node.float ?? Double(scalar.string), v.isFinite, bounds.accepts(v) else {
            throw error(node, key, "`\(key)` must be \(bounds.description), not \"\(scalar.string)\"",
                        help: "for example `\(key.split(separator: ".").last!): 1`")
        }
        return v
    }

    private func integer(_ node: Node, _ key: String, atLeast low: Int) throws(ScoringConfigError) -> Int {
        let text = node.scalar?.string ?? ""
        guard node.scalar != nil, let v = Int(text), v >= low else {
            throw error(node, key, "`\(key)` must be a whole number ≥ \(low), not \"\(text)\"", help: "for example `\(key.split(separator: ".").last!): \(max(low, 10))`")
        }
        return v
    }

    private func duration(_ node: Node, _ key: String) throws(ScoringConfigError) -> Int64 {
        let text = node.scalar?.string ?? ""
        let unit = text.last.map(String.init) ?? ""
        let scale: Int64? = switch unit { case "s": 1; case "m": 60; case "h": 3600; default: nil }
        guard let scale, let v = Int64(text.dropLast()), v > 0, v <= Int64.max / 3600 else {
            throw error(node, key, "`\(key)` must be a duration like 90s, 30m or 2h, not \"\(text)\"", help: "write a whole number and a unit (s, m, h)")
        }
        return v * scale
    }

    // MARK: errors

    private func checkKeys(_ map: Node.Mapping, _ allowed: [String], path: String) throws(ScoringConfigError) {
        for (k, _) in map {
            guard let name = k.string, allowed.contains(name) else {
                let name = k.string ?? "?"
                let near = allowed.min { Diagnostic.editDistance($0, name) < Diagnostic.editDistance($1, name) } ?? ""
                let prefixed = allowed.first { !name.isEmpty && ($0.hasPrefix(name) || name.hasPrefix($0)) }
                let hint = prefixed.map { "did you mean `\($0)`? " } ?? (Diagnostic.editDistance(near, name) <= 3 ? "did you mean `\(near)`? " : "")
                throw error(k, path + "." + name, "unknown key `\(name)` in `\(path)`", help: "\(hint)allowed: \(allowed.joined(separator: ", "))")
            }
        }
    }

    private func error(_ node: Node?, _ key: String, _ message: String, help: String) -> ScoringConfigError {
        let line = node?.mark?.line ?? 0
        let snippet = line > 0 && line <= lines.count ? String(lines[line - 1]) : ""
        return ScoringConfigError(source: source, line: line, column: node?.mark?.column ?? 1, key: key, message: message, help: help, snippet: snippet)
    }

    private func yamlError(_ e: YamlError) -> ScoringConfigError {
        switch e {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            let snippet = mark.line > 0 && mark.line <= lines.count ? String(lines[mark.line - 1]) : ""
            return ScoringConfigError(source: source, line: mark.line, column: mark.column, key: "", message: "invalid YAML: \(problem)",
                                      help: "check indentation and quoting", snippet: snippet)
        default:
            return ScoringConfigError(source: source, line: 0, column: 0, key: "", message: "invalid YAML: \(e)", help: "fix the YAML syntax")
        }
    }
}

