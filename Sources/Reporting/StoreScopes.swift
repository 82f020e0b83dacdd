import Foundation
import LogCore
import LogIndexer
import Scoring

/// The score inputs of the whole store and of each deployment over one range, read in one go.
struct StoreScopes {
    /// What a scope without a deployment is called where a name is needed (node and CI logs).
    static let noDeployment = "(no deployment)"

    var figures: ScoreFigures
    var overall: ScoreInputs
    var deployments: [ScoreInputs]
    /// Retained templates of the range; flagged ones name their top deployments.
    var templates: [TemplateCandidate]

    /// Reads [fromNs, toNs). `perDeployment`: count each deployment's bytes in flagged templates from its blocks
    /// (needed for deployment cards; skipped for the previous range, whose cards are not shown).
    static func read(_ reader: any ScoreReader, fromNs: Int64, toNs: Int64, nowNs: Int64, config: ScoringConfig,
                     perDeployment: Bool = true) throws -> StoreScopes {
        let window = config.parallelismWindowSeconds > Int64.max / 1_000_000_000 ? Int64.max : config.parallelismWindowSeconds * 1_000_000_000
        let f = try reader.scoreFigures(fromNs: fromNs, toNs: toNs, nowNs: nowNs, parallelismWindowNs: window)
        var templates = f.templates.map(TemplateCandidate.init)
        let retained = f.overall.stored.bytes
        let flagged = Set(f.templates.filter { t in
            config.suggestions.flags(TemplateCandidate(templateId: "", text: t.text, events: t.events, bytes: t.bytes,
                                                       maxLevel: LogLevel(rawValue: t.maxLevel) ?? .unknown, inFailureContext: t.inFailureContext),
                                     retainedBytes: retained)
        }.map(\.id))
        let byDeployment = perDeployment ? try reader.templateBytesByDeployment(flagged, fromNs: fromNs, toNs: toNs) : [:]
        for (i, t) in f.templates.enumerated() {
            guard let split = byDeployment[t.id] else { continue }
            templates[i].topDeployments = split.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(3)
                .map { $0.key.isEmpty ? noDeployment : $0.key }
        }
        let overall = ScoreInputs(f.overall, of: f, flaggedBytes: config.suggestions.flaggedBytes(templates, retainedBytes: retained))
        let deployments = f.deployments.map { c in
            let name = c.deployment ?? ""
            let bytes = byDeployment.values.reduce(Int64(0)) { $0 + ($1[name] ?? 0) }
            return ScoreInputs(c, of: f, flaggedBytes: bytes)
        }
        return StoreScopes(figures: f, overall: overall, deployments: deployments, templates: templates)
    }
}

extension String {
    func leftPadded(_ n: Int, with pad: Character = "0") -> String {
        count >= n ? self : String(repeating: pad, count: n - count) + self
    }
}
