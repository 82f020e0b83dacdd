import Foundation
import LogCore

/// What the store measured about a template's events at ingest (see `TemplateStats` in LogIndexer).
public struct TemplateMeasures: Sendable, Equatable {
    /// Gaps between consecutive events of the template within one stream: count, sum and sum of squares (s, s²).
    public var gaps: Int64 = 0
    public var gapSum: Double = 0
    public var gapSquares: Double = 0
    /// Events that repeated their stream's previous event of the template (apart from numbers and times) within 1 s.
    public var repeats: Int64 = 0
    /// 64-bit linear-counting sketch of the distinct lines (apart from numbers and times).
    public var sketch: UInt64 = 0
    /// Some variable held an identifier (letters and digits, or 8+ digits).
    public var identifiers = false
    /// Some variable held a decimal with two places (an amount?).
    public var amounts = false
    /// Distinct pods (or sources) it occurred in.
    public var pods = 0

    /// Every bit set: more distinct lines than the sketch can tell apart.
    public var sketchFull: Bool { sketch == UInt64.max }

    public init(gaps: Int64 = 0, gapSum: Double = 0, gapSquares: Double = 0, repeats: Int64 = 0, sketch: UInt64 = 0,
                identifiers: Bool = false, amounts: Bool = false, pods: Int = 0) {
        self.gaps = gaps; self.gapSum = gapSum; self.gapSquares = gapSquares; self.repeats = repeats
        self.sketch = sketch; self.identifiers = identifiers; self.amounts = amounts; self.pods = pods
    }

    /// Estimated distinct lines: -64·ln(1 − set bits/64); nil when nothing was measured (a store older than
    /// schema 3) or the sketch is full (over ~250, see ``sketchFull``).
    public var distinctLines: Int? {
        let b = sketch.nonzeroBitCount
        guard b > 0, b < 64 else { return nil }
        return Int((-64 * log(1 - Double(b) / 64)).rounded())
    }
}

/// How a template's events look: the evidence that it is chatter (or business data), in numbers and words,
/// and the action it calls for.
public struct ChatterEvidence: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable {
        /// Two kinds of evidence or more, periodicity or vocabulary among them: drop it (or dedup its bursts).
        case chatter
        /// Some evidence: sample or throttle it.
        case partial
        /// No evidence beyond volume.
        case volume
        /// Its variables look like business data: sample only, listed after every other template.
        case business
    }

    public var kind: Kind
    /// Periodicity 3, vocabulary 2, low information 1, debug/trace level 1, bursts of repeats 1.
    public var score: Int
    /// Mean gap and its standard deviation (seconds) when the gaps are regular.
    public var period: (mean: Double, sd: Double)?
    public var vocabulary: String?
    public var lowInformation: Bool
    public var debugLevel: Bool
    /// Share of events repeating the previous line of their stream within 1 s.
    public var repeatShare: Double
    public var businessSignals: [String]
    /// The evidence in words, most telling first.
    public var words: [String]

    public static func == (a: ChatterEvidence, b: ChatterEvidence) -> Bool { a.kind == b.kind && a.score == b.score && a.words == b.words }

    /// Machine clients and words of probes, keepalives, scrapes and control loops (matched as whole words of
    /// the template text, lower-cased; phrases as substrings).
    static let phrases = ["kube-probe", "elb-healthchecker", "googlehc", "no changes", "nothing to do", "up to date", "up-to-date",
                          "keep-alive", "health check", "healthcheck"]
    static let vocabularyWords: Set<String> = ["health", "healthz", "healthy", "healthcheck", "ready", "readyz", "readiness", "live", "livez",
                                               "liveness", "probe", "probes", "ping", "pong", "keepalive", "heartbeat", "heartbeats",
                                               "scrape", "scraped", "scraping", "metrics", "reconcile", "reconciling", "reconciled",
                                               "prometheus", "consul", "googlehc", "alive"]
    /// Words of orders, payments, customers and model results.
    static let businessWords: Set<String> = ["order", "orders", "order_id", "orderid", "payment", "payment_id", "charge", "charged",
                                             "invoice", "customer", "customer_id", "user_id", "userid", "account_id", "cart", "checkout",
                                             "transaction", "txn", "amount", "price", "total", "currency", "usd", "eur", "gbp", "refund",
                                             "purchase", "sku", "inference", "prediction", "predicted"]

    public init(_ t: TemplateCandidate) {
        let m = t.measured
        let lower = t.text.lowercased()
        let tokens = lower.split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init)
        // Periodicity: enough gaps, at least half a second apart, spread under a quarter of the mean.
        if m.gaps >= 5 {
            let mean = m.gapSum / Double(m.gaps)
            let sd = (max(0, m.gapSquares / Double(m.gaps) - mean * mean)).squareRoot()
            if mean >= 0.5 && sd <= 0.25 * mean { period = (mean, sd) }
        }
        vocabulary = Self.phrases.first { lower.contains($0) } ?? tokens.first { Self.vocabularyWords.contains($0) }
        let distinct = m.distinctLines
        lowInformation = t.events >= 20 && (distinct.map { $0 <= 16 && Int64($0) * 10 <= t.events } ?? false)
        debugLevel = t.maxLevel != .unknown && t.maxLevel <= .debug
        repeatShare = t.events > 0 ? Double(m.repeats) / Double(t.events) : 0
        var business: [String] = []
        if let w = tokens.first(where: { Self.businessWords.contains($0) }) { business.append("'\(w)' in text") }
        if m.amounts && (!business.isEmpty || t.text.contains("$")) { business.append("amounts with two decimals") }
        let periodic = period != nil
        // Identifiers alone are weak evidence of business data: chatter vocabulary, regular gaps or debug level outweigh them.
        if m.identifiers && m.sketchFull && (!business.isEmpty || (vocabulary == nil && !periodic && !debugLevel)) {
            business.append("identifiers that rarely repeat (over 250 distinct values)")
        }
        score = (periodic ? 3 : 0) + (vocabulary != nil ? 2 : 0) + (lowInformation ? 1 : 0) + (debugLevel ? 1 : 0) + (repeatShare >= 0.3 ? 1 : 0)
        let clear = (periodic && (vocabulary != nil || lowInformation || debugLevel)) || (vocabulary != nil && (lowInformation || debugLevel))
        if !business.isEmpty && !(periodic && (vocabulary != nil || lowInformation)) {
            kind = .business
            businessSignals = business
            score = 0
        } else {
            kind = clear ? .chatter : score > 0 ? .partial : .volume
            businessSignals = []
        }
        var w: [String] = []
        if let p = period {
            w.append("every \(Self.seconds(p.mean)) ± \(Self.seconds(p.sd)) in \(m.pods) pod\(m.pods == 1 ? "" : "s")")
        } else if m.gaps >= 5 {
            w.append("irregular gaps")
        }
        if let d = distinct {
            if kind != .business || lowInformation { w.append("\(d) distinct value\(d == 1 ? "" : "s")") }
        } else if m.sketchFull && kind != .business {
            w.append("over 250 distinct values")
        }
        if let v = vocabulary { w.append("'\(v)' in text") }
        if debugLevel { w.append("\(t.maxLevel.description) level") }
        if repeatShare >= 0.3 { w.append("\(Int((repeatShare * 100).rounded()))% repeat the previous line within 1 s") }
        if kind == .business { w.append("business data: " + businessSignals.joined(separator: ", ")) }
        if kind == .volume { w.append("no chatter evidence: volume only") }
        words = w
    }

    /// "10 s", "2.5 s", "0.2 s", "0.05 s".
    static func seconds(_ s: Double) -> String {
        if s < 0.005 { return "0 s" }
        if s >= 9.95 { return "\(Int(s.rounded())) s" }
        if s >= 0.095 {
            let v = String(format: "%.1f", s)
            return (v.hasSuffix(".0") ? String(v.dropLast(2)) : v) + " s"
        }
        return String(format: "%.2f s", s)
    }
}
