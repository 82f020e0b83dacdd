import Foundation
import Testing
@testable import Scoring

@Suite struct FigureTextTests {
    @Test func fixedDecimals() {
        #expect(FigureText.fixed(4.375, decimals: 2) == "4.38")
        #expect(FigureText.fixed(5, decimals: 2) == "5.00")
        #expect(FigureText.fixed(-0.5, decimals: 2) == "-0.50")
        #expect(FigureText.fixed(-0.0001, decimals: 2) == "0.00")
        #expect(FigureText.fixed(71.115, decimals: 1) == "71.1")
        #expect(FigureText.fixed(0.0625, decimals: 4) == "0.0625")
        #expect(FigureText.fixed(123456.789, decimals: 0) == "123457")
        #expect(FigureText.fixed(.nan, decimals: 2) == "n/a")
    }

    @Test func unitsAndPercentages() {
        #expect(FigureText.bytes(999) == "999 B")
        #expect(FigureText.bytes(1_500) == "1.50 kB")
        #expect(FigureText.bytes(12_345_678) == "12.35 MB")
        #expect(FigureText.bytes(70_000_000_000) == "70.00 GB")
        #expect(FigureText.bytes(2_000_000_000_000) == "2.00 TB")
        #expect(FigureText.percent(ofRatio: 0.071428571) == "7.14%")
        #expect(FigureText.percent(ofRatio: nil) == "n/a")
        #expect(FigureText.change(16.66666) == "+16.7%")
        #expect(FigureText.change(-3) == "-3.0%")
        #expect(FigureText.change(0.01) == "0.0%")
        #expect(FigureText.time(weekStart) == "2026-11-16T00:00:00Z")
    }

    struct Probe: Codable { @Rounded<TwoDecimals> var points: Double; @RoundedOrNA<FourDecimals> var ratio: Double? }

    @Test(arguments: [0.0, 4.375, 2.1979166666, 0.1633333333, 71.1153066, 1e-7, 123.455, 0.30000000000000004, 5 * exp(-0.5)])
    func jsonCarriesExactlyThePrintedNumber(_ v: Double) throws {
        let p = Probe(points: v, ratio: v)
        let json = String(decoding: try JSONEncoder().encode(p), as: UTF8.self)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Double])
        #expect(object["points"] == Double(p.$points), "\(json)")
        #expect(object["ratio"] == Double(p.$ratio), "\(json)")
        let decoded = try JSONDecoder().decode(Probe.self, from: Data(json.utf8))
        #expect(FigureText.fixed(decoded.points, decimals: 2) == p.$points)
        #expect(FigureText.fixed(decoded.ratio!, decimals: 4) == p.$ratio)
        #expect(try JSONDecoder().decode(Probe.self, from: Data(#"{"points":1,"ratio":null}"#.utf8)).ratio == nil)
    }
}
