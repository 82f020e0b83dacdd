import Foundation

/// A small world of logs whose failures and rollouts are known by hand: payments runs 6c8b7d9f4 until a
/// GitHub Actions job builds and helm-upgrades 1.9.0, whose pods (5f7d8c9b6) then fail three times with
/// the same error and once with OOMKilled (a kubelet line naming the pod).
struct DeploymentWorld {
    let dir: String
    let containers: String
    let files: [String]
    static let id = String(repeating: "0f1e2d3c", count: 8)

    init() throws {
        var old = ""
        for i in 0..<30 {
            old += "2026-11-20T09:\(String(format: "%02d", i)):00.000000000Z stdout F {\"level\":\"info\",\"msg\":\"payment authorized\",\"id\":\(i)}\n"
        }
        var new = "2026-11-20T09:59:10.000000000Z stdout F {\"level\":\"info\",\"msg\":\"Starting payments\",\"port\":8080}\n"
        for i in 0..<6 { new += "2026-11-20T10:0\(i):00.000000000Z stdout F {\"level\":\"info\",\"msg\":\"payment authorized\",\"id\":\(100 + i)}\n" }
        for i in 0..<3 { new += "2026-11-20T10:0\(6 + i):30.000000000Z stdout F {\"level\":\"error\",\"msg\":\"charge failed: card declined\",\"id\":\(200 + i)}\n" }
        let node = """
        Nov 20 10:10:00 node-a kubelet[812]: I1120 10:10:00.000000     812 kubelet.go:2400] "Container terminated" reason="OOMKilled" pod="shop/payments-5f7d8c9b6-x2x4p"

        """
        (dir, files) = try Self.write(old: old, new: new, ci: Self.helmUpgradeJob, node: node)
        containers = dir + "/var/log/containers"
    }

    /// A GitHub Actions job that builds payments 1.9.0 and helm-upgrades to it at 09:58 on 2026-11-20.
    static let helmUpgradeJob = """
        2026-11-20T09:55:00.0000000Z Syncing repository: example/payments
        2026-11-20T09:56:00.0000000Z + docker build -t registry.example.com/shop/payments:1.9.0 .
        2026-11-20T09:57:00.0000000Z Successfully tagged registry.example.com/shop/payments:1.9.0
        2026-11-20T09:58:00.0000000Z ##[group]Run helm upgrade payments ./chart --set image.tag=1.9.0
        2026-11-20T09:58:30.0000000Z Release "payments" has been upgraded. Happy Helming!

        """

    /// Writes payments' old pod (6c8b7d9f4) and new pod (5f7d8c9b6) as kubelet container files, the CI log
    /// and a node log into a new temporary directory; returns it and the files in ingest order.
    static func write(old: String, new: String, ci: String, node: String) throws -> (dir: String, files: [String]) {
        let dir = CLIRunner.tempDir()
        let containers = dir + "/var/log/containers"
        try FileManager.default.createDirectory(atPath: containers, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/ci", withIntermediateDirectories: true)
        let oldPath = containers + "/payments-6c8b7d9f4-k9z7q_shop_payments-\(id).log"
        let newPath = containers + "/payments-5f7d8c9b6-x2x4p_shop_payments-\(id).log"
        try old.write(toFile: oldPath, atomically: true, encoding: .utf8)
        try new.write(toFile: newPath, atomically: true, encoding: .utf8)
        try ci.write(toFile: dir + "/ci/deploy-payments.log", atomically: true, encoding: .utf8)
        try node.write(toFile: dir + "/node-a.log", atomically: true, encoding: .utf8)
        return (dir, [oldPath, newPath, dir + "/ci/deploy-payments.log", dir + "/node-a.log"])
    }

    func remove() { try? FileManager.default.removeItem(atPath: dir) }

    static func jsonLines(_ s: String) -> [[String: Any]] {
        s.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }
}
