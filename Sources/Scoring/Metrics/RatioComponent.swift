/// How a component ratio is formed from its numerator n and denominator d.
public enum RatioFormula: String, Codable, Sendable {
    /// n / d: a share.
    case share = "n / d"
    /// 1 − n / d, clamped to [0, 1].
    case complement = "1 - n / d"
    /// min(1, n / d); 1 when d is 0.
    case cappedQuotient = "min(1, n / d)"
}

/// One ratio of a weighted group (T1–T5 or C1–C3) with the figures it is computed from, so that a reader can
/// recompute it.
public struct RatioComponent: Codable, Sendable, Equatable {
    /// The ratio's label in scoring.md: `T1` … `T5`, `C1`, `C2'`, `C3`.
    public var id: String
    /// What it measures.
    public var name: String
    public var formula: RatioFormula
    public var numerator: Quantity
    public var denominator: Quantity
    /// The ratio in [0, 1], or nil (n/a) when there is nothing to measure.
    @RoundedOrNA<FourDecimals> public var ratio: Double?
    /// Why it is n/a (empty when it is measured).
    public var notApplicableReason: String
    /// The configured weight.
    @Rounded<FourDecimals> public var weight: Double
    /// The weight after the weights of n/a ratios are spread over the measured ones in proportion; nil when n/a.
    @RoundedOrNA<FourDecimals> public var effectiveWeight: Double?
    /// effectiveWeight × ratio.
    @RoundedOrNA<FourDecimals> public var contribution: Double?

    /// A component computed from its figures; `notApplicable` (a reason) makes it n/a regardless of the figures.
    init(id: String, name: String, formula: RatioFormula, numerator: Quantity, denominator: Quantity, weight: Double, notApplicable: String? = nil) {
        self.id = id
        self.name = name
        self.formula = formula
        self.numerator = numerator
        self.denominator = denominator
        self.weight = weight
        self.effectiveWeight = nil
        self.contribution = nil
        let n = numerator.value, d = denominator.value
        if let reason = notApplicable {
            ratio = nil
            notApplicableReason = reason
            return
        }
        notApplicableReason = ""
        switch formula {
        case .share: ratio = d > 0 ? min(1, max(0, n / d)) : nil
        case .complement: ratio = d > 0 ? min(1, max(0, 1 - n / d)) : nil
        case .cappedQuotient: ratio = d > 0 ? min(1, max(0, n / d)) : 1
        }
        if ratio == nil { notApplicableReason = "nothing to measure (\(denominator.text) in the denominator)" }
    }
}

/// Weighted ratios combined as scoring.md says: Σ weight·ratio over the measured ratios, where the weight of an
/// n/a ratio is spread over the others in proportion to theirs.
public struct WeightedRatio: Codable, Sendable, Equatable {
    public var components: [RatioComponent]
    /// The combined ratio in [0, 1], or nil when no ratio with a positive weight was measured.
    @RoundedOrNA<FourDecimals> public var ratio: Double?

    init(_ parts: [RatioComponent]) {
        let measuredWeight = parts.filter { $0.ratio != nil }.reduce(0.0) { $0 + $1.weight }
        components = parts.map { c in
            var c = c
            if let r = c.ratio, measuredWeight > 0 {
                c.effectiveWeight = c.weight / measuredWeight
                c.contribution = c.weight / measuredWeight * r
            }
            return c
        }
        ratio = measuredWeight > 0 ? components.compactMap(\.contribution).reduce(0, +) : nil
    }

    /// The component with a given id.
    public subscript(id: String) -> RatioComponent? { components.first { $0.id == id } }

    /// The ids of the n/a components.
    public var notApplicableIDs: [String] { components.filter { $0.ratio == nil }.map(\.id) }
}
