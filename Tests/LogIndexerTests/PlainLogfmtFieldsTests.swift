import LogCore
import Testing
@testable import LogIndexer

/// Plain lines with a leading timestamp and/or level followed by logfmt pairs expose the pairs as fields.
@Suite struct PlainLogfmtFieldsTests {
    static let cases: [(line: String, fields: [String: String], message: String?)] = [
        (#"2026-11-20T10:00:00Z INFO component=api user_id=42 msg="done""#, ["component": "api", "user_id": "42"], "done"),
        (#"2026-11-20 10:00:00,123 ERROR  db=orders err="connection \"refused\"""#, ["db": "orders", "err": #"connection "refused""#], nil),
        ("[2026-11-20T10:00:00.000Z] info: job=build step=test", ["job": "build", "step": "test"], nil),
        ("2026-11-20T10:00:00.1234567Z level_hint=x attempt=2", ["level_hint": "x", "attempt": "2"], nil),
        ("WARN cache=sessions evicted=120", ["cache": "sessions", "evicted": "120"], nil),
        // Near misses: no prefix-then-pairs shape.
        ("2026-11-20T10:00:00Z INFO user logged in with id=42 ok=1", [:], nil),
        ("2026-11-20T10:00:00Z INFO GET /x?a=1&b=2 200", [:], nil),
        (#"2026-11-20T10:00:00Z INFO a=1 b="unterminated"#, [:], nil),
        (#"10.0.0.1 - - [19/Nov/2026:10:00:00 +0000] "GET /?a=b HTTP/1.1" 200 5 "-" "x=y z=w""#, [:], nil),
        ("just words a=1 b=2", [:], nil),
    ]

    @Test(arguments: cases.indices)
    func fieldsOfPlainLine(_ i: Int) throws {
        let c = Self.cases[i]
        let ev = decodeEvents([c.line])
        try #require(ev.count == 1)
        #expect(ev[0].format == .plain || ev[0].format == .ci, "\(c.line) decoded as \(ev[0].format)")
        let stored = StoredEvent(labels: ev[0].labels, ns: ev[0].ns, level: ev[0].level, flags: ev[0].flags, format: ev[0].format,
                                 text: Array(ev[0].text.utf8))
        let f = EventFields(stored)
        #expect(Dictionary(uniqueKeysWithValues: f.fields.map { ($0.key, $0.value.text) }) == c.fields, "\(c.line)")
        #expect(f.message == (c.message ?? c.line), "\(c.line)")
    }

    @Test func searchFindsPlainLinesByTheirPairs() throws {
        let tmp = TempDir()
        defer { tmp.cleanup() }
        let f = tmp.file("app.log", """
        2026-11-20T10:00:00Z INFO component=api user_id=42 msg="done"
        2026-11-20T10:00:01Z INFO component=api user_id=7 msg="done"
        2026-11-20T10:00:02Z WARN component=worker user_id=420 msg="slow"
        2026-11-20T10:00:03Z INFO request from user_id 42 finished
        """ + "\n")
        try ingest([f], into: tmp.path + "/d")
        func texts(_ p: SearchPredicate) throws -> [String] { try search(tmp.path + "/d", p).map(\.string) }
        #expect(try texts(.match(field: "user_id", .phrase("42"))) == [#"2026-11-20T10:00:00Z INFO component=api user_id=42 msg="done""#])
        #expect(try texts(.range(field: "user_id", op: .gt, value: "40")).count == 2)
        #expect(try texts(.and([.match(field: "component", .phrase("api")), .match(field: "message", .phrase("done"))])).count == 2)
        #expect(try texts(.exists(field: "component")).count == 3)
    }
}
