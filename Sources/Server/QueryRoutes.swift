import Foundation
import Hummingbird
import LogCore
import LogIndexer
import Query
import Reporting
import Scoring

/// The query endpoints: the same reader calls as `logsift search/failures/deployments/stats/score/report`.
struct QueryRoutes: Sendable {
    let env: ServerEnvironment

    /// `GET /api/v1/search?q=&from=&to=&limit=&context=`: events newest first, with context when asked.
    func search(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let p = QueryParameters(request)
        let now = QueryParameters.nowNs()
        var request = try p.searchRequest(now: now)
        request.limit = try p.int("limit", default: 100, max: 10_000)
        let search = request
        let around = try p.int("context", default: 0, max: 100)
        let env = self.env
        let text = try await blocking {
            let reader = try env.searchReader()
            let result = try reader.search(search)
            var parts: [String] = []
            for e in result.events {
                if around > 0 {
                    let c = try reader.context(of: e, before: around, after: around)
                    parts.append(e.json(before: c.before, after: c.after))
                } else {
                    parts.append(e.json)
                }
            }
            return "{\"count\":\(result.count),\"events\":[" + parts.joined(separator: ",") + "]}"
        }
        return APIReply.json(text)
    }

    /// `GET /api/v1/histogram?q=&from=&to=&interval=&by=level`: matches per time bucket (split by level with `by=level`).
    func histogram(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let p = QueryParameters(request)
        let now = QueryParameters.nowNs()
        let search = try p.searchRequest(now: now)
        var interval: Int64?
        if let i = p["interval"] {
            guard let w = Timestamp.duration(i), w > 0 else { throw APIFailure(.badRequest, "invalid interval '\(i)'; use e.g. 1m, 1h, 1d") }
            interval = w
        }
        let width = interval
        let byLevel = p["by"] == "level"
        if let by = p["by"], by != "level" { throw APIFailure(.badRequest, "by must be 'level'") }
        let env = self.env
        let text = try await blocking {
            let reader = try env.searchReader()
            let w = try width ?? {
                let stats = try reader.stats()
                let lo = search.fromNs == Int64.min ? (stats.oldestNs ?? now) : search.fromNs
                let hi = search.toNs == Int64.max ? (stats.newestNs ?? now) : search.toNs
                let span = max(1, hi - lo)
                let steps: [Int64] = [1, 5, 10, 30, 60, 300, 900, 1800, 3600, 10800, 43200, 86400, 604800].map { $0 * 1_000_000_000 }
                return steps.first { span / $0 <= 60 } ?? steps.last!
            }()
            let h = try reader.histogram(search, intervalNs: w)
            // by=level: each bucket's count split by level (one histogram per level, each the query and that level).
            var levels: [(LogLevel, [Int64: Int])] = []
            if byLevel {
                for level in LogLevel.allCases {
                    var one = search
                    one.predicate = .and([search.predicate, .match(field: "level", .phrase(level.description))])
                    let counts = try reader.histogram(one, intervalNs: w).buckets.filter { $0.count > 0 }
                    if !counts.isEmpty { levels.append((level, Dictionary(counts.map { ($0.startNs, $0.count) }, uniquingKeysWith: +))) }
                }
            }
            let buckets = h.buckets.map { b in
                var s = "{\"start\":\"\(Timestamp.rfc3339(b.startNs, fractionDigits: 0))\",\"start_ms\":\(Timestamp.floorDiv(b.startNs, 1_000_000)),\"count\":\(b.count)"
                if byLevel {
                    s += ",\"levels\":{" + levels.compactMap { l, c in c[b.startNs].map { "\"\(l)\":\($0)" } }.joined(separator: ",") + "}"
                }
                return s + "}"
            }
            return "{\"interval_seconds\":\(w / 1_000_000_000),\"total\":\(h.total),\"method\":\"\(h.method)\",\"buckets\":[\(buckets.joined(separator: ","))]}"
        }
        return APIReply.json(text)
    }

    /// `GET /api/v1/failures?deployment=&from=&to=&limit=`: failure groups.
    func failures(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let p = QueryParameters(request)
        let (fromNs, toNs) = try p.range(now: QueryParameters.nowNs())
        let limit = try p.int("limit", default: 50, max: 10_000)
        let deployment = p["deployment"]
        let env = self.env
        let groups = try await blocking {
            try env.deploymentReader().failureGroups(deployment: deployment, fromNs: fromNs, toNs: toNs, limit: limit)
        }
        return APIReply.json("{\"groups\":" + (try APIReply.encode(groups)) + "}")
    }

    /// `GET /api/v1/deployments?deployment=&from=&to=`: rollouts.
    func deployments(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let p = QueryParameters(request)
        let (fromNs, toNs) = try p.range(now: QueryParameters.nowNs())
        let deployment = p["deployment"]
        let env = self.env
        let rollouts = try await blocking { try env.deploymentReader().rollouts(deployment: deployment, fromNs: fromNs, toNs: toNs) }
        return APIReply.json("{\"rollouts\":" + (try APIReply.encode(rollouts)) + "}")
    }

    /// `GET /api/v1/stats`: totals, sizes and noise rule counts.
    func stats(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let env = self.env
        let stats = try await blocking { try env.searchReader().stats() }
        return APIReply.json(try APIReply.encode(stats))
    }

    /// `GET /api/v1/score?week=|from=&to=&deployment=`: the scorecards as `logsift score --json` prints them.
    func score(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let p = QueryParameters(request)
        let now = QueryParameters.nowNs()
        let deployment = p["deployment"]
        let config = env.scoring
        let range = try p.reportRange(now: now, defaultLastWeek: false)
        do {
            let text = try await blocking {
                let reader = try env.scoreReader()
                let (fromNs, toNs) = try range.resolve(reader: reader, now: now)
                return try ScoreSheet.read(from: reader, fromNs: fromNs, toNs: toNs, deployment: deployment, config: config, nowNs: now).json
            }
            return APIReply.json(text)
        } catch let e as ScoreSheet.UnknownDeployment {
            throw APIFailure(.notFound, e.description)
        }
    }

    /// `GET /api/v1/report?format=json|md|html&week=|from=&to=`: the weekly report (default the last complete week).
    func report(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let p = QueryParameters(request)
        let now = QueryParameters.nowNs()
        let f = p["format"] ?? "json"
        guard let format = ReportFormat(rawValue: f) else { throw APIFailure(.badRequest, "unknown format '\(f)'; use json, md or html") }
        let range = try p.reportRange(now: now, defaultLastWeek: true)
        let (dir, config) = (env.storeName, env.scoring)
        let text = try await blocking {
            let reader = try env.scoreReader()
            let (fromNs, toNs) = try range.resolve(reader: reader, now: now)
            let r = ReportRange(fromNs: fromNs, toNs: toNs)
            return format.render(try WeeklyReport.read(from: reader, range: r, config: config, nowNs: now, dataDirectory: dir))
        }
        switch format {
        case .json: return APIReply.json(text)
        case .markdown: return APIReply.text(text, contentType: "text/markdown; charset=utf-8")
        case .html:
            var r = APIReply.text(text, contentType: "text/html; charset=utf-8")
            r.headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
            return r
        }
    }
}

/// Query-string parameters of the query API, with errors a client can act on.
struct QueryParameters {
    let values: [String: String]

    init(_ request: Request) {
        var v: [String: String] = [:]
        // Form encoding, as browsers' URLSearchParams write it: '+' is a space (a plus sign comes as %2B).
        for (k, value) in request.uri.queryParameters {
            let raw = String(value).replacingOccurrences(of: "+", with: " ")
            v[String(k)] = raw.removingPercentEncoding ?? raw
        }
        values = v
    }

    init(values: [String: String]) { self.values = values }

    subscript(_ key: String) -> String? { values[key].flatMap { $0.isEmpty ? nil : $0 } }

    func int(_ key: String, default d: Int, max m: Int) throws -> Int {
        guard let s = self[key] else { return d }
        guard let n = Int(s), n >= 0 else { throw APIFailure(.badRequest, "\(key) must be a number from 0 to \(m)") }
        return min(n, m)
    }

    /// A time: RFC 3339, a date, `now`, `now-7d`, or a bare duration meaning that long ago.
    func time(_ key: String, now: Int64) throws -> Int64? {
        guard let s = self[key] else { return nil }
        if let d = Timestamp.duration(s) { return now - d }
        guard let t = Timestamp.parse(s, now: now) else {
            throw APIFailure(.badRequest, "invalid \(key) '\(s)'; use RFC 3339 (2026-11-20T10:00:00Z), a date or now-7d")
        }
        return t
    }

    func range(now: Int64) throws -> (Int64, Int64) {
        (try time("from", now: now) ?? Int64.min, try time("to", now: now) ?? Int64.max)
    }

    /// `q` parsed as KQL (a parse error answers 400 with the caret position) and the `from`/`to` range.
    func searchRequest(now: Int64) throws -> SearchRequest {
        let q = self["q"] ?? ""
        var node = QueryNode.matchAll
        if !q.trimmingCharacters(in: .whitespaces).isEmpty {
            switch Self.parse(q) {
            case .success(let n): node = n
            case .failure(let e):
                throw APIFailure(.badRequest, e.message, extra: [("query", JSONText.quote(e.query)), ("position", "\(e.column)"),
                                                                ("caret", JSONText.quote(e.description))])
            }
        }
        let predicate = SearchPredicate(node)
        if let bad = predicate.invalidTimes.first {
            throw APIFailure(.badRequest, "'\(bad)' is not a time; use RFC 3339 (2026-11-20T10:00:00Z), a date, or now-1h",
                             extra: [("query", JSONText.quote(q))])
        }
        var r = SearchRequest(predicate: predicate.resolvingTimes(now: now))
        (r.fromNs, r.toNs) = try range(now: now)
        return r
    }

    /// The range of score and report: `week`, or `from`/`to` ([from, to)); by default all data, or the last complete week.
    func reportRange(now: Int64, defaultLastWeek: Bool) throws -> ReportSpan {
        if let w = self["week"] {
            guard self["from"] == nil, self["to"] == nil else { throw APIFailure(.badRequest, "week cannot be combined with from or to") }
            guard let week = IsoWeek(w) else { throw APIFailure(.badRequest, "invalid week '\(w)'; use an ISO week like 2026-W47") }
            return ReportSpan(fromNs: week.startNs, toNs: week.endNs)
        }
        let (f, t) = try range(now: now)
        if defaultLastWeek, f == Int64.min, t == Int64.max {
            let week = IsoWeek.lastComplete(before: now)
            return ReportSpan(fromNs: week.startNs, toNs: week.endNs)
        }
        if f != Int64.min, t != Int64.max, f >= t { throw APIFailure(.badRequest, "the range is empty: from must be before to") }
        return ReportSpan(fromNs: f, toNs: t)
    }

    static func nowNs() -> Int64 { StoreIngest.nowNs() }

    static func parse(_ q: String) -> Result<QueryNode, QuerySyntaxError> {
        do { return .success(try KQL.parse(q)) } catch { return .failure(error) }
    }
}

/// A score/report range whose open ends become the store's oldest event and now.
struct ReportSpan: Sendable {
    var fromNs: Int64
    var toNs: Int64

    func resolve(reader: any LogReader, now: Int64) throws -> (Int64, Int64) {
        var (f, t) = (fromNs, toNs)
        if f == Int64.min || t == Int64.max {
            let stats = try reader.stats()
            if f == Int64.min { f = stats.oldestNs ?? now }
            if t == Int64.max { t = max(now, (stats.newestNs ?? now) + 1) }
        }
        guard f < t else { throw APIFailure(.badRequest, "the range is empty: from must be before to") }
        return (f, t)
    }
}
