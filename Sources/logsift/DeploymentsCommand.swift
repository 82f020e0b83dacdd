import ArgumentParser
import Foundation
import LogCore
import LogIndexer

struct DeploymentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deployments",
        abstract: "The rollout timeline: each version going live, how it was found, and the failures after it.",
        usage: "logsift deployments [<options>]",
        discussion: CLI.prose("""
        Rollouts come from new ReplicaSet hashes in pod names, Argo CD syncs and image updates, kubectl rollout / set image,
        helm upgrade, and CI jobs that tag or push an image. LINK says how a pod hash was tied to its version: line (a log
        line named both), banner (the app's startup line), time (pods appeared right after the deployment event),
        event (a deployment event without new pods in these logs), none (only the hash is known).
        A CI build, an Argo CD sync and the pods of one version are one rollout: a commit is tied to a version by a line
        naming both (a startup banner, a CI job tagging the image it built from its checkout, an image update next to
        the sync). Each rollout lists its steps in time order with how each was tied (--no-steps: rows only).
        """)
    )

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var range: TimeRangeOptions

    @Option(help: "Only this deployment.")
    var deployment: String?

    @Flag(help: "One JSON object per rollout.")
    var json = false

    @Flag(inversion: .prefixedNo, help: "List each rollout's steps under it.")
    var steps = true

    func run() throws {
        CLI.reuseLargeBuffers()
        let (fromNs, toNs) = range.resolve()
        let rollouts: [Rollout]
        do {
            rollouts = try dataOptions.deploymentReader().rollouts(deployment: deployment, fromNs: fromNs, toNs: toNs)
        } catch {
            CLI.fail("\(error)")
        }
        if json {
            var out = ""
            for r in rollouts {
                out += "{" + [
                    "\"deployment\":" + JSONWriter.quote(r.deployment), "\"version\":" + JSONWriter.quote(r.version),
                    "\"replicaset_hash\":" + JSONWriter.quote(r.hash), "\"image\":" + JSONWriter.quote(r.image),
                    "\"revision\":" + JSONWriter.quote(r.revision), "\"start\":\"\(Timestamp.rfc3339(r.startNs))\"",
                    "\"end\":\"\(Timestamp.rfc3339(r.endNs))\"", "\"status\":\"\(r.status)\"", "\"link\":\"\(r.link.rawValue)\"",
                    "\"sources\":[" + r.sources.map { "\"\($0)\"" }.joined(separator: ",") + "]", "\"visible\":\(r.visible)",
                    "\"failures_after\":\(r.failuresAfter)", "\"example\":" + JSONWriter.quote(r.example),
                    "\"steps\":[" + r.steps.map { st in
                        "{\"time\":\"\(Timestamp.rfc3339(st.ns))\",\"step\":" + JSONWriter.quote(st.step) + ",\"detail\":" + JSONWriter.quote(st.detail)
                            + ",\"link\":" + JSONWriter.quote(st.link) + "}"
                    }.joined(separator: ",") + "]",
                ].joined(separator: ",") + "}\n"
            }
            FileHandle.standardOutput.write(out.data(using: .utf8)!)
            return
        }
        if rollouts.isEmpty {
            print("no rollouts\(deployment.map { " of \($0)" } ?? "") found in this range")
            return
        }
        let header = ["START", "DEPLOYMENT", "VERSION", "IMAGE", "STATUS", "LINK", "FAILURES"]
        var rows = [header]
        for r in rollouts {
            rows.append([Timestamp.rfc3339(r.startNs, fractionDigits: 0), r.deployment, r.label, r.image.isEmpty ? "-" : r.image,
                         r.status, r.link.rawValue, String(r.failuresAfter)])
        }
        let widths = header.indices.map { i in rows.map { $0[i].count }.max() ?? 0 }
        for (n, row) in rows.enumerated() {
            let line = row.enumerated().map { i, v in i == row.count - 1 ? v : v.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ")
            print(n == 0 ? Style.bold(line, CLI.stdoutIsTerminal) : TerminalEscaping.escape(Array(line.utf8)))
            guard steps, n > 0 else { continue }
            let r = rollouts[n - 1]
            let stepWidth = r.steps.map(\.step.count).max() ?? 0
            for st in r.steps where r.steps.count > 1 || st.step != "pods started" {
                let text = "    \(Timestamp.rfc3339(st.ns, fractionDigits: 0))  \(st.step.padding(toLength: stepWidth, withPad: " ", startingAt: 0))  \(st.detail)  [\(st.link)]"
                print(TerminalEscaping.escape(Array(text.utf8)))
            }
            if r.failuresAfter > 0, r.steps.count > 1 { print("    \(r.failuresAfter) failure events after") }
        }
    }
}
