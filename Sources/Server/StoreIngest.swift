import Foundation
public import LogCore
public import LogIndexer
public import Filters
public import ServiceLifecycle

/// Lines of one request, all with the same labels, ready for the pipeline.
public struct IngestLines: Sendable {
    public var labels: StreamLabels
    public var lines: [[UInt8]]
    public var format: InputFormat
    /// Each line's time from the protocol (Loki, OTLP), used when the line carries none; nil: the receive time.
    public var times: [Int64]?
    public init(labels: StreamLabels, lines: [[UInt8]], format: InputFormat = .auto, times: [Int64]? = nil) {
        self.labels = labels
        self.lines = lines
        self.format = format
        self.times = times
    }
    var bytes: Int { lines.reduce(0) { $0 + $1.count + 1 } }
}

/// Why an ingest request was not committed.
public enum IngestRefusal: Error, Sendable {
    /// Too many bytes wait for the store already: answer 429 with Retry-After.
    case busy
    /// The server is stopping.
    case stopping
    /// The store failed; the message says why.
    case store(String)
    /// A remote store (ClickHouse) did not take the batch in time; nothing of it is visible: retry later.
    case unavailable(String)
}

/// The one writer of the data directory: a thread that owns the ``BatchBuilder`` and the store writer and
/// commits whatever requests wait, together, in one transaction (group commit). A request is answered
/// only after the transaction that holds its events has committed. When more than `maxQueuedBytes` wait,
/// new requests are refused (429) rather than buffered.
public final class StoreIngest: Service, Sendable {
    private struct Job: Sendable {
        var parts: [IngestLines]
        var bytes: Int
        /// An agent's batch (`logsift tail --ship`): committed in a transaction of its own, with its id.
        var ship: ShipBatch? = nil
        /// The counters committed, and whether the batch was an agent's resend of one stored already.
        var done: @Sendable (Result<(IngestCounters, Bool), IngestRefusal>) -> Void
    }

    // @unchecked Sendable: every field is touched only with `condition` locked.
    private final class State: @unchecked Sendable {
        let condition = NSCondition()
        var jobs: [Job] = []
        var queuedBytes = 0
        var closed = false
        var finished = false
        var failure: String?
    }

    private let state = State()
    private let maxQueuedBytes: Int
    private let metrics: ServerMetrics
    /// Test hook: runs on the writer thread before each commit.
    private let beforeCommit: (@Sendable () -> Void)?

    /// Opens the writer (it throws if the store cannot be opened) and starts the writer thread.
    /// `retention`: applied by the writer thread at start and every `retentionEveryNs` (whole days dropped;
    /// see `EmbeddedStoreWriter.applyRetention`).
    public init(options: IngestOptions, maxQueuedBytes: Int, metrics: ServerMetrics,
                retention: RetentionSettings = RetentionSettings(), retentionEveryNs: Int64 = 600_000_000_000,
                writer makeWriter: @escaping @Sendable () throws -> any LogWriter,
                beforeCommit: (@Sendable () -> Void)? = nil) throws {
        self.maxQueuedBytes = maxQueuedBytes
        self.metrics = metrics
        self.beforeCommit = beforeCommit
        let writer = try makeWriter()
        let state = self.state
        let box = SendableBox(writer)
        let thread = Thread { [beforeCommit, metrics] in
            Self.loop(state: state, writer: box, options: options, metrics: metrics, retention: retention, retentionEveryNs: retentionEveryNs,
                      beforeCommit: beforeCommit)
        }
        thread.stackSize = 4 << 20
        thread.start()
    }

    /// Hands the lines to the pipeline and returns once they are committed; throws ``IngestRefusal``.
    public func ingest(_ parts: [IngestLines]) async throws(IngestRefusal) -> IngestCounters {
        try await enqueue(Job(parts: parts, bytes: parts.reduce(0) { $0 + $1.bytes }, done: { _ in })).0
    }

    /// Commits an agent's batch with its id, once: a batch whose id is committed already is answered as a
    /// duplicate (true) and nothing is stored. Returns once committed; throws ``IngestRefusal``.
    public func ship(_ batch: ShipBatch, bytes: Int) async throws(IngestRefusal) -> (counters: IngestCounters, duplicate: Bool) {
        try await enqueue(Job(parts: [], bytes: bytes, ship: batch, done: { _ in }))
    }

    private func enqueue(_ template: Job) async throws(IngestRefusal) -> (IngestCounters, Bool) {
        let bytes = template.bytes
        let result: Result<(IngestCounters, Bool), IngestRefusal> = await withCheckedContinuation { continuation in
            var job = template
            job.done = { continuation.resume(returning: $0) }
            state.condition.lock()
            if state.closed {
                state.condition.unlock()
                return continuation.resume(returning: .failure(.stopping))
            }
            if let f = state.failure {
                state.condition.unlock()
                return continuation.resume(returning: .failure(.store(f)))
            }
            if state.queuedBytes > 0 && state.queuedBytes + bytes > maxQueuedBytes {
                state.condition.unlock()
                return continuation.resume(returning: .failure(.busy))
            }
            state.queuedBytes += bytes
            state.jobs.append(job)
            state.condition.broadcast()
            state.condition.unlock()
        }
        return try result.get()
    }

    /// Requests waiting for the store and their bytes (the queue `max_queued_bytes` bounds).
    public var queued: (requests: Int, bytes: Int) {
        state.condition.lock()
        defer { state.condition.unlock() }
        return (state.jobs.count, state.queuedBytes)
    }

    /// Runs until graceful shutdown, then commits what waits and stops the writer.
    public func run() async throws {
        try? await gracefulShutdown()
        try await blocking { self.close() }
    }

    /// Refuses new requests, commits the waiting ones and waits for the writer thread to end.
    public func close() {
        state.condition.lock()
        state.closed = true
        state.condition.broadcast()
        while !state.finished { state.condition.wait() }
        state.condition.unlock()
    }

    private static func loop(state: State, writer: SendableBox<any LogWriter>, options: IngestOptions, metrics: ServerMetrics,
                             retention: RetentionSettings, retentionEveryNs: Int64, beforeCommit: (@Sendable () -> Void)?) {
        let builder = BatchBuilder()
        builder.filter = options.filters.map { NoiseFilter(config: $0, rescueDepth: $0.rescueDepth) }
        let keeps = retention.maxAgeNs != nil || retention.maxBytes != nil
        var nextRetention = Int64.min
        var nextMerge = nowNs() + retentionEveryNs
        while true {
            // Upkeep between commits, on this thread (the store has one writer): retention, then merging the
            // full-text index of the days written since the last time.
            if keeps, nowNs() >= nextRetention, let store = writer.value as? any RetainingWriter {
                _ = try? store.applyRetention(maxAgeNs: retention.maxAgeNs, maxBytes: retention.maxBytes, nowNs: nowNs(), dryRun: false)
                nextRetention = nowNs() + retentionEveryNs
            }
            if nowNs() >= nextMerge {
                try? writer.value.compactIndex()
                nextMerge = nowNs() + retentionEveryNs
            }
            state.condition.lock()
            while state.jobs.isEmpty && !state.closed {
                let wait = Double(max(0, (keeps ? min(nextRetention, nextMerge) : nextMerge) - nowNs())) / 1e9
                if !state.condition.wait(until: Date(timeIntervalSinceNow: wait)) { break }
            }
            let taken = state.jobs
            state.jobs.removeAll()
            let stopping = state.closed
            state.condition.unlock()
            if taken.isEmpty && stopping {
                try? writer.value.compactIndex()
                break
            }
            if taken.isEmpty { continue }  // woken for upkeep
            let now = nowNs()
            for job in taken where job.ship != nil {
                let result = commitShipped(job.ship!, builder: builder, writer: writer, metrics: metrics, now: now, beforeCommit: beforeCommit)
                if case .failure(.store(let f)) = result {
                    state.condition.lock()
                    state.failure = f
                    state.condition.unlock()
                }
                state.condition.lock()
                state.queuedBytes -= job.bytes
                state.condition.unlock()
                job.done(result)
            }
            let jobs = taken.filter { $0.ship == nil }
            if jobs.isEmpty { continue }
            for job in jobs {
                for part in job.parts {
                    let decoder = SourceDecoder(labels: part.labels, format: part.format, limits: options.limits, sink: builder)
                    let maxLine = options.limits.maxBytes
                    for (i, line) in part.lines.enumerated() {
                        let cut = line.count > maxLine
                        let readNs = part.times.map { i < $0.count ? $0[i] : now } ?? now
                        line.withUnsafeBufferPointer { p in
                            decoder.line(cut ? UnsafeBufferPointer(rebasing: p[..<maxLine]) : p, readNs: readNs, truncated: cut)
                        }
                    }
                    decoder.flush()
                    builder.counters.bytesReceived += Int64(part.bytes)
                }
            }
            builder.closeDedupWindows(nowNs: stopping ? Int64.max : now)
            let batch = builder.takeBatch()
            beforeCommit?()
            var result: Result<(IngestCounters, Bool), IngestRefusal>
            do {
                if !batch.isEmpty { try writer.value.append(batch) }
                result = .success((batch.counters, false))
                metrics.committed(batch.counters)
            } catch let e as ClickHouseError {
                // ClickHouse did not take the batch after ~15 s of tries under one id: nothing of it is visible;
                // the senders retry, the next batches try again (not a latched failure).
                result = .failure(.unavailable("\(e)"))
            } catch {
                result = .failure(.store("\(error)"))
                state.condition.lock()
                state.failure = "\(error)"
                state.condition.unlock()
            }
            state.condition.lock()
            state.queuedBytes -= jobs.reduce(0) { $0 + $1.bytes }
            state.condition.unlock()
            for job in jobs { job.done(result) }
        }
        state.condition.lock()
        state.finished = true
        state.condition.broadcast()
        state.condition.unlock()
    }

    /// One agent batch in its own transaction: skipped when its id is committed already (the embedded store keeps
    /// the last sequence number per agent; ClickHouse's `append(_:id:)` makes a committed id a no-op).
    private static func commitShipped(_ ship: ShipBatch, builder: BatchBuilder, writer: SendableBox<any LogWriter>, metrics: ServerMetrics,
                                      now: Int64, beforeCommit: (@Sendable () -> Void)?) -> Result<(IngestCounters, Bool), IngestRefusal> {
        do {
            let embedded = writer.value as? EmbeddedStoreWriter
            if let embedded, try embedded.committedSeq(agent: ship.agent) >= ship.seq { return .success((IngestCounters(), true)) }
            builder.add(shipped: ship)
            builder.closeDedupWindows(nowNs: now)
            var batch = builder.takeBatch()
            if ship.filteredAtAgent { batch.noise.merge(ship.noise) }
            batch.shipped = ShippedBatchID(agent: ship.agent, node: ship.node, seq: ship.seq)
            beforeCommit?()
            if let clickHouse = writer.value as? ClickHouseWriter {
                try clickHouse.append(batch, id: "ship-\(ship.agent)-\(ship.seq)")
            } else {
                try writer.value.append(batch)
            }
            metrics.committed(batch.counters)
            return .success((batch.counters, false))
        } catch let e as ClickHouseError {
            // Not committed: the agent resends the same id later.
            return .failure(.unavailable("\(e)"))
        } catch {
            return .failure(.store("\(error)"))
        }
    }

    static func nowNs() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }
}

/// Moves a non-Sendable value to the one thread that uses it from then on.
// @unchecked Sendable: the writer is created before the thread starts and used only by that thread.
struct SendableBox<T>: @unchecked Sendable {
    let value: T
    init(_ v: T) { value = v }
}
