import Foundation

/// Writes one CI build log: header, checkout, dependency downloads, tests (until the byte budget
/// is nearly used), image build and push, and the result line.
struct PipelineLogGenerator {
    private let plan: PipelineLogPlan
    private var rng: SplitMix64
    private var time: Int64
    private let output: FileOutput
    private var out: ByteSink { output.buffer }
    private var lines = 0
    private let meanGap: Int64
    private var writeError: (any Error)?

    init(plan: PipelineLogPlan) throws {
        self.plan = plan
        rng = SplitMix64(seed: plan.seed)
        time = plan.start
        output = try FileOutput(path: plan.path)
        // A build takes 4-25 minutes; lines average about 70 bytes.
        let duration = Int64(rng.int(240...1500)) * 1_000_000_000
        meanGap = duration / Int64(max(1, plan.budget / 70))
    }

    mutating func run() throws -> GeneratedFileStats {
        let project = plan.project
        let jenkins = plan.system == .jenkins
        let image = "registry.example.com/shop/\(project.name):\(plan.build)"
        let sha = hex(40)
        if jenkins {
            text("Started by GitHub push by \(rng.pick(["alice", "bob", "carol", "dmitri", "eun-ji", "farid"]))")
            text("Obtained Jenkinsfile from git https://github.com/example/\(project.name).git")
            for step in ["[Pipeline] Start of Pipeline", "[Pipeline] node"] { text(step) }
            text("Running on build-agent-\(rng.int(1...6)) in /home/jenkins/workspace/\(project.name)_main")
            stage("Checkout")
            text("The recommended git tool is: NONE")
            text(" > git fetch --tags --force --progress -- https://github.com/example/\(project.name).git +refs/heads/*:refs/remotes/origin/* # timeout=10")
            text("Checking out Revision \(sha) (refs/remotes/origin/main)")
            text("Commit message: \"\(rng.pick(commitMessages))\"")
            endStage()
            stage("Test")
            text("[Pipeline] sh")
        } else {
            text("##[group]Runner Image")
            text("Image: ubuntu-24.04")
            text("Version: 20241117.1.0")
            text("##[endgroup]")
            text("##[group]Run actions/checkout@v4")
            text("with:")
            text("  repository: example/\(project.name)")
            text("  token: ***")
            text("##[endgroup]")
            text("Syncing repository: example/\(project.name)")
            text("[command]/usr/bin/git -c protocol.version=2 fetch --no-tags --prune --no-recurse-submodules --depth=1 origin +\(sha):refs/remotes/origin/main")
            text("HEAD is now at \(sha.prefix(7)) \(rng.pick(commitMessages))")
        }
        let downloadsUntil = plan.budget / 4
        while output.size < downloadsUntil { dependencyLine() }
        if !jenkins { text("##[group]Run \(testCommand)"); text("\u{1B}[36;1m\(testCommand)\u{1B}[0m"); text("##[endgroup]") } else { text("+ \(testCommand)") }
        // What follows the tests (failure or image build and push, and the footer) is about 2 KB.
        let testsUntil = plan.budget - 2048
        while output.size < testsUntil { testLine() }
        if plan.fails {
            failure()
            text(jenkins ? "ERROR: script returned exit code 1" : "##[error]Process completed with exit code 1.")
        } else {
            if jenkins { endStage(); stage("Build image"); text("[Pipeline] sh"); text("+ docker build -t \(image) .") } else {
                text("##[group]Run docker/build-push-action@v6"); text("##[endgroup]")
            }
            dockerBuild(image: image)
        }
        if jenkins {
            endStage()
            text("[Pipeline] }")
            text("[Pipeline] // node")
            text("[Pipeline] End of Pipeline")
            text(plan.fails ? "Finished: FAILURE" : "Finished: SUCCESS")
        } else {
            text("Post job cleanup.")
            text("Cleaning up orphan processes")
        }
        if let writeError { throw writeError }
        try output.flush()
        var stats = GeneratedFileStats()
        stats.bytes = output.size
        stats.lines = lines
        stats.events = lines
        stats.errorEvents = plan.fails ? 2 : 0
        return stats
    }

    private var testCommand: String {
        switch plan.project.toolchain {
        case .go: return "go test ./... -race -count=1 -v"
        case .maven: return "./mvnw -B verify"
        case .npm: return "npm ci && npm test -- --run"
        case .python: return "pip install -r requirements.txt && pytest -v"
        }
    }

    private mutating func dependencyLine() {
        switch plan.project.toolchain {
        case .go:
            let module = rng.pick(goModules)
            text("go: downloading \(module) \(version(of: module))")
        case .maven:
            let artifact = rng.pick(mavenArtifacts)
            text("[INFO] Downloading from central: https://repo.maven.apache.org/maven2/\(artifact).pom")
            text("[INFO] Downloaded from central: https://repo.maven.apache.org/maven2/\(artifact).pom (\(rng.int(1...40)).\(rng.int(0...9)) kB at \(rng.int(20...900)) kB/s)")
        case .npm:
            if rng.oneIn(4) {
                text("npm warn deprecated \(rng.pick(npmPackages))@\(rng.int(1...8)).\(rng.int(0...9)).\(rng.int(0...9)): This module is not supported, and leaks memory. Do not use it.")
            } else {
                text("npm http fetch GET 200 https://registry.npmjs.org/\(rng.pick(npmPackages)) \(rng.int(12...900))ms (cache miss)")
            }
        case .python:
            let package = rng.pick(pythonPackages)
            let release = version(of: package).dropFirst()
            text("Collecting \(package)==\(release)")
            text("  Downloading \(package)-\(release)-py3-none-any.whl.metadata (\(rng.int(2...40)) kB)")
        }
    }

    private mutating func testLine() {
        let subject = rng.pick(testSubjects), verb = rng.pick(testVerbs)
        let millis = rng.skewed(3000)
        switch plan.project.toolchain {
        case .go:
            text("=== RUN   Test\(subject)_\(verb)")
            text("--- PASS: Test\(subject)_\(verb) (\(millis / 1000).\(String(format: "%02d", millis % 1000 / 10))s)")
            if rng.oneIn(12) {
                text("ok  \tgithub.com/example/\(plan.project.name)/internal/\(subject.lowercased())\t\(millis / 100).\(millis % 10)s\tcoverage: \(rng.int(40...95)).\(rng.int(0...9))% of statements")
            }
        case .maven:
            if rng.oneIn(6) {
                text("[INFO] Running com.example.payments.\(subject)\(verb)Test")
                text("[INFO] Tests run: \(rng.int(1...40)), Failures: 0, Errors: 0, Skipped: \(rng.int(0...2)), Time elapsed: \(millis / 1000).\(millis % 1000) s -- in com.example.payments.\(subject)\(verb)Test")
            } else {
                text("\(isoTime()) DEBUG 3112 --- [payment-gateway] [           main] c.e.p.\(subject)Service                  : \(verb.lowercased()) \(subject.lowercased()) id=\(rng.int(1...99999))")
            }
        case .npm:
            text(" \u{2713} src/\(subject.lowercased())/\(verb.lowercased()).test.tsx (\(rng.int(1...40)) tests) \(millis)ms")
        case .python:
            text("tests/test_\(subject.lowercased()).py::test_\(verb.lowercased())_\(subject.lowercased())[case-\(rng.int(0...40))] PASSED [\(String(format: "%3d", rng.int(1...99)))%]")
        }
    }

    private mutating func failure() {
        let subject = rng.pick(testSubjects), verb = rng.pick(testVerbs)
        switch plan.project.toolchain {
        case .go:
            text("--- FAIL: Test\(subject)_\(verb) (0.02s)")
            text("    \(subject.lowercased())_test.go:\(rng.int(20...300)): expected status 200, got 500")
            text("FAIL\tgithub.com/example/\(plan.project.name)/internal/\(subject.lowercased())\t2.104s")
            text("FAIL")
        case .maven:
            text("[ERROR] Tests run: 14, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 3.121 s <<< FAILURE! -- in com.example.payments.\(subject)\(verb)Test")
            text("[ERROR] com.example.payments.\(subject)\(verb)Test.should\(verb)\(subject) -- Time elapsed: 0.112 s <<< FAILURE!")
            text("org.opentest4j.AssertionFailedError: expected: <CAPTURED> but was: <DECLINED>")
            text("\tat org.junit.jupiter.api.AssertionUtils.fail(AssertionUtils.java:151)")
            text("\tat com.example.payments.\(subject)\(verb)Test.should\(verb)\(subject)(\(subject)\(verb)Test.java:\(rng.int(30...200)))")
            text("[ERROR] BUILD FAILURE")
        case .npm:
            text(" \u{00D7} src/\(subject.lowercased())/\(verb.lowercased()).test.tsx > \(verb.lowercased()) \(subject.lowercased()) > applies coupon 12ms")
            text("   \u{1B}[31mAssertionError: expected 1999 to be 1799\u{1B}[39m")
            text(" Test Files  1 failed | \(rng.int(20...80)) passed")
        case .python:
            text("tests/test_\(subject.lowercased()).py::test_\(verb.lowercased()) FAILED [ 97%]")
            text("E       AssertionError: assert 'PENDING' == 'ALLOCATED'")
            text("FAILED tests/test_\(subject.lowercased()).py::test_\(verb.lowercased()) - AssertionError: assert 'PENDING' == 'ALLOCATED'")
            text("========================= 1 failed, \(rng.int(100...400)) passed in \(rng.int(20...90)).\(rng.int(10...99))s =========================")
        }
    }

    private mutating func dockerBuild(image: String) {
        let steps = ["FROM \(plan.project.baseImage) AS build", "WORKDIR /src", "COPY . .", "RUN make build",
                     "FROM gcr.io/distroless/static-debian12", "COPY --from=build /src/bin/app /app", "USER 65532:65532",
                     "ENTRYPOINT [\"/app\"]"]
        for (index, step) in steps.enumerated() {
            text("Step \(index + 1)/\(steps.count) : \(step)")
            if rng.percent(60) && index > 0 { text(" ---> Using cache") }
            text(" ---> \(hex(12))")
        }
        let id = hex(12)
        text("Successfully built \(id)")
        text("Successfully tagged \(image)")
        text("The push refers to repository [registry.example.com/shop/\(plan.project.name)]")
        for _ in 0..<4 { text("\(hex(12)): Pushed") }
        text("\(plan.build): digest: sha256:\(hex(64)) size: \(rng.int(900...2400))")
    }

    private mutating func stage(_ name: String) {
        text("[Pipeline] stage")
        text("[Pipeline] { (\(name))")
    }

    private mutating func endStage() {
        text("[Pipeline] }")
        text("[Pipeline] // stage")
    }

    private mutating func text(_ line: String) {
        time += 1 + Int64(rng.below(Int(2 * meanGap)))
        if plan.system == .jenkins {
            out.append(UInt8(ascii: "["))
            out.appendTime(time, .isoMillis)
            out.append("] ")
        } else {
            out.appendTime(time, .isoTicks)
            out.append(UInt8(ascii: " "))
        }
        out.append(line)
        out.append(UInt8(ascii: "\n"))
        lines += 1
        do {
            try output.flushIfNeeded()
        } catch {
            writeError = writeError ?? error
        }
    }

    /// A version that stays the same for a dependency throughout.
    private func version(of dependency: String) -> String {
        let hash = stableHash(dependency)
        return "v\(hash % 3).\(hash >> 8 % 40).\(hash >> 16 % 12)"
    }

    private func isoTime() -> String {
        let sink = ByteSink(capacity: 32)
        sink.appendTime(time, .isoMillis)
        return String(decoding: sink.bytes, as: UTF8.self)
    }

    private mutating func hex(_ digits: Int) -> String {
        let sink = ByteSink(capacity: 64)
        sink.appendRandomHex(digits, &rng)
        return String(decoding: sink.bytes, as: UTF8.self)
    }
}

private let commitMessages = [
    "fix: retry payment capture on 503", "feat(cart): merge anonymous cart on login", "chore(deps): bump golang.org/x/net to v0.31.0",
    "refactor: extract pricing rules", "fix(checkout): handle empty shipping address", "perf: batch inventory reservations",
    "ci: cache go modules", "feat: add express shipping option", "Revert \"feat: new checkout flow\"",
]
private let goModules = [
    "github.com/go-chi/chi/v5", "go.uber.org/zap", "github.com/jackc/pgx/v5", "github.com/redis/go-redis/v9",
    "github.com/segmentio/kafka-go", "google.golang.org/grpc", "github.com/prometheus/client_golang", "golang.org/x/net",
    "github.com/stretchr/testify", "go.opentelemetry.io/otel",
]
private let mavenArtifacts = [
    "org/springframework/spring-core/6.1.14/spring-core-6.1.14", "org/springframework/boot/spring-boot/3.3.5/spring-boot-3.3.5",
    "com/zaxxer/HikariCP/5.1.0/HikariCP-5.1.0", "org/postgresql/postgresql/42.7.4/postgresql-42.7.4",
    "org/apache/kafka/kafka-clients/3.7.1/kafka-clients-3.7.1", "com/fasterxml/jackson/core/jackson-databind/2.17.2/jackson-databind-2.17.2",
    "org/junit/jupiter/junit-jupiter-api/5.10.5/junit-jupiter-api-5.10.5", "org/mockito/mockito-core/5.11.0/mockito-core-5.11.0",
]
private let npmPackages = ["react", "react-dom", "vite", "vitest", "typescript", "inflight", "glob", "rimraf", "@tanstack/react-query", "zod", "eslint"]
private let pythonPackages = ["requests", "celery", "kombu", "sqlalchemy", "psycopg2-binary", "redis", "pydantic", "fastapi", "uvicorn", "torch", "transformers", "numpy"]
private let testSubjects = ["Checkout", "Cart", "Order", "Payment", "Refund", "Coupon", "Inventory", "Shipping", "Pricing", "Session", "Webhook", "Invoice"]
private let testVerbs = ["Create", "Update", "Cancel", "Validate", "Apply", "Retry", "Merge", "Expire", "Capture", "Render", "Reserve", "Serialize"]
