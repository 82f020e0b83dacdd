import Foundation
import Hummingbird
import LogCore
import LogIndexer
import Query

/// `GET|POST /{index}/_search` and `/{index}/_count` over the store: `q=` or `query_string` (Lucene mapped
/// onto KQL), `match_all`, `match`/`term`, `range` on `@timestamp`, `bool` (must/filter/should/must_not),
/// `size`/`from`, sort by `@timestamp`, and a `date_histogram` aggregation on `@timestamp`. The index (comma
/// list, `*` wildcards, `_all`) is the `source` label. Anything else: a 400 naming what is not supported.
struct ElasticSearchAPI: Sendable {
    let env: ServerEnvironment

    struct Plan {
        var kql: [String] = []
        var fromNs = Int64.min
        var toNs = Int64.max
    }

    func count(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let (plan, _) = try await parse(request, context)
        let search = try Self.request(plan)
        let env = self.env
        let n = try await blocking { () -> Int in
            var s = search
            s.countOnly = true
            return try env.searchReader().search(s).count
        }
        return APIReply.json("{\"count\":\(n),\"_shards\":{\"total\":1,\"successful\":1,\"skipped\":0,\"failed\":0}}")
    }

    func search(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let started = DispatchTime.now().uptimeNanoseconds
        let (plan, body) = try await parse(request, context)
        let q = QueryParameters(request)
        let size = try Self.int(body["size"] ?? q["size"], "size", default: 10)
        let from = try Self.int(body["from"] ?? q["from"], "from", default: 0)
        guard size + from <= 10_000 else { throw ElasticFailure(.badRequest, "illegal_argument_exception", "Result window is too large, from + size must be less than or equal to: [10000]") }
        let ascending = try Self.ascending(body["sort"] ?? q["sort"])
        let histogram = try Self.histogram(body["aggs"] ?? body["aggregations"])
        let base = try Self.request(plan)
        let env = self.env
        let text = try await blocking { () -> String in
            let reader = try env.searchReader()
            var search = base
            var countRequest = search
            countRequest.countOnly = true
            let total = try reader.search(countRequest).count
            // The store reads newest first; oldest first takes every match (at most 10,000) and reverses.
            if ascending, total > 10_000 {
                throw ElasticFailure(.badRequest, "illegal_argument_exception", "logsift sorts by @timestamp ascending only up to 10,000 matches (\(total) match); narrow the range")
            }
            search.limit = ascending ? total : from + size
            var events = size == 0 ? [] : try reader.search(search).events
            if ascending { events.reverse() }
            let page = events.dropFirst(from).prefix(size)
            var s = "{\"timed_out\":false,\"_shards\":{\"total\":1,\"successful\":1,\"skipped\":0,\"failed\":0},"
                + "\"hits\":{\"total\":{\"value\":\(total),\"relation\":\"eq\"},\"max_score\":null,\"hits\":[" + page.map(Self.hit).joined(separator: ",") + "]}"
            if let (name, width) = histogram {
                let h = try reader.histogram(search, intervalNs: width)
                s += ",\"aggregations\":{" + JSONText.quote(name) + ":{\"buckets\":[" + h.buckets.map {
                    "{\"key_as_string\":\"\(Timestamp.rfc3339($0.startNs, fractionDigits: 3))\",\"key\":\($0.startNs / 1_000_000),\"doc_count\":\($0.count)}"
                }.joined(separator: ",") + "]}}"
            }
            return s
        }
        let ms = Int((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000)
        return APIReply.json("{\"took\":\(ms)," + text.dropFirst() + "}")
    }

    /// One hit: the stored document as `_source` (a line that is not a JSON object becomes `@timestamp` + `message`).
    static func hit(_ e: StoredEvent) -> String {
        let text = String(decoding: e.text, as: UTF8.self)
        let source = (try? JSONSerialization.jsonObject(with: Data(e.text))) is [String: Any] ? text
            : "{\"@timestamp\":\"\(Timestamp.rfc3339(e.ns, fractionDigits: 3))\",\"message\":" + JSONText.quote(text) + "}"
        let id = e.location.map { "\($0.day)-\($0.block)-\($0.index)" } ?? "\(e.ns)"
        return "{\"_index\":" + JSONText.quote(e.labels.source) + ",\"_id\":\"\(id)\",\"_score\":null,\"_source\":" + source + ",\"sort\":[\(e.ns / 1_000_000)]}"
    }

    /// The query of the body and `q=`, with the path's indices as `source`.
    func parse(_ request: Request, _ context: BasicRequestContext) async throws -> (Plan, [String: Any]) {
        let raw = try await BodyReader.collect(request, maxBytes: env.maxBodyBytes)
        var body: [String: Any] = [:]
        if raw.readableBytes > 0, !raw.readableBytesView.allSatisfy({ $0 == 32 || $0 == 10 || $0 == 13 }) {
            guard let o = (try? JSONSerialization.jsonObject(with: Data(raw.readableBytesView))) as? [String: Any] else {
                throw ElasticFailure(.badRequest, "parse_exception", "request body must be a JSON object")
            }
            body = o
        }
        for key in body.keys where !["query", "size", "from", "sort", "aggs", "aggregations", "track_total_hits", "_source", "timeout"].contains(key) {
            throw ElasticFailure(.badRequest, "illegal_argument_exception", "logsift does not support [\(key)] in a search")
        }
        var plan = Plan()
        if let index = try ElasticWrites.pathIndex(context, validate: false) { plan.kql += Self.sourceClause(index) }
        if let q = QueryParameters(request)["q"] { plan.kql.append(try Self.lucene(q)) }
        if let query = body["query"] { try Self.add(query, to: &plan, negate: false) }
        return (plan, body)
    }

    static func sourceClause(_ index: String) -> [String] {
        let names = index.split(separator: ",").map(String.init).filter { $0 != "*" && $0 != "_all" && !$0.isEmpty }
        guard !names.isEmpty, names.count == index.split(separator: ",").count else { return [] }
        return ["source:(" + names.map { $0.contains("*") ? $0 : Self.quoted($0) }.joined(separator: " or ") + ")"]
    }

    static func quoted(_ s: String) -> String { "\"" + KQL.escapeQuotes(s) + "\"" }

    static func lucene(_ s: String) throws -> String {
        do { return try LuceneQuery.toKQL(s) } catch {
            throw ElasticFailure(.badRequest, "query_shard_exception", "logsift does not support \(error.what) in query_string [\(s)]")
        }
    }

    static func add(_ query: Any, to plan: inout Plan, negate: Bool) throws {
        guard let q = query as? [String: Any], q.count == 1, let (type, arg) = q.first else {
            throw ElasticFailure(.badRequest, "parsing_exception", "a query is an object with one query type")
        }
        var clause: String?
        switch type {
        case "match_all": clause = nil
        case "query_string":
            guard let s = (arg as? [String: Any])?["query"] as? String else { throw ElasticFailure(.badRequest, "parsing_exception", "[query_string] requires query") }
            clause = try lucene(s)
        case "match", "match_phrase", "term":
            guard let o = arg as? [String: Any], o.count == 1, let (field, v) = o.first else { throw ElasticFailure(.badRequest, "parsing_exception", "[\(type)] needs one field") }
            let value = (v as? [String: Any])?[type == "term" ? "value" : "query"] ?? v
            clause = KQL.escapeKuery(field) + ":" + Self.quoted("\(value)")
        case "range":
            guard let o = arg as? [String: Any], o.count == 1, let (field, v) = o.first, field == "@timestamp", let b = v as? [String: Any], !negate else {
                throw ElasticFailure(.badRequest, "illegal_argument_exception", "logsift does not support a range query except on @timestamp")
            }
            let now = StoreIngest.nowNs()
            for (k, raw) in b {
                let t: Int64? = (raw as? NSNumber).map { Int64(truncating: $0) * 1_000_000 } ?? (raw as? String).flatMap { Timestamp.parse($0.replacingOccurrences(of: "||", with: ""), now: now) }
                guard let t else { if k == "format" || k == "time_zone" { continue }; throw ElasticFailure(.badRequest, "parse_exception", "failed to parse date field [\(raw)]") }
                switch k {
                case "gte": plan.fromNs = max(plan.fromNs, t)
                case "gt": plan.fromNs = max(plan.fromNs, t + 1)
                case "lte": plan.toNs = min(plan.toNs, t)
                case "lt": plan.toNs = min(plan.toNs, t - 1)
                default: throw ElasticFailure(.badRequest, "illegal_argument_exception", "logsift does not support [\(k)] in a range query")
                }
            }
        case "bool":
            guard let o = arg as? [String: Any] else { throw ElasticFailure(.badRequest, "parsing_exception", "[bool] must be an object") }
            for (k, v) in o {
                let list = (v as? [Any]) ?? [v]
                switch k {
                case "must", "filter": for item in list { try add(item, to: &plan, negate: negate) }
                case "must_not":
                    for item in list { var sub = Plan(); try add(item, to: &sub, negate: true); plan.kql += sub.kql.map { "not (\($0))" } }
                case "should":
                    var parts: [String] = []
                    for item in list { var sub = Plan(); try add(item, to: &sub, negate: true); parts.append(sub.kql.isEmpty ? "*" : sub.kql.map { "(\($0))" }.joined(separator: " and ")) }
                    if !parts.isEmpty, !parts.contains("*") { plan.kql.append(parts.map { "(\($0))" }.joined(separator: " or ")) }
                case "minimum_should_match", "boost": continue
                default: throw ElasticFailure(.badRequest, "illegal_argument_exception", "logsift does not support [\(k)] in a bool query")
                }
            }
        default:
            throw ElasticFailure(.badRequest, "illegal_argument_exception", "logsift does not support the [\(type)] query; use query_string, match, term, range on @timestamp or bool")
        }
        if let clause, !clause.trimmingCharacters(in: .whitespaces).isEmpty { plan.kql.append(clause) }
    }

    static func request(_ plan: Plan) throws -> SearchRequest {
        let text = plan.kql.map { "(\($0))" }.joined(separator: " and ")
        var node = QueryNode.matchAll
        if !text.isEmpty {
            do { node = try KQL.parse(text) } catch {
                throw ElasticFailure(.badRequest, "query_shard_exception", "Failed to parse query [\(text)]: \(error.message)")
            }
        }
        var r = SearchRequest(predicate: SearchPredicate(node).resolvingTimes(now: StoreIngest.nowNs()))
        r.fromNs = plan.fromNs
        r.toNs = plan.toNs
        return r
    }

    static func int(_ v: Any?, _ key: String, default d: Int) throws -> Int {
        guard let v else { return d }
        guard let n = (v as? NSNumber).map({ Int(truncating: $0) }) ?? (v as? String).flatMap({ Int($0) }), n >= 0 else {
            throw ElasticFailure(.badRequest, "illegal_argument_exception", "[\(key)] must be a non-negative number")
        }
        return n
    }

    /// Whether the sort asks for oldest first; only `@timestamp` (and `_doc`/`_score`, newest first) sort.
    static func ascending(_ sort: Any?) throws -> Bool {
        guard let sort else { return false }
        let items: [Any] = (sort as? [Any]) ?? [sort]
        var asc = false
        for item in items {
            var field = "", order = "desc"
            if let s = item as? String {
                let parts = s.split(separator: ":", maxSplits: 1).map(String.init)
                field = parts[0]; if parts.count > 1 { order = parts[1] }
            } else if let o = item as? [String: Any], let (f, v) = o.first {
                field = f
                order = (v as? String) ?? ((v as? [String: Any])?["order"] as? String) ?? "desc"
            }
            if field == "_doc" || field == "_score" { continue }
            guard field == "@timestamp" else { throw ElasticFailure(.badRequest, "illegal_argument_exception", "logsift does not support sorting by [\(field)]; sort by @timestamp") }
            asc = order.lowercased() == "asc"
        }
        return asc
    }

    /// `{name: {date_histogram: {field: "@timestamp", fixed_interval|calendar_interval|interval: …}}}`.
    static func histogram(_ aggs: Any?) throws -> (String, Int64)? {
        guard let aggs else { return nil }
        guard let o = aggs as? [String: Any], o.count == 1, let (name, spec) = o.first, let s = spec as? [String: Any],
              let dh = s["date_histogram"] as? [String: Any], s.count == 1 else {
            throw ElasticFailure(.badRequest, "illegal_argument_exception", "logsift does not support these aggregations; one date_histogram on @timestamp is supported")
        }
        guard (dh["field"] as? String) == "@timestamp" else { throw ElasticFailure(.badRequest, "illegal_argument_exception", "logsift does not support a date_histogram except on @timestamp") }
        let raw = (dh["fixed_interval"] ?? dh["calendar_interval"] ?? dh["interval"]) as? String ?? ""
        let named = ["second": "1s", "minute": "1m", "hour": "1h", "day": "1d", "1s": "1s", "1m": "1m", "1h": "1h", "1d": "1d"]
        guard let w = Timestamp.duration(named[raw] ?? raw), w > 0, !["w", "M", "q", "y"].contains(String(raw.last ?? " ")), !["week", "month", "quarter", "year"].contains(raw) else {
            throw ElasticFailure(.badRequest, "illegal_argument_exception", "logsift does not support the interval [\(raw)]; use s, m, h or d units")
        }
        return (name, w)
    }
}
