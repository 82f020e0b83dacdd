/// One container log file to generate: where, in which runtime format, for which pod and service,
/// over which time window and up to how many bytes.
struct ContainerLogPlan: Sendable {
    var path: String
    var format: ContainerLogFormat
    var dialect: Dialect
    var identity: PodIdentity
    var start: Int64
    var end: Int64
    var budget: Int
    var seed: UInt64
    /// The container started inside the window (else its startup lines were rotated away).
    var startedInWindow: Bool
    /// The container was stopped before the end of the window (an old ReplicaSet after a rollout).
    var stopped: Bool
    /// The container died (OOMKilled) at the end of its window instead of stopping cleanly.
    var crashed: Bool
}

/// What a generator wrote.
struct GeneratedFileStats: Sendable {
    var bytes = 0
    var lines = 0
    var events = 0
    var probeEvents = 0
    var errorEvents = 0
    var longEvents = 0
}

/// Writes one container log file: startup lines, then a weighted mix of probe chatter and
/// application events (with rare long bodies) with increasing timestamps, then shutdown lines.
struct ContainerLogGenerator {
    static let longLineOneIn = 20_000

    private let plan: ContainerLogPlan
    private var layout = EventLayout()
    private let event = ByteSink(capacity: 128 * 1024)
    private var context: SlotContext
    private var time: Int64
    private var stats = GeneratedFileStats()

    init(plan: ContainerLogPlan) {
        self.plan = plan
        context = SlotContext(seed: plan.seed, pod: plan.identity)
        time = plan.start
        layout.pid = plan.dialect.pid
        layout.applicationName = Array(plan.identity.app.utf8)
    }

    /// Generates the file; `progress` is called now and then with bytes written since the last call.
    mutating func run(progress: (Int) -> Void) throws -> GeneratedFileStats {
        let output = try FileOutput(path: plan.path)
        var writer = ContainerLineWriter(format: plan.format, output: output)
        let dialect = plan.dialect
        var reported = 0

        if !plan.startedInWindow {
            time += Int64(context.rng.below(60_000_000_000))
        }
        for index in 0..<(plan.startedInWindow ? dialect.startup.count : 0) {
            try emit(dialect.startup, index, &writer)
            time += Int64(context.rng.int(1_000_000...400_000_000))
        }
        let closing = plan.crashed ? dialect.crash : plan.stopped ? dialect.shutdown : TemplateSet([])
        let budget = plan.budget
        while output.size < budget {
            if !dialect.long.isEmpty, context.rng.oneIn(Self.longLineOneIn) {
                stats.longEvents += 1
                try emit(dialect.long, context.rng.below(dialect.long.count), &writer)
            } else if context.rng.percent(dialect.probePercent) {
                stats.probeEvents += 1
                try emit(dialect.probes, dialect.probes.sample(&context.rng), &writer)
            } else {
                try emit(dialect.app, dialect.app.sample(&context.rng), &writer)
            }
            advanceTime(written: output.size, budget: budget)
            if output.size - reported > 4 * 1024 * 1024 {
                progress(output.size - reported)
                reported = output.size
            }
        }
        for index in 0..<closing.count {
            try emit(closing, index, &writer)
            time += Int64(context.rng.int(1_000_000...900_000_000))
        }
        try output.flush()
        progress(output.size - reported)
        stats.bytes = output.size
        stats.lines = writer.lines
        return stats
    }

    private mutating func emit(_ set: TemplateSet, _ index: Int, _ writer: inout ContainerLineWriter) throws {
        event.removeAll()
        context.time = time
        // The application stamps its line a little before the runtime reads it.
        let appTime = time - Int64(context.rng.below(400_000))
        layout.render(set, index, layout: plan.dialect.layout, appTime: appTime, context: &context, into: event)
        let template = set.templates[index]
        stats.events += 1
        if template.level.rawValue >= Level.error.rawValue { stats.errorEvents += 1 }
        let last = try writer.write(event.bytes, stream: template.stream ?? plan.dialect.stream, time: time, rng: &context.rng)
        time = max(time, last)
    }

    /// Spreads the remaining events over the remaining window, with random gaps.
    private mutating func advanceTime(written: Int, budget: Int) {
        let averageEvent = max(40, written / max(1, stats.events))
        let remainingEvents = max(1, (budget - written) / averageEvent)
        let meanGap = max(2, (plan.end - time) / Int64(remainingEvents))
        let next = time + 1 + Int64(context.rng.below(Int(2 * meanGap)))
        // Never past the end of the window: close in on it instead.
        time = next < plan.end ? next : time + 1 + max(0, plan.end - time) / 2
    }
}
