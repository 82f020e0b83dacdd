import Foundation

/// The report as JSON: every number, keys sorted so that output is stable, figures rounded as the other formats
/// print them.
public enum JSONRenderer {
    /// The whole report.
    public static func render(_ r: WeeklyReport) -> String { encode(r) }

    /// One scorecard (what `logsift score --json` prints).
    public static func scorecard(_ card: Scorecard) -> String { encode(card) }

    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
        } catch {
            preconditionFailure("BUG: the report does not encode as JSON: \(error)")
        }
    }
}
