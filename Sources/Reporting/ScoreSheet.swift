import Foundation
public import LogIndexer
public import Scoring

/// The scorecards of a range: the whole store and each deployment (what `logsift score` prints).
public struct ScoreSheet: Codable, Sendable {
    public var range: ReportRange
    /// Days the figures cover (the cost rates' divisor).
    public var daysCovered: Double
    /// The whole store first, then each deployment by name (or only the one asked for).
    public var scorecards: [Scorecard]
    /// The conventions of the scores and of the store's counting.
    public var notes: [String]

    /// What went wrong when reading a score sheet.
    public struct UnknownDeployment: Error, CustomStringConvertible {
        public var name: String
        public var known: [String]
        public var description: String {
            "no deployment named \(name) in this range" + (known.isEmpty ? "" : "; deployments: " + known.joined(separator: ", "))
        }
    }

    /// Scores [fromNs, toNs) from the store; `deployment` keeps only that deployment's card.
    public static func read(from reader: any ScoreReader, fromNs: Int64, toNs: Int64, deployment: String? = nil,
                            config: ScoringConfig, nowNs: Int64) throws -> ScoreSheet {
        let s = try StoreScopes.read(reader, fromNs: fromNs, toNs: toNs, nowNs: nowNs, config: config)
        var inputs = [s.overall] + s.deployments
        if let deployment {
            inputs = s.deployments.filter { $0.scope == deployment }
            if inputs.isEmpty { throw UnknownDeployment(name: deployment, known: s.deployments.map(\.scope)) }
        }
        return ScoreSheet(range: ReportRange(fromNs: fromNs, toNs: toNs), daysCovered: s.figures.coveredDays,
                          scorecards: inputs.map { Scorecard.compute($0, config: config) },
                          notes: ScoringConventions.notes + ScoreFigures.notes)
    }

    /// The sheet as Markdown: every card with its figures.
    public var markdown: String {
        var out = "# logsift scores: \(range.label)\n\nDays covered: \(FigureText.fixed(daysCovered, decimals: 4)).\n\n"
        for card in scorecards { out += MarkdownRenderer.scorecard(card, level: 2) + "\n" }
        out += "## Notes\n\n" + notes.map { "- " + $0 }.joined(separator: "\n") + "\n"
        return out
    }

    /// The sheet as JSON, every figure rounded as the report prints it.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
        } catch {
            preconditionFailure("BUG: the score sheet does not encode as JSON: \(error)")
        }
    }
}
