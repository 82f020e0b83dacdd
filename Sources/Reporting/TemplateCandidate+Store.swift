import Filters
import LogCore
public import LogIndexer
public import Scoring

extension TemplateCandidate {
    /// A template as the store counts it over a range, with what was measured about its events at ingest.
    public init(_ v: TemplateVolume) {
        self.init(templateId: TemplateID(rawValue: v.id).description, text: v.text, events: v.events, bytes: v.bytes,
                  maxLevel: LogLevel(rawValue: v.maxLevel) ?? .unknown, inFailureContext: v.inFailureContext)
        let traits = VariableTraits(rawValue: v.stats.traits)
        measured = TemplateMeasures(gaps: v.stats.gaps, gapSum: v.stats.gapSum, gapSquares: v.stats.gapSquares, repeats: v.stats.repeats,
                                    sketch: v.stats.sketch, identifiers: traits.contains(.identifier), amounts: traits.contains(.amount),
                                    pods: v.podCount)
        requestWithStatus = RequestTemplate.hasVariableStatus(v.text)
    }
}
