import Dispatch
import Foundation
import Synchronization

/// What a generation run produced; saved as `<work>/workload.json` so that a later run with the
/// same size and seed reuses the files.
struct WorkloadManifest: Codable, Equatable {
    /// Bumped whenever the generator's output changes.
    static let currentGenerator = 1

    var generator: Int
    var seed: UInt64
    var sizeMB: Int
    var bytes: Int
    var files: Int
    var lines: Int
    var events: Int
    var probeEvents: Int
    var errorEvents: Int
    var longEvents: Int
    var templates: Int
    var seconds: Double

    enum CodingKeys: String, CodingKey {
        case generator, seed, files, lines, events, templates, seconds, bytes
        case sizeMB = "size_mb"
        case probeEvents = "probe_events"
        case errorEvents = "error_events"
        case longEvents = "long_events"
    }

    func matches(sizeMB: Int, seed: UInt64) -> Bool {
        generator == Self.currentGenerator && self.sizeMB == sizeMB && self.seed == seed
    }
}

/// Generates the Kubernetes and CI workload under `<work>/raw/`.
enum WorkloadGenerator {
    /// Writes all files of the plan for `sizeMB` MiB with `jobs` threads and returns the manifest.
    static func generate(rawDirectory raw: String, sizeMB: Int, seed: UInt64, jobs: Int) throws -> WorkloadManifest {
        let started = Date()
        let fileManager = FileManager.default
        if fileManager.fileExists(atPath: raw) { try fileManager.removeItem(atPath: raw) }
        let plan = WorkloadPlan(rawDirectory: raw, totalBytes: sizeMB * 1024 * 1024, seed: seed)
        for directory in plan.directories {
            try fileManager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        for link in plan.symlinks {
            try fileManager.createSymbolicLink(atPath: link.path, withDestinationPath: link.target)
        }

        // Largest files first, handed out one at a time so that the threads finish together.
        enum Job { case container(ContainerLogPlan), pipeline(PipelineLogPlan) }
        var jobList = plan.containerLogs.map { (budget: $0.budget, job: Job.container($0)) }
            + plan.pipelineLogs.map { (budget: $0.budget, job: Job.pipeline($0)) }
        jobList.sort { $0.budget > $1.budget }
        let work = GenerationState(jobCount: jobList.count, totalBytes: sizeMB * 1024 * 1024)
        let jobsToRun = jobList.map(\.job)

        DispatchQueue.concurrentPerform(iterations: max(1, jobs)) { _ in
            while let index = work.nextJob() {
                do {
                    let stats: GeneratedFileStats
                    switch jobsToRun[index] {
                    case .container(let filePlan):
                        var generator = ContainerLogGenerator(plan: filePlan)
                        stats = try generator.run { work.addProgress($0) }
                    case .pipeline(let filePlan):
                        var generator = try PipelineLogGenerator(plan: filePlan)
                        stats = try generator.run()
                        work.addProgress(stats.bytes)
                    }
                    work.record(stats)
                } catch {
                    work.fail(error)
                }
            }
        }
        if let error = work.firstError { throw error }

        let total = work.total
        let dialects = WorkloadSpec.cluster.flatMap(\.containers).map(\.dialect)
        var seenDialects = Set<String>()
        let templates = dialects.filter { seenDialects.insert($0.name).inserted }.map(\.templateCount).reduce(0, +)
        let manifest = WorkloadManifest(
            generator: WorkloadManifest.currentGenerator, seed: seed, sizeMB: sizeMB, bytes: total.bytes,
            files: plan.containerLogs.count + plan.pipelineLogs.count, lines: total.lines, events: total.events,
            probeEvents: total.probeEvents, errorEvents: total.errorEvents, longEvents: total.longEvents,
            templates: templates, seconds: Date().timeIntervalSince(started))
        return manifest
    }

    static func loadManifest(at path: String) -> WorkloadManifest? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(WorkloadManifest.self, from: data)
    }

    static func saveManifest(_ manifest: WorkloadManifest, at path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(manifest).write(to: URL(fileURLWithPath: path))
    }
}

/// Shared state of the generator threads: the job queue, progress, totals and the first error.
private final class GenerationState: Sendable {
    private let jobCount: Int
    private let totalBytes: Int
    private let next = Atomic<Int>(0)
    private let written = Atomic<Int>(0)
    private let results = Mutex<(stats: GeneratedFileStats, error: (any Error)?)>((GeneratedFileStats(), nil))
    private let started = ContinuousClock.now

    init(jobCount: Int, totalBytes: Int) {
        self.jobCount = jobCount
        self.totalBytes = totalBytes
    }

    func nextJob() -> Int? {
        let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
        return index < jobCount ? index : nil
    }

    /// Adds written bytes and prints a progress line at every 10% of the total.
    func addProgress(_ bytes: Int) {
        let old = written.wrappingAdd(bytes, ordering: .relaxed).oldValue
        let step = max(1, totalBytes / 10)
        if (old + bytes) / step > old / step {
            let seconds = (ContinuousClock.now - started) / .seconds(1)
            let mib = Double(old + bytes) / 1_048_576
            printProgress(String(format: "generate: %6.0f / %d MiB (%.0f MiB/s)", mib, totalBytes / 1_048_576, mib / max(seconds, 0.001)))
        }
    }

    func record(_ stats: GeneratedFileStats) {
        results.withLock {
            $0.stats.bytes += stats.bytes
            $0.stats.lines += stats.lines
            $0.stats.events += stats.events
            $0.stats.probeEvents += stats.probeEvents
            $0.stats.errorEvents += stats.errorEvents
            $0.stats.longEvents += stats.longEvents
        }
    }

    func fail(_ error: any Error) {
        results.withLock { if $0.error == nil { $0.error = error } }
    }

    var firstError: (any Error)? { results.withLock { $0.error } }
    var total: GeneratedFileStats { results.withLock { $0.stats } }
}
