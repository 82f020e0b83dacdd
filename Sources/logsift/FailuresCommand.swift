import ArgumentParser
import Foundation
import LogCore
import LogIndexer
import Query

struct FailuresCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "failures",
        abstract: "Failures grouped by deployment, version and template, with the version that introduced each group.",
        usage: "logsift failures [<options>]",
        discussion: CLI.prose("""
        A failure is an error-level event, an exception or stack trace, a platform failure (OOMKilled, CrashLoopBackOff,
        probe failures, evictions, image pull errors, non-zero exits) or a pipeline failure (Jenkins, GitHub Actions,
        Argo CD, docker build). Each group prints the command that shows its first failure with the events before it.
        """)
    )

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var range: TimeRangeOptions

    @Option(help: "Only this deployment.")
    var deployment: String?

    @Option(help: "Most groups to print.")
    var limit: Int = 50

    @Flag(help: "One JSON object per group.")
    var json = false

    func run() throws {
        CLI.reuseLargeBuffers()
        let (fromNs, toNs) = range.resolve()
        let shown: [FailureGroup]
        var totals: [String: (events: Int64, groups: Int)]
        do {
            let reader = try dataOptions.deploymentReader()
            shown = try reader.failureGroups(deployment: deployment, fromNs: fromNs, toNs: toNs, limit: max(0, limit))
            totals = json ? [:] : try reader.failureTotals(fromNs: fromNs, toNs: toNs)
        } catch {
            CLI.fail("\(error)")
        }
        if let deployment { totals = totals.filter { $0.key == deployment } }
        if json {
            var out = ""
            for g in shown { out += Self.json(g) + "\n" }
            FileHandle.standardOutput.write(out.data(using: .utf8)!)
            return
        }
        if shown.isEmpty {
            print("no failures\(deployment.map { " for deployment \($0)" } ?? "") in this range")
            return
        }
        let total = totals.values.reduce(0) { $0 + $1.events }
        let groupCount = totals.values.reduce(0) { $0 + $1.groups }
        print("\(total) failures in \(groupCount) groups across \(totals.count) deployments")
        // Deployments with the most failures first, each with its groups together.
        let ordered = shown.enumerated().sorted { a, b in
            let ta = totals[a.element.deployment]?.events ?? 0, tb = totals[b.element.deployment]?.events ?? 0
            if ta != tb { return ta > tb }
            if a.element.deployment != b.element.deployment { return a.element.deployment < b.element.deployment }
            return a.offset < b.offset
        }.map(\.element)
        var current: String? = nil
        for g in ordered {
            if g.deployment != current {
                current = g.deployment
                let n = totals[g.deployment]?.events ?? 0
                print("")
                print(Style.bold(g.deployment.isEmpty ? "(no deployment)" : g.deployment, CLI.stdoutIsTerminal) + "  \(n) failures")
            }
            let what = g.templateText.isEmpty ? g.example : g.templateText
            print("  \(String(g.events).leftPadded(6))  \(g.kind.padding(toLength: 15, withPad: " ", startingAt: 0)) version \(g.version.isEmpty ? "-" : g.version)")
            print("          \(TerminalEscaping.escape(Array(what.prefix(200).utf8)))")
            print("          first \(Timestamp.rfc3339(g.firstNs, fractionDigits: 0))  last \(Timestamp.rfc3339(g.lastNs, fractionDigits: 0))"
                  + (g.introducedBy.isEmpty ? "" : "  introduced by \(g.introducedBy)")
                  + (g.contextFull < g.events ? "  context kept for \(g.contextFull)/\(g.events)" : ""))
            print("          context: \(Self.contextCommand(g))")
        }
        if groupCount > shown.count { print("\n\(groupCount - shown.count) more groups (--limit)") }
    }

    /// The search that shows the group's first failure with the 20 events before it in its container's log (both streams).
    static func contextCommand(_ g: FailureGroup) -> String {
        let t = Timestamp.rfc3339(g.firstNs)
        var q = "source:" + KQLPrinter.print(.phrase(g.stream.source))
        if !g.stream.pod.isEmpty { q += " and pod:" + KQLPrinter.print(.phrase(g.stream.pod)) }
        if !g.stream.stream.isEmpty { q += " and stream:\(g.stream.stream)" }
        return "logsift search -B 20 --limit 1 --from \(t) --to \(t) '\(q.replacingOccurrences(of: "'", with: "'\\''"))'"
    }

    static func json(_ g: FailureGroup) -> String {
        var fields: [String] = [
            "\"deployment\":" + JSONWriter.quote(g.deployment), "\"version\":" + JSONWriter.quote(g.version),
            "\"kind\":" + JSONWriter.quote(g.kind), "\"template\":\"" + String(format: "%016llx", g.template) + "\"",
            "\"template_text\":" + JSONWriter.quote(g.templateText), "\"events\":\(g.events)", "\"context_full\":\(g.contextFull)",
            "\"first\":\"\(Timestamp.rfc3339(g.firstNs))\"", "\"last\":\"\(Timestamp.rfc3339(g.lastNs))\"",
            "\"introduced_by\":" + JSONWriter.quote(g.introducedBy), "\"introduced_at\":\"\(Timestamp.rfc3339(g.introducedNs))\"",
            "\"traced\":\(g.traced)", "\"example\":" + JSONWriter.quote(g.example),
        ]
        fields.append("\"context_command\":" + JSONWriter.quote(contextCommand(g)))
        return "{" + fields.joined(separator: ",") + "}"
    }
}

enum Style {
    static func bold(_ s: String, _ on: Bool) -> String { on ? "\u{1B}[1m\(s)\u{1B}[0m" : s }
    static func dim(_ s: String, _ on: Bool) -> String { on ? "\u{1B}[2m\(s)\u{1B}[0m" : s }
}

extension String {
    func leftPadded(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
