/// One CI build log to generate (Jenkins console log or GitHub Actions job log).
struct PipelineLogPlan: Sendable {
    enum System: String, Sendable {
        case jenkins
        case githubActions = "github-actions"
    }

    /// A repository and how it is built and tested.
    struct Project: Sendable {
        enum Toolchain: Sendable { case go, maven, npm, python }
        var name: String
        var toolchain: Toolchain
        var baseImage: String
    }

    static let projects: [Project] = [
        Project(name: "checkout-api", toolchain: .go, baseImage: "golang:1.23-alpine"),
        Project(name: "cart-service", toolchain: .go, baseImage: "golang:1.22-alpine"),
        Project(name: "payment-gateway", toolchain: .maven, baseImage: "eclipse-temurin:21-jdk"),
        Project(name: "web-frontend", toolchain: .npm, baseImage: "node:22-alpine"),
        Project(name: "orders-worker", toolchain: .python, baseImage: "python:3.11-slim"),
        Project(name: "inference-server", toolchain: .python, baseImage: "nvcr.io/nvidia/pytorch:24.10-py3"),
    ]

    var path: String
    var system: System
    var project: Project
    var build: Int
    var start: Int64
    var budget: Int
    var seed: UInt64
    var fails: Bool

    /// Build logs of 100-400 KB adding up to `totalBytes`, at least four per CI system.
    static func plans(rawDirectory raw: String, totalBytes: Int, _ rng: inout SplitMix64) -> [PipelineLogPlan] {
        let count = max(8, totalBytes / (250 * 1024))
        var plans: [PipelineLogPlan] = []
        var builds: [String: Int] = [:]
        for index in 0..<count {
            let system: System = index % 2 == 0 ? .jenkins : .githubActions
            let project = projects[rng.below(projects.count)]
            let key = "\(system.rawValue)/\(project.name)"
            let build = (builds[key] ?? (system == .jenkins ? rng.int(800...2400) : rng.int(11_000_000_000...11_999_999_999))) + 1
            builds[key] = build
            let name = system == .jenkins ? "\(project.name)-main-\(build).log" : "\(project.name)-run-\(build)-build.log"
            plans.append(PipelineLogPlan(
                path: "\(raw)/ci/\(system.rawValue)/\(name)", system: system, project: project, build: build,
                start: WorkloadPlan.start + Int64(rng.below(Int(WorkloadPlan.span - 3_600_000_000_000))),
                budget: totalBytes / count, seed: rng.next(), fails: rng.percent(20)))
        }
        return plans
    }
}
