import CSQLite
import LogCore
import LogIndexer
import Query

/// `kql`: the bytes as a query.
///
/// - The parser either returns a tree or a ``QuerySyntaxError`` whose column lies inside the query.
/// - A tree prints back (both printer styles) to text that parses to the same tree, as `KQLFuzzTests` and
///   `KQLRoundTripTests` assert; a value read alone (`KQL.parseLiteral`) prints back to the same value.
/// - The search predicate built from the tree is evaluated on fixed events and on an event whose text is the
///   query itself, and every shortcut the store takes before the exact test agrees with it on those events:
///   label pruning (`onLabels`), the histogram's labels-and-level answer, the block summary test, the time
///   bounds, the required words and identifiers, and the FTS5 expression (run by SQLite on the event's terms).
enum KQLTarget {
    static let now: Int64 = 1_763_546_400_000_000_000  // 2025-11-19T10:00:00Z

    static func run(_ data: UnsafeRawBufferPointer) {
        let text = String(decoding: data, as: UTF8.self)
        literal(text)
        let node: QueryNode
        do throws(QuerySyntaxError) {
            node = try KQL.parse(text)
        } catch {
            FuzzCheck.that(error.column >= 0 && error.column <= text.utf16.count,
                           "error column \(error.column) outside the query \(text.debugDescription) (\(text.utf16.count) UTF-16 units)")
            FuzzCheck.that(!error.message.isEmpty, "empty error message for \(text.debugDescription)")
            _ = error.description
            return
        }
        for style in [KQLPrinter.Style.minimal, .kibana] {
            let printed = KQLPrinter.print(node, style: style)
            let back = try? KQL.parse(printed)
            FuzzCheck.that(back == node, "\(text.debugDescription) parsed to \(node), printed (\(style)) as \(printed.debugDescription), "
                + "which parses to \(back.map { "\($0)" } ?? "an error")")
        }
        _ = node.hasFreeText
        search(SearchPredicate(node), query: text)
    }

    /// A value alone, as the value of a `field:value` or a range.
    static func literal(_ text: String) {
        guard let value = try? KQL.parseLiteral(text) else { return }
        let printed = KQLPrinter.print(value)
        let back = try? KQL.parseLiteral(printed)
        FuzzCheck.that(back == value, "literal \(text.debugDescription) read as \(value), printed as \(printed.debugDescription), read back as "
            + "\(back.map { "\($0)" } ?? "an error")")
    }

    static func search(_ raw: SearchPredicate, query: String) {
        // As `logsift search` and the HTTP API do: refuse unreadable times, resolve date math against now.
        guard raw.invalidTimes.isEmpty else { return }
        let p = raw.resolvingTimes(now: now)
        let compiled = CompiledPredicate(p)
        let fts = IndexPlan.ftsExpression(p)
        let identifiers = IndexPlan.requiredIdentifiers(p)
        let required = IndexPlan.requiredText(p).map { TextMatcher(.phrase($0)) }
        let bounds = IndexPlan.timeBounds(p)
        _ = compiled.decidedByLabelsAndLevel(events.map(\.labels))
        var own = StoredEvent(labels: StreamLabels(source: "fuzz"), ns: now, level: .unknown, flags: [], format: .plain, text: Array(query.utf8))
        own.text = Array(own.text.prefix(64 << 10))
        let ftsMatches = fts.map { FTS.shared.matching($0, extra: own) }
        for (i, e) in (events + [own]).enumerated() {
            let m = compiled.matches(e)
            let what = "query \(query.debugDescription) (predicate \(p)) on event \(i)"
            if let l = compiled.onLabels(e.labels) {
                FuzzCheck.that(l || !m, "\(what): labels alone rule the event out, but it matches")
            }
            if let l = compiled.onLabelsAndLevel(e.labels, e.level) {
                FuzzCheck.that(l == m, "\(what): labels and level say \(l), the event says \(m)")
            }
            guard m else { continue }
            FuzzCheck.that(compiled.blockMayMatch(levels: 1 << Int64(e.level.rawValue), flags: Int64(e.flags.rawValue)),
                           "\(what): the block summary rules the event out, but it matches")
            FuzzCheck.that(e.ns >= bounds.from && e.ns <= bounds.to, "\(what): time bounds \(bounds) exclude the event, but it matches")
            e.text.withUnsafeBufferPointer { t in
                for r in required { FuzzCheck.that(r.occurs(in: t), "\(what): a required word is not in the event, but it matches") }
                if !identifiers.isEmpty {
                    var terms = TermSet()
                    terms.addTerms(of: t, format: e.format.rawValue)
                    let have = Set(terms.identifierHashes)
                    FuzzCheck.that(identifiers.allSatisfy(have.contains), "\(what): the Bloom filter would skip the event, but it matches")
                }
            }
            if let fts, let ftsMatches {
                switch ftsMatches {
                case .failure(let error): FuzzCheck.fail("\(what): FTS5 refuses \(fts.debugDescription): \(error.message)")
                case .success(let rows): FuzzCheck.that(rows.contains(i), "\(what): FTS5 \(fts.debugDescription) misses the event, but it matches")
                }
            }
        }
    }

    static let labels = [
        StreamLabels(source: "/var/log/pods/shop_checkout-7d9f_1/app/0.log", namespace: "shop", pod: "checkout-7d9f8b6c5-x2x9q",
                     container: "app", stream: "stdout", deployment: "checkout", version: "7d9f8b6c5"),
        StreamLabels(source: "stdin"),
        StreamLabels(source: "node-1.log", namespace: "kube-system", pod: "kube-proxy-abcde", container: "kube-proxy", stream: "stderr"),
    ]

    /// Events of several formats, levels and flags (the query-derived event comes last, index `events.count`).
    static let events: [StoredEvent] = {
        func e(_ l: Int, _ ns: Int64, _ level: LogLevel, _ flags: EventFlags, _ format: BodyFormat, _ text: String, template: UInt64 = 0) -> StoredEvent {
            StoredEvent(labels: labels[l], ns: ns, level: level, flags: flags, format: format, text: Array(text.utf8), template: template)
        }
        return [
            e(0, now - 3_600_000_000_000, .error, [.failure], .json,
              #"{"level":"error","msg":"payment failed: timeout after 30s","user":{"id":42,"name":"Ann"},"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","status":503}"#,
              template: 0x1234_5678_9ABC_DEF0),
            e(0, now - 60_000_000_000, .info, [], .logfmt, #"level=info msg="GET /healthz 200" duration=1.5ms path=/healthz method=GET"#),
            e(1, now, .warn, [.multiline, .merged], .plain,
              "Traceback (most recent call last):\n  File \"a.py\", line 1, in <module>\nValueError: bad value é 😀"),
            e(2, 0, .unknown, [.truncated, .invalidUTF8, .nulBytes, .parseError], .plain, "I1119 10:00:00.000000 1 x.go:1] ok \u{0} \u{1B}[31m red"),
            e(2, -1_000_000_000, .fatal, [.rescued, .timeInherited], .klog, "F1119 10:00:00.000000 1 main.go:9] panic: out of memory (OOMKilled)"),
            e(1, Int64.max, .debug, [.capped, .badTimestamp], .json, #"{"a":{"b":[1,2,{"c":"d"}]},"n":-1e309,"s":"\u00e9\"x\\","k":null}"#),
            e(0, Int64.min, .trace, [], .syslog, "<34>1 2025-11-19T10:00:00Z host app 1 ID47 - kind=oom-killed deployment:checkout"),
        ]
    }()

    /// An in-memory FTS5 table laid out as the store's (`terms_YYYYMMDD`), holding each event's terms as the
    /// store indexes a block's: rowid `i` is event `i`.
    final class FTS: @unchecked Sendable {
        static let shared = FTS()
        private var db: OpaquePointer?
        private var match: OpaquePointer?
        private var insert: OpaquePointer?

        init() {
            guard sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK else {
                FuzzCheck.fail("cannot open an in-memory SQLite database")
            }
            exec("CREATE VIRTUAL TABLE t USING fts5(terms, content='', detail=none, columnsize=0, tokenize='ascii')")
            sqlite3_prepare_v2(db, "INSERT INTO t(t, rowid, terms) VALUES(?, ?, ?)", -1, &insert, nil)
            sqlite3_prepare_v2(db, "SELECT rowid FROM t WHERE t MATCH ?", -1, &match, nil)
            for (i, e) in events.enumerated() { row(nil, i, e) }
        }

        private func exec(_ sql: String) {
            let rc = sqlite3_exec(db, sql, nil, nil, nil)
            FuzzCheck.that(rc == SQLITE_OK, "SQLite: \(String(cString: sqlite3_errmsg(db))) in \(sql)")
        }

        /// Inserts (command nil) or deletes (command "delete", same terms) event `i`'s terms.
        private func row(_ command: String?, _ i: Int, _ e: StoredEvent) {
            var terms = TermSet()
            e.text.withUnsafeBufferPointer { terms.addTerms(of: $0, format: e.format.rawValue) }
            sqlite3_reset(insert)
            if let command { sqlite3_bind_text(insert, 1, command, -1, csqlite_transient) } else { sqlite3_bind_null(insert, 1) }
            sqlite3_bind_int64(insert, 2, Int64(i))
            _ = terms.text.withUnsafeBytes { sqlite3_bind_text(insert, 3, $0.baseAddress?.assumingMemoryBound(to: CChar.self), Int32($0.count), csqlite_transient) }
            let rc = sqlite3_step(insert)
            FuzzCheck.that(rc == SQLITE_DONE, "SQLite: \(String(cString: sqlite3_errmsg(db))) indexing event \(i)")
        }

        /// The events (rowids) whose terms satisfy `expression`, `extra` taking rowid `events.count` meanwhile.
        func matching(_ expression: String, extra: StoredEvent) -> Result<Set<Int>, FTSError> {
            row(nil, events.count, extra)
            defer { row("delete", events.count, extra) }
            sqlite3_reset(match)
            sqlite3_bind_text(match, 1, expression, -1, csqlite_transient)
            var rows = Set<Int>()
            while true {
                let rc = sqlite3_step(match)
                if rc == SQLITE_ROW { rows.insert(Int(sqlite3_column_int64(match, 0))); continue }
                if rc == SQLITE_DONE { return .success(rows) }
                return .failure(FTSError(message: String(cString: sqlite3_errmsg(db))))
            }
        }
    }

    struct FTSError: Error { let message: String }
}
