import Foundation
import Testing

/// A Jenkins build of cart:3.1.0 from commit a1b2c3d, the Argo CD sync of that commit that updates cart's image, and
/// the pods of the new ReplicaSet are one rollout of 3.1.0; the failed build before it belongs to cart and is one
/// `pipeline-failed` failure.
@Suite(.serialized) struct OneRolloutPerVersionTests {
    static let commit = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678"
    static let id = String(repeating: "7a6b5c4d", count: 8)

    static let failedBuild = """
        [2026-11-21T09:40:00.000Z] Started by GitHub push by dev
        [2026-11-21T09:40:01.000Z] Obtained Jenkinsfile from git https://github.com/example/cart.git
        [2026-11-21T09:40:02.000Z] Checking out Revision 9f8e7d6c5b4a39281706f5e4d3c2b1a098765432 (refs/remotes/origin/main)
        [2026-11-21T09:40:10.000Z] + go test ./...
        [2026-11-21T09:40:20.000Z] --- FAIL: TestCheckoutTotals (0.01s)
        [2026-11-21T09:40:20.001Z]     cart_test.go:42: expected 200, got 500
        [2026-11-21T09:40:21.000Z] FAIL
        [2026-11-21T09:40:22.000Z] ERROR: script returned exit code 1
        [2026-11-21T09:40:23.000Z] Finished: FAILURE

        """

    static let build = """
        [2026-11-21T09:50:00.000Z] Started by GitHub push by dev
        [2026-11-21T09:50:01.000Z] Obtained Jenkinsfile from git https://github.com/example/cart.git
        [2026-11-21T09:50:02.000Z] Checking out Revision \(commit) (refs/remotes/origin/main)
        [2026-11-21T09:50:10.000Z] + go test ./...
        [2026-11-21T09:50:20.000Z] ok  	example.com/cart	0.412s
        [2026-11-21T09:51:00.000Z] + docker build -t registry.example.com/shop/cart:3.1.0 .
        [2026-11-21T09:52:00.000Z] Successfully tagged registry.example.com/shop/cart:3.1.0
        [2026-11-21T09:52:30.000Z] + docker push registry.example.com/shop/cart:3.1.0
        [2026-11-21T09:53:00.000Z] Finished: SUCCESS

        """

    static let argo = """
        2026-11-21T10:00:00.000000000Z stdout F time="2026-11-21T10:00:00Z" level=info msg="Initiated automated sync to '\(commit)'" application=argocd/cart
        2026-11-21T10:00:01.000000000Z stdout F time="2026-11-21T10:00:01Z" level=info msg="Updating images for cart: registry.example.com/shop/cart:3.1.0" application=argocd/cart
        2026-11-21T10:00:40.000000000Z stdout F time="2026-11-21T10:00:40Z" level=info msg="Sync operation to \(commit) succeeded" application=argocd/cart

        """

    static let node = """
        Nov 21 10:00:05 node-a kubelet[812]: I1121 10:00:05.000000     812 kuberuntime_image.go:60] "Pulling image" image="registry.example.com/shop/cart:3.1.0" pod="shop/cart-7d4b9c8f5d-k7m2q"

        """

    static let pod = """
        2026-11-21T10:00:10.000000000Z stdout F {"level":"info","msg":"cart listening on :8080"}
        2026-11-21T10:00:20.000000000Z stdout F {"level":"info","msg":"checkout total computed","id":1}
        2026-11-21T10:02:00.000000000Z stderr F {"level":"error","msg":"checkout failed: price service timeout","id":2}

        """

    func world() throws -> (dir: String, files: [String]) {
        let dir = CLIRunner.tempDir()
        let containers = dir + "/var/log/containers"
        try FileManager.default.createDirectory(atPath: containers, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/ci", withIntermediateDirectories: true)
        let files = [
            (dir + "/ci/cart-main-56.log", Self.failedBuild), (dir + "/ci/cart-main-57.log", Self.build),
            (containers + "/argocd-application-controller-0_argocd_application-controller-\(Self.id).log", Self.argo),
            (dir + "/node-a.log", Self.node), (containers + "/cart-7d4b9c8f5d-k7m2q_shop_cart-\(Self.id).log", Self.pod),
        ]
        for (path, text) in files { try text.write(toFile: path, atomically: true, encoding: .utf8) }
        return (dir, files.map(\.0))
    }

    @Test func buildSyncAndPodsOfOneVersionAreOneRollout() throws {
        let (dir, files) = try world()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let data = dir + "/data"
        let ing = try CLIRunner.run(["ingest", "--data", data] + files)
        #expect(ing.status == 0, "\(ing.stderr)")
        let out = try CLIRunner.run(["deployments", "--data", data, "--json", "--deployment", "cart"])
        #expect(out.status == 0, "\(out.stderr)")
        let rollouts = DeploymentWorld.jsonLines(out.stdout)
        #expect(rollouts.count == 1, "\(out.stdout)")
        let r = rollouts.first
        #expect(r?["version"] as? String == "3.1.0")
        #expect(r?["replicaset_hash"] as? String == "7d4b9c8f5d")
        #expect(r?["link"] as? String == "line")
        #expect(r?["status"] as? String == "succeeded")
        #expect((r?["revision"] as? String)?.hasPrefix("a1b2c3d") == true)
        let steps = (r?["steps"] as? [[String: Any]]) ?? []
        #expect(steps.map { $0["step"] as? String ?? "" } == ["built", "pushed", "sync started", "image updated", "pods started", "sync succeeded"])
        let links = steps.map { $0["link"] as? String ?? "" }
        #expect(links[0] == "version" && links[3] == "version")
        #expect(links[2] == "commit a1b2c3d via image-push", "\(links)")
        #expect(links[4] == "line")
        let times = steps.map { $0["time"] as? String ?? "" }
        #expect(times == times.sorted())

        let table = try CLIRunner.run(["deployments", "--data", data, "--deployment", "cart"])
        #expect(table.stdout.contains("3.1.0 (rs 7d4b9c8f5d)"))
        #expect(table.stdout.contains("sync started"))
        #expect(table.stdout.contains("[commit a1b2c3d via image-push]"))
    }

    @Test func aFailedBuildIsOneFailureOfItsDeployment() throws {
        let (dir, files) = try world()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let data = dir + "/data"
        #expect(try CLIRunner.run(["ingest", "--data", data] + files).status == 0)
        // The build's events carry the deployment they are attributed to.
        let hits = try CLIRunner.run(["search", "--data", data, "--json", "deployment:cart and kind:failure and source:*cart-main-56*"])
        #expect(hits.status == 0, "\(hits.stderr)")
        #expect(DeploymentWorld.jsonLines(hits.stdout).count >= 3, "\(hits.stdout)")
        let labelled = try CLIRunner.run(["search", "--data", data, "--count", "deployment:cart and source:*cart-main-56*"])
        #expect(labelled.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "9", "\(labelled.stdout)")
        // One failed build, one group: pipeline-failed with the build error as its example.
        let out = try CLIRunner.run(["failures", "--data", data, "--json", "--deployment", "cart"])
        let groups = DeploymentWorld.jsonLines(out.stdout)
        let pipeline = groups.filter { ($0["example"] as? String ?? "").contains("cart-main") || $0["kind"] as? String == "pipeline-failed" }
        #expect(pipeline.count == 1, "\(out.stdout)")
        #expect(pipeline.first?["kind"] as? String == "pipeline-failed")
        #expect(pipeline.first?["events"] as? Int == 1)
        let example = pipeline.first?["example"] as? String ?? ""
        #expect(example.contains("--- FAIL: TestCheckoutTotals"))
        // The pod's failure after the rollout is the other group.
        #expect(groups.contains { $0["kind"] as? String == "error-level" && $0["version"] as? String == "3.1.0 (rs 7d4b9c8f5d)" }, "\(out.stdout)")
    }
}
