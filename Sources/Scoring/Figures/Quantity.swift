/// What a ``Quantity`` counts, which decides how it is rounded and printed.
public enum QuantityUnit: String, Codable, Sendable {
    /// Events, rollouts: whole numbers.
    case count
    /// Bytes: whole numbers, printed in decimal units.
    case bytes
    /// Money in the price currency: two decimals.
    case money
    /// A ratio in [0, 1]: four decimals, printed as a percentage.
    case ratio
    /// A multiple such as a compression ratio: two decimals, printed with `×`.
    case factor

    /// Decimals JSON keeps.
    var decimals: Int {
        switch self {
        case .count, .bytes: 0
        case .money, .factor: 2
        case .ratio: 4
        }
    }
}

/// A figure with its unit, as the numerator or denominator of a ratio; JSON carries `{unit, value}`.
public struct Quantity: Codable, Sendable, Equatable {
    public var unit: QuantityUnit
    public var value: Double

    /// A value in a unit.
    public init(_ value: Double, _ unit: QuantityUnit) {
        self.value = value
        self.unit = unit
    }

    /// A whole number of events or bytes.
    public init(_ count: Int64, _ unit: QuantityUnit = .count) { self.init(Double(count), unit) }

    /// The value as every format shows it.
    public var text: String {
        switch unit {
        case .count: FigureText.fixed(value, decimals: 0)
        case .bytes: value.magnitude < 9e15 ? FigureText.bytes(Int64(value.rounded())) : FigureText.fixed(value, decimals: 0)
        case .money: FigureText.fixed(value, decimals: 2)
        case .ratio: FigureText.percent(ofRatio: value)
        case .factor: FigureText.fixed(value, decimals: 2) + "×"
        }
    }

    private enum CodingKeys: String, CodingKey { case unit, value }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        unit = try c.decode(QuantityUnit.self, forKey: .unit)
        value = try c.decode(Double.self, forKey: .value)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(unit, forKey: .unit)
        try c.encode(FigureText.rounded(value, decimals: unit.decimals), forKey: .value)
    }
}
