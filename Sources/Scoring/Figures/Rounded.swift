/// A number of decimal places, as a type, so that a figure's precision is part of its declaration.
public protocol DecimalPlaces: Sendable {
    static var count: Int { get }
}

/// One decimal place (totals out of 100, percentages).
public enum OneDecimal: DecimalPlaces { public static let count = 1 }
/// Two decimal places (points, money, weights).
public enum TwoDecimals: DecimalPlaces { public static let count = 2 }
/// Three decimal places (rates such as GB/day or events per pod-day).
public enum ThreeDecimals: DecimalPlaces { public static let count = 3 }
/// Four decimal places (ratios in [0, 1] and their weights).
public enum FourDecimals: DecimalPlaces { public static let count = 4 }

/// A measured figure that every format shows at `Places` decimals.
///
/// The value keeps full precision in memory (scores are computed from it); JSON encodes it rounded with
/// ``FigureText/rounded(_:decimals:)`` and `$figure` is the text Markdown and HTML print, so the three
/// formats always show the same number.
@propertyWrapper
public struct Rounded<Places: DecimalPlaces>: Codable, Sendable, Hashable {
    public var wrappedValue: Double

    /// Wraps a value at full precision.
    public init(wrappedValue: Double) { self.wrappedValue = wrappedValue }

    /// The figure as text with exactly `Places.count` decimals.
    public var projectedValue: String { FigureText.fixed(wrappedValue, decimals: Places.count) }

    public init(from decoder: any Decoder) throws {
        wrappedValue = try decoder.singleValueContainer().decode(Double.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(FigureText.rounded(wrappedValue, decimals: Places.count))
    }
}

/// A figure that may be "n/a" (nothing to measure): `null` in JSON, `n/a` in text.
@propertyWrapper
public struct RoundedOrNA<Places: DecimalPlaces>: Codable, Sendable, Hashable {
    public var wrappedValue: Double?

    /// Wraps a value at full precision, or nil for n/a.
    public init(wrappedValue: Double?) { self.wrappedValue = wrappedValue }

    /// The figure as text with exactly `Places.count` decimals, or `n/a`.
    public var projectedValue: String { wrappedValue.map { FigureText.fixed($0, decimals: Places.count) } ?? FigureText.notApplicable }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        wrappedValue = c.decodeNil() ? nil : try c.decode(Double.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        if let v = wrappedValue { try c.encode(FigureText.rounded(v, decimals: Places.count)) } else { try c.encodeNil() }
    }
}
