import LogCore
import Testing
@testable import Filters

@Suite struct ContextRescueTests {
    @Test func contextRescueIsReadFromTheRuleFile() throws {
        #expect(try config("rules: []").contextRescue == nil)
        #expect(try config("rules: []").rescueDepth == FilterConfig.defaultRescueDepth)
        #expect(try config("context_rescue: 0\nrules: []").rescueDepth == 0)
        #expect(try config("context_rescue: 5").rescueDepth == 5)
        // The user's file comes first and decides; the default pack does not set it.
        let user = try config("context_rescue: 3")
        #expect(FilterConfig.combined([user, .defaultPack]).rescueDepth == 3)
        #expect(FilterConfig.combined([try config("rules: []"), .defaultPack]).rescueDepth == 20)
    }

    @Test(arguments: ["context_rescue: -1", "context_rescue: lots", "context_rescue: 201", "context_rescue: [1]"])
    func badContextRescueIsRefusedWithItsLine(_ yaml: String) throws {
        do {
            _ = try FilterConfig.load(yaml: "rules: []\n" + yaml, source: "rules.yaml")
            Issue.record("accepted \(yaml)")
        } catch {
            #expect(error.line == 2)
            #expect(error.message.contains("`context_rescue` must be a whole number from 0 to 200"))
        }
    }

    @Test func rescueDepthZeroLeavesDroppedContextLost() throws {
        let c = try config("context_rescue: 0\nrules: [{name: d, match: {contains: chatter}, action: drop}]")
        let f = NoiseFilter(config: c, rescueDepth: c.rescueDepth)
        for k in 0..<3 { run(f, "chatter \(k)", ns: Int64(k)) }
        #expect(run(f, "boom", level: .error, ns: 3).0.failure == .errorLevel)
        #expect(f.takeRescued(streamKey: 1).isEmpty)
        #expect(f.takeAccounting().totalsByRule["d"]?.dropped.events == 3)
    }
}
