/// Transparency (scoring.md): 5 · R, R = 0.35·T1 + 0.25·T2 + 0.20·T3 + 0.10·T4 + 0.10·T5 with n/a reweighting.
public struct TransparencyScore: Codable, Sendable, Equatable {
    /// T1–T5 with their figures and weights, and R.
    public var ratios: WeightedRatio
    /// 5 · R, or nil when no ratio could be measured.
    @RoundedOrNA<TwoDecimals> public var points: Double?

    init(_ x: ScoreInputs, _ w: TransparencyWeights) {
        let noFailures = x.failureEvents == 0 ? "no failure events in range" : nil
        ratios = WeightedRatio([
            RatioComponent(id: "T1", name: "traceability", formula: .share, numerator: Quantity(x.failuresTraced),
                           denominator: Quantity(x.failureEvents), weight: w.traceability, notApplicable: noFailures),
            RatioComponent(id: "T2", name: "context retained", formula: .share, numerator: Quantity(x.failuresWithFullContext),
                           denominator: Quantity(x.failureEvents), weight: w.context, notApplicable: noFailures),
            RatioComponent(id: "T3", name: "deployment visibility", formula: .share, numerator: Quantity(x.rolloutsWithVisibleStart),
                           denominator: Quantity(x.rollouts), weight: w.visibility,
                           notApplicable: x.rollouts == 0 ? "no rollouts in range" : nil),
            RatioComponent(id: "T4", name: "completeness", formula: .share, numerator: Quantity(x.eventsStoredWhole),
                           denominator: Quantity(x.storedEvents), weight: w.completeness,
                           notApplicable: x.storedEvents == 0 ? "no events stored in range" : nil),
            RatioComponent(id: "T5", name: "structure", formula: .share, numerator: Quantity(x.eventsStructured),
                           denominator: Quantity(x.storedEvents), weight: w.structure,
                           notApplicable: x.storedEvents == 0 ? "no events stored in range" : nil),
        ])
        points = ratios.ratio.map { 5 * $0 }
    }
}
