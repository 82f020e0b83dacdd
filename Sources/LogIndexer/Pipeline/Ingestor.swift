import Foundation
public import LogCore

/// Options shared by every front door of ingest (`ingest`, later `tail` and the server).
public struct IngestOptions: Sendable {
    public var format: InputFormat = .auto
    /// Overrides the `source` label (default: the file path, or `stdin`).
    public var source: String?
    /// Overrides the `deployment` label for inputs whose path does not name one.
    public var deployment: String?
    public var limits = JoinLimits()
    /// Text bytes per committed batch.
    public var batchBytes = 8 << 20
    public init() {}
}

/// What one ingest run did.
public struct IngestSummary: Sendable {
    public var counters = IngestCounters()
    public var files = 0
    public var batches = 0
    public var seconds: Double = 0
    /// Inputs that could not be read (ingest went on with the others).
    public var failures: [IngestError] = []
}

/// The ingest pipeline: read → decode → join → enrich on the calling thread; compress, index and commit
/// on a writer thread, with at most two batches in flight between them.
public final class Ingestor {
    let options: IngestOptions
    let makeWriter: @Sendable () throws -> any LogWriter

    public init(options: IngestOptions, writer: @escaping @Sendable () throws -> any LogWriter) {
        self.options = options
        self.makeWriter = writer
    }

    /// The labels for a path: kubelet layouts give namespace/pod/container and the deployment and version
    /// derived from the pod name; `--source` and `--deployment` fill or override.
    public static func labels(forPath path: String?, options: IngestOptions) -> StreamLabels {
        var l = StreamLabels(source: options.source ?? path ?? "stdin")
        if let path, let ref = KubernetesPodRef(path: path) {
            l.namespace = ref.namespace
            l.pod = ref.pod
            l.container = ref.container
            let w = WorkloadName(podName: ref.pod)
            l.deployment = w.name
            l.version = w.replicaSetHash
        }
        if let d = options.deployment { l.deployment = d }
        return l
    }

    /// Ingests the inputs (paths, `-` for stdin) to the end and commits everything.
    public func run(inputs: [String]) throws -> IngestSummary {
        let started = DispatchTime.now().uptimeNanoseconds
        let queue = BoundedQueue<EventBatch>(capacity: 2)
        let done = DispatchSemaphore(value: 0)
        let makeWriter = self.makeWriter
        let committed = CommitTally()
        let thread = Thread {
            do {
                let writer = try makeWriter()
                while let batch = queue.take() {
                    try writer.append(batch)
                    committed.add(batch.counters)
                }
            } catch {
                queue.fail(error)
            }
            done.signal()
        }
        thread.stackSize = 4 << 20
        thread.start()

        let builder = BatchBuilder()
        var summary = IngestSummary()
        do {
            for input in inputs.isEmpty ? ["-"] : inputs {
                let isStdin = input == "-"
                let fd = isStdin ? 0 : open(input, O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else {
                    summary.failures.append(IngestError(path: input, reason: String(cString: strerror(errno))))
                    continue
                }
                defer { if !isStdin { close(fd) } }
                let decoder = SourceDecoder(labels: Ingestor.labels(forPath: isStdin ? nil : input, options: options),
                                            format: options.format, limits: options.limits, sink: builder)
                let reader = LineReader(fd: fd, maxLine: options.limits.maxBytes)
                var counted: Int64 = 0
                var now = Ingestor.nowNs()
                var lines = 0
                try reader.readAll { line, truncated in
                    lines &+= 1
                    if lines & 0xFFF == 0 { now = Ingestor.nowNs() }
                    decoder.line(line, readNs: now, truncated: truncated)
                    if builder.pendingBytes >= options.batchBytes {
                        builder.counters.bytesReceived += reader.offset - counted
                        counted = reader.offset
                        try queue.put(builder.takeBatch())
                        summary.batches += 1
                    }
                }
                decoder.flush()
                builder.counters.bytesReceived += reader.offset - counted
                summary.files += 1
            }
            let last = builder.takeBatch()
            if !last.isEmpty { try queue.put(last); summary.batches += 1 }
        } catch {
            queue.close()
            done.wait()
            throw error
        }
        queue.close()
        done.wait()
        if let error = queue.error { throw error }
        summary.counters = committed.total
        summary.seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return summary
    }

    static func nowNs() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }
}

/// An input that could not be read.
public struct IngestError: Error, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "cannot read \(path): \(reason)" }
}

/// Counters of what the writer thread committed.
// @unchecked Sendable: `total` is only touched with `lock` held.
final class CommitTally: @unchecked Sendable {
    private let lock = NSLock()
    private var sum = IngestCounters()
    func add(_ c: IngestCounters) { lock.lock(); sum.add(c); lock.unlock() }
    var total: IngestCounters { lock.lock(); defer { lock.unlock() }; return sum }
}
