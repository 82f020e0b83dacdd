import LogCore
import Testing
@testable import Filters

@Suite struct ActionTests {
    @Test func firstMatchingRuleDecidesAndKeepWins() throws {
        let f = NoiseFilter(config: try config("""
            rules:
              - {name: keep-admin, match: {contains: admin}, action: keep}
              - {name: drop-get, match: {starts_with: GET}, action: drop}
            """))
        #expect(ruleName(f, run(f, "GET /x").0) == "drop-get")
        #expect(run(f, "GET /admin").0.decision == .keepByRule(0))
        #expect(run(f, "POST /x").0.decision == .keep)
    }

    @Test func explicitOrderOverridesFilePosition() throws {
        let c = try config("""
            rules:
              - {name: b, match: {contains: x}, action: drop, order: 20}
              - {name: a, match: {contains: x}, action: keep, order: 10}
            """)
        #expect(c.rules.map(\.name) == ["a", "b"])
    }

    @Test func sampleKeepsOneInN() throws {
        let f = NoiseFilter(config: try config("rules: [{name: s, match: {contains: tick}, action: sample, every: 3}]"))
        let kept = (0..<9).map { _ in run(f, "tick").0.isStored }
        #expect(kept == [true, false, false, true, false, false, true, false, false])
    }

    @Test func dedupCollapsesRepeatsInAWindow() throws {
        let f = NoiseFilter(config: try config("rules: [{name: d, match: {contains: retry}, action: dedup, window: 10s}]"))
        let s: Int64 = 1_000_000_000
        #expect(run(f, "retry db", ns: 0).0.isStored)
        #expect(!run(f, "retry db", ns: 1 * s).0.isStored)
        #expect(!run(f, "retry db", ns: 2 * s).0.isStored)
        #expect(run(f, "retry cache", ns: 3 * s).0.isStored)          // different text
        #expect(run(f, "retry db", ns: 3 * s, stream: 2).0.isStored)  // different stream
        #expect(f.flush(nowNs: 5 * s).isEmpty)                           // window still open
        #expect(run(f, "retry db", ns: 12 * s).0.isStored)             // window closed: new first event
        let closed = f.flush(nowNs: 12 * s)
        #expect(closed.count == 1)
        #expect(closed.first?.repeats == 2)
        #expect(closed.first?.lastNs == 2 * s)
        #expect(closed.first?.message == "last event repeated 2 times: retry db")
        #expect(f.flush(nowNs: .max).isEmpty)  // the others had no repeats
        let acc = f.takeAccounting().totalsByRule["d"]
        #expect(acc?.deduplicated.events == 2)
    }

    @Test func throttleLimitsPerKeyAndInterval() throws {
        let f = NoiseFilter(config: try config("rules: [{name: t, match: {contains: GET}, action: throttle, limit: 2, per: 1m, key: path}]"))
        let m: Int64 = 60_000_000_000
        let a = #""GET /a HTTP/1.1" 200"#, b = #""GET /b HTTP/1.1" 200"#
        #expect([run(f, a, ns: 0), run(f, a, ns: 1), run(f, a, ns: 2), run(f, b, ns: 3)].map(\.0.isStored) == [true, true, false, true])
        #expect(run(f, a, ns: m + 5).0.isStored)
    }

    @Test func rulesWithoutLevelSpareWarningsAndFailuresAreNeverDropped() throws {
        let f = NoiseFilter(config: try config("rules: [{name: all, match: {contains: x}, action: drop}, {name: w, match: {contains: w, level: [warn, error]}, action: drop}]"))
        #expect(!run(f, "x", level: .info).0.isStored)
        #expect(run(f, "x", level: .warn).0.isStored)
        #expect(!run(f, "w", level: .warn).0.isStored)                   // asked for explicitly
        let v = run(f, "w", level: .error).0                             // but failures always stay
        #expect(v.isStored && v.failure == .errorLevel)
        #expect(run(f, "x OOMKilled", level: .info).0.failure == .oomKilled)
    }

    @Test func scopeAndLabelsAreChecked() throws {
        let f = NoiseFilter(config: try config("""
            rules:
              - name: scoped
                match: {contains: noise, container: [web, api-*]}
                scope: {namespace: "prod*", deployment: [web]}
                action: drop
            """))
        #expect(!run(f, "noise").0.isStored)
        var other = testLabels
        other.namespace = "dev"
        #expect(run(f, "noise", labels: other, stream: 7).0.isStored)
    }

    @Test func rescueReturnsDroppedContextOfAFailure() throws {
        let f = NoiseFilter(config: try config("rules: [{name: d, match: {contains: chatter}, action: drop}]"), rescueDepth: 3)
        for k in 0..<5 { run(f, "chatter \(k)", ns: Int64(k)) }
        var otherPod = testLabels
        otherPod.pod = "other-pod"
        run(f, "chatter other container", labels: otherPod, ns: 5, stream: 9)
        let v = run(f, "boom", level: .error, ns: 6).0
        #expect(v.failure == .errorLevel)
        let rescued = f.takeRescued(streamKey: 1)
        #expect(rescued.map { String(decoding: $0.text, as: UTF8.self) } == ["chatter 2", "chatter 3", "chatter 4"])
        #expect(f.takeRescued(streamKey: 1).isEmpty)
        // Kept events in between count toward the K predecessors.
        run(f, "chatter a", ns: 7); run(f, "kept 1", ns: 8); run(f, "kept 2", ns: 9); run(f, "kept 3", ns: 10)
        run(f, "boom", level: .fatal, ns: 11)
        #expect(f.takeRescued(streamKey: 1).isEmpty)
        let acc = f.takeAccounting().totalsByRule["d"]
        #expect(acc?.rescued.events == 3)
        #expect(acc?.dropped.events == 7)
    }

    @Test func rescueReadsTheContainersBothStreams() throws {
        let f = NoiseFilter(config: try config("rules: [{name: d, match: {contains: chatter}, action: drop}]"), rescueDepth: 4)
        var out = testLabels, err = testLabels
        out.stream = "stdout"
        err.stream = "stderr"
        run(f, "chatter 0", labels: out, ns: 0, stream: 1)
        run(f, "chatter 1", labels: out, ns: 1, stream: 1)
        run(f, "kept on stderr", labels: err, ns: 2, stream: 2)
        run(f, "chatter 3", labels: out, ns: 3, stream: 1)
        // The failure on stderr: its container's last 4 events are chatter 0, chatter 1, kept, chatter 3.
        #expect(run(f, "boom", level: .error, labels: err, ns: 4, stream: 2).0.failure == .errorLevel)
        let rescued = f.takeRescued(streamKey: 2)
        #expect(rescued.map { String(decoding: $0.text, as: UTF8.self) } == ["chatter 0", "chatter 1", "chatter 3"])
        #expect(rescued.map(\.streamKey) == [1, 1, 1])
        #expect(f.takeRescued(streamKey: 1).isEmpty)
    }

    @Test func accountingPerRuleHourAndDeployment() throws {
        let f = NoiseFilter(config: try config("rules: [{name: d, match: {contains: chatter}, action: drop}, {name: k, match: {contains: vip}, action: keep}]"))
        let h: Int64 = 3_600_000_000_000
        run(f, "chatter", ns: 10 * h + 1)
        run(f, "chatter!", ns: 10 * h + 2)
        run(f, "chatter", ns: 11 * h + 1)
        var api = testLabels
        api.deployment = "api"
        run(f, "chatter", labels: api, ns: 10 * h, stream: 2)
        run(f, "vip", ns: 10 * h)
        let acc = f.takeAccounting()
        #expect(acc.buckets[.init(rule: "d", hourNs: 10 * h, deployment: "web")]?.dropped == .init(events: 2, bytes: 15))
        #expect(acc.buckets[.init(rule: "d", hourNs: 11 * h, deployment: "web")]?.dropped.events == 1)
        #expect(acc.buckets[.init(rule: "d", hourNs: 10 * h, deployment: "api")]?.dropped.events == 1)
        #expect(acc.buckets[.init(rule: "k", hourNs: 10 * h, deployment: "web")]?.keptByRule.events == 1)
        let s = try #require(acc.summaries["d"])
        #expect(s.count == 4 && s.firstNs == 10 * h && s.lastNs == 11 * h + 1 && s.example == "chatter")
        #expect(f.takeAccounting().isEmpty)
    }

    @Test func redactAppliesToKeptEventsAndIsCounted() throws {
        let f = NoiseFilter(config: try config("""
            rules:
              - {name: keep-all, match: {contains: login}, action: keep}
              - {name: pw, match: {regex: 'pw=\\K\\w+'}, action: redact, replacement: "***"}
            """))
        let (v, text) = run(f, "login pw=abc ok pw=def")
        #expect(v.decision == .keepByRule(0) && v.redactedBy == 1)
        #expect(text == "login pw=*** ok pw=***")
        #expect(run(f, "nothing here").0.redactedBy == nil)
        #expect(f.takeAccounting().totalsByRule["pw"]?.redacted.events == 1)
    }

    @Test func templateRulesMatchMaskedTokens() throws {
        let f = NoiseFilter(config: try config("rules: [{name: t, match: {template: 'PacketResponder <*> for block <*> terminating'}, action: drop}]"))
        #expect(!run(f, "PacketResponder 1 for block blk_-6952295868487656571 terminating").0.isStored)
        #expect(run(f, "PacketResponder 1 for block blk_1 started").0.isStored)
    }

    @Test func combinedPutsUserRulesFirstAndDisables() throws {
        let user = try config("disable: [keepalive]\nrules: [{name: keep-health, match: {path: /healthz}, action: keep}]")
        let c = FilterConfig.combined([user, .defaultPack])
        #expect(c.rules.first?.name == "keep-health")
        #expect(!c.rules.contains { $0.name == "keepalive" })
        let f = NoiseFilter(config: c)
        #expect(run(f, #""GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.29""#).0.decision == .keepByRule(0))
    }
}
