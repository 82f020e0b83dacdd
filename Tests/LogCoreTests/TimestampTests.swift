import Testing
@testable import LogCore

@Suite struct TimestampTests {
    @Test(arguments: [
        ("2016-10-06T00:17:09.669794202Z", Int64(1_475_713_029_669_794_202)),
        ("2016-10-06T00:17:09Z", Int64(1_475_713_029_000_000_000)),
        ("2016-10-06T02:17:09.5+02:00", Int64(1_475_713_029_500_000_000)),
        ("2016-10-06 00:17:09,250", Int64(1_475_713_029_250_000_000)),
        ("1970-01-01T00:00:00Z", Int64(0)),
        ("2026-11-26", Int64(1_795_651_200_000_000_000)),
        ("1475713029.5", Int64(1_475_713_029_500_000_000)),
        ("1475713029500", Int64(1_475_713_029_500_000_000)),
        ("2024-02-29", Int64(1_709_164_800_000_000_000)),
        ("2000-02-29T00:00:00Z", Int64(951_782_400_000_000_000)),
    ])
    func parses(text: String, ns: Int64) {
        #expect(Timestamp.parse(text) == ns)
    }

    @Test(arguments: ["", "hi!", "2016-13-06T00:17:09Z", "2016-10-06T25:17:09Z", "2016-10-06T00:17", "2016-10-06T00:17:09.Z",
                             "2025-13-45", "2025-02-29", "2025-02-30T00:00:00Z", "2024-04-31T10:00:00Z", "1900-02-29", "2026-00-10", "2026-01-00"])
    func rejects(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    /// Found by the libFuzzer targets (decode through JSON and logfmt times, kql through `time > N`): epoch
    /// numbers past 2262 overflowed the nanosecond arithmetic and trapped.
    @Test func epochNumbersPastInt64NanosecondsAreNoTime() {
        func epoch(_ s: String) -> Int64? { var b = Array(s.utf8); return b.withUnsafeMutableBufferPointer { Timestamp.parseEpoch(UnsafeBufferPointer($0)) } }
        for s in ["9999999999", "9223372037", "99999999999.5", "99999999999999", "99999999999999999", "9223372036854775808",
                  "9999999999999999999", "99999999999999999999"] {
            #expect(epoch(s) == nil, "\(s)")
            #expect(Timestamp.parse(s) == nil, "\(s)")
        }
        #expect(epoch("9223372036") == 9_223_372_036_000_000_000)
        #expect(epoch("9223372036.854775807") == Int64.max)
        #expect(epoch("9223372036854775807") == Int64.max)
        #expect(epoch("1763546400.5") == 1_763_546_400_500_000_000)
        #expect(epoch("1763546400500") == 1_763_546_400_500_000_000)
    }

    /// Date math as in Kibana; past the Int64 range it is no time (`now+106750d` trapped: found by replaying a
    /// crafted input through the kql fuzz target).
    @Test func dateMathStaysInRange() {
        let now: Int64 = 1_763_546_400_123_000_000  // 2025-11-19T10:00:00.123Z
        #expect(Timestamp.parse("now", now: now) == now)
        #expect(Timestamp.parse("now-1h", now: now) == now - 3_600_000_000_000)
        #expect(Timestamp.parse("now+30s", now: now) == now + 30_000_000_000)
        #expect(Timestamp.parse("now/d", now: now) == 1_763_510_400_000_000_000)
        #expect(Timestamp.parse("now-1d/d", now: now) == 1_763_424_000_000_000_000)
        #expect(Timestamp.parse("now/d", now: -1) == -86_400_000_000_000)
        for s in ["now+106750d", "now+15250w", "now+9223372036854ms"] { #expect(Timestamp.parse(s, now: now) == nil, "\(s)") }
        #expect(Timestamp.parse("now-106750d/w", now: -now) == nil)
        #expect(Timestamp.parse("now-106750d", now: now) == now - 106_750 * 86_400_000_000_000)
    }

    /// Four-digit years outside 1677...2262 do not fit Int64 nanoseconds: no time, not a trap (found by the decode
    /// fuzz target in an access log's `[19/Nov/1012:…]`; `time > 9999-12-31` in a query did the same).
    @Test func datesOutsideTheInt64RangeAreNoTime() {
        func clf(_ s: String) -> Int64? { var b = Array(s.utf8); return b.withUnsafeMutableBufferPointer { Timestamp.findCLF(UnsafeBufferPointer($0)) } }
        #expect(clf(#"10.0.0.1 - - [19/Nov/2025:10:00:02 +0000] "GET / HTTP/1.1" 200 2"#) == 1_763_546_402_000_000_000)
        #expect(clf(#"10.0.0.1 - - [19/Nov/2025:12:00:02 +0200] "GET / HTTP/1.1" 200 2"#) == 1_763_546_402_000_000_000)
        for year in ["1012", "1676", "2263", "9999", "0000"] {
            #expect(clf("10.0.0.1 - - [19/Nov/\(year):10:00:02 +0000] \"GET / HTTP/1.1\" 200 2") == nil, "\(year)")
        }
        #expect(Timestamp.parse("2025-11-19") == 1_763_510_400_000_000_000)
        for date in ["9999-12-31", "1012-11-19", "2263-01-01", "0000-01-01"] { #expect(Timestamp.parse(date) == nil, "\(date)") }
    }

    @Test func formatsRoundTrip() {
        for ns: Int64 in [0, 1_475_713_029_669_794_202, 1_795_651_200_000_000_001, -1_000_000_000] {
            #expect(Timestamp.parse(Timestamp.rfc3339(ns)) == ns)
        }
        #expect(Timestamp.rfc3339(1_475_713_029_669_794_202, fractionDigits: 3) == "2016-10-06T00:17:09.669Z")
    }

    @Test func civilDatesRoundTrip() {
        for days in stride(from: -800_000, to: 800_000, by: 997) {
            let (y, m, d) = Timestamp.civil(fromDays: days)
            #expect(Timestamp.daysFromCivil(year: y, month: m, day: d) == days)
        }
    }

    @Test func syslogAndKlogInferTheYear() {
        let ref = Timestamp.parse("2026-11-19T12:00:00Z")!
        var a = Array("Nov 19 10:00:55 node-a kubelet".utf8)
        let r = a.withUnsafeMutableBufferPointer { Timestamp.parseSyslogTime(UnsafeBufferPointer($0), from: 0, referenceNs: ref) }
        #expect(r?.ns == Timestamp.parse("2026-11-19T10:00:55Z"))
        // December lines read in January belong to the previous year.
        let jan = Timestamp.parse("2027-01-02T00:00:00Z")!
        var k = Array("1231 23:59:59.500000".utf8)
        let kr = k.withUnsafeMutableBufferPointer { Timestamp.parseKlogTime(UnsafeBufferPointer($0), from: 0, referenceNs: jan) }
        #expect(kr?.ns == Timestamp.parse("2026-12-31T23:59:59.5Z"))
    }
}
