import LogCore
import Testing
@testable import Scoring

@Suite struct IsoWeekTests {
    func ns(_ y: Int, _ m: Int, _ d: Int, hour: Int = 0) -> Int64 {
        Int64(Timestamp.daysFromCivil(year: y, month: m, day: d)) * day + Int64(hour) * 3_600_000_000_000
    }

    // date, its ISO week
    static let weeksOfDates: [((Int, Int, Int), String)] = [
        ((2026, 11, 26), "2026-W48"),  // a Thursday
        ((2026, 11, 23), "2026-W48"),  // its Monday
        ((2026, 11, 22), "2026-W47"),  // the Sunday before
        ((2026, 1, 1), "2026-W01"),  // 2026 starts on a Thursday: week 1 holds 1 January
        ((2025, 12, 29), "2026-W01"),  // so the Monday before, in 2025, is in 2026-W01
        ((2026, 12, 31), "2026-W53"),  // and 2026 has 53 weeks
        ((2027, 1, 3), "2026-W53"),  // Sunday 3 January 2027 still belongs to 2026-W53
        ((2027, 1, 4), "2027-W01"),
        ((2021, 1, 3), "2020-W53"),  // 2020: leap year starting on a Wednesday, 53 weeks
        ((2024, 12, 30), "2025-W01"),  // Monday 30 December 2024
        ((2010, 1, 3), "2009-W53"),
        ((2008, 12, 29), "2009-W01"),
        ((1970, 1, 1), "1970-W01"),  // a Thursday
        ((1969, 12, 29), "1970-W01"),  // before the epoch
    ]

    @Test(arguments: weeksOfDates.indices)
    func weekOfADate(_ i: Int) {
        let ((y, m, d), expected) = Self.weeksOfDates[i]
        #expect(IsoWeek(containing: ns(y, m, d, hour: 13)).description == expected)
        #expect(IsoWeek(containing: ns(y, m, d)).description == expected)
    }

    @Test func weeksInYear() {
        #expect([2015, 2020, 2026, 2032, 2037].allSatisfy { IsoWeek.weeks(inYear: $0) == 53 })
        #expect([2019, 2021, 2024, 2025, 2027].allSatisfy { IsoWeek.weeks(inYear: $0) == 52 })
    }

    @Test func startAndEndAreMondaysInUTC() throws {
        let w = try #require(IsoWeek("2026-W48"))
        #expect(w.startNs == ns(2026, 11, 23))
        #expect(w.endNs == ns(2026, 11, 30))
        let first = try #require(IsoWeek("2026-W01"))
        #expect(first.startNs == ns(2025, 12, 29))
        let last = try #require(IsoWeek("2026-W53"))
        #expect(last.endNs == ns(2027, 1, 4))
        #expect(last.next.description == "2027-W01")
        #expect(first.previous.description == "2025-W52")
        #expect(IsoWeek("2021-W01")!.previous.description == "2020-W53")
    }

    @Test func parsing() {
        #expect(IsoWeek("2026-W05") == IsoWeek(year: 2026, week: 5))
        #expect(IsoWeek("2026W05") == IsoWeek(year: 2026, week: 5))
        #expect(IsoWeek("2026-w05") == IsoWeek(year: 2026, week: 5))
        #expect(IsoWeek("2020-W53") != nil)
        for bad in ["2025-W53", "2026-W54", "2026-W00", "2026-W5", "26-W05", "+202-W05", "2026-05", "2026-W05x", "", "2026-W٠٥"] {
            #expect(IsoWeek(bad) == nil, "\(bad)")
        }
    }

    @Test func lastCompleteWeek() {
        // On Thursday 2026-11-26 the last complete week is 2026-W47; at Monday 00:00 the week just ended counts.
        #expect(IsoWeek.lastComplete(before: ns(2026, 11, 26, hour: 9)).description == "2026-W47")
        #expect(IsoWeek.lastComplete(before: ns(2026, 11, 23)).description == "2026-W47")
        #expect(IsoWeek.lastComplete(before: ns(2026, 11, 23) - 1).description == "2026-W46")
        // Across the year boundary: on 1 January 2027 (in 2026-W53) the last complete week is 2026-W52;
        // on Monday 4 January 2027 it is 2026-W53.
        #expect(IsoWeek.lastComplete(before: ns(2027, 1, 1)).description == "2026-W52")
        #expect(IsoWeek.lastComplete(before: ns(2027, 1, 4, hour: 1)).description == "2026-W53")
    }

    @Test func rangesAndTheirPredecessors() throws {
        let w = try #require(IsoWeek("2026-W01"))
        let r = ReportRange(week: w)
        #expect(r.previous.week?.description == "2025-W52")
        #expect(r.label == "2026-W01 (2025-12-29 – 2026-01-04)")
        #expect(ReportRange(fromNs: w.startNs, toNs: w.endNs).week == w)
        let custom = ReportRange(fromNs: ns(2026, 11, 24), toNs: ns(2026, 11, 26, hour: 12))
        #expect(custom.week == nil)
        #expect(custom.previous.fromNs == ns(2026, 11, 21, hour: 12) && custom.previous.toNs == custom.fromNs)
        #expect(custom.days == 2.5)
    }
}
