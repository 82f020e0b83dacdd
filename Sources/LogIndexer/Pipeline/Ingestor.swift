import Foundation
public import LogCore
public import Filters

/// Options shared by every front door of ingest (`ingest`, later `tail` and the server).
public struct IngestOptions: Sendable {
    public var format: InputFormat = .auto
    /// Overrides the `source` label (default: the file path, or `stdin`).
    public var source: String?
    /// Overrides the `deployment` label for inputs whose path does not name one.
    public var deployment: String?
    /// The node an agent (`tail --ship`) runs on: the prefix of every source label.
    public var node: String?
    public var limits = JoinLimits()
    /// Text bytes per committed batch.
    public var batchBytes = 8 << 20
    /// Noise rules applied to every event (nil: store everything).
    public var filters: FilterConfig? = FilterConfig.defaultPack
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

/// How far an ingest run is: bytes read (of `totalBytes` when every input is a regular file), events sent
/// to the store and removed by noise rules so far, and the time since it started.
public struct IngestProgress: Sendable {
    public var bytesRead: Int64
    public var totalBytes: Int64?
    public var eventsStored: Int64
    public var eventsDropped: Int64
    public var seconds: Double
    public var finished: Bool
}

/// The ingest pipeline: read → decode → join → enrich on the calling thread; compress, index and commit
/// on a writer thread, with at most two batches in flight between them.
public final class Ingestor {
    let options: IngestOptions
    let makeWriter: @Sendable () throws -> any LogWriter
    /// Called on the reading thread every 4,096 lines, at each batch and at the end (`ingest` shows it on a terminal).
    public var progress: ((IngestProgress) -> Void)?

    public init(options: IngestOptions, writer: @escaping @Sendable () throws -> any LogWriter) {
        self.options = options
        self.makeWriter = writer
    }

    /// The labels for a path: kubelet layouts give namespace/pod/container and the deployment and version
    /// derived from the pod name; `--source` and `--deployment` fill or override.
    public static func labels(forPath path: String?, options: IngestOptions) -> StreamLabels {
        var l = StreamLabels(source: options.source ?? path ?? "stdin")
        // An agent's files are told apart by their node: `node:/var/log/containers/...`.
        if let node = options.node { l.source = node + ":" + l.source }
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
        let writer = WriterThread(makeWriter: makeWriter)
        let builder = BatchBuilder()
        builder.filter = options.filters.map { NoiseFilter(config: $0, rescueDepth: $0.rescueDepth) }
        var summary = IngestSummary()
        let all = inputs.isEmpty ? ["-"] : inputs
        // The total is known when every input is a regular file (stdin redirected from one counts).
        var total: Int64? = 0
        for input in all {
            var st = stat()
            let ok = input == "-" ? fstat(0, &st) == 0 : stat(input, &st) == 0
            if ok && (st.st_mode & S_IFMT) == S_IFREG, let t = total { total = t + Int64(st.st_size) } else { total = nil }
        }
        var doneBytes: Int64 = 0
        var sent = IngestCounters()
        func report(_ offset: Int64, finished: Bool = false) {
            guard let progress else { return }
            progress(IngestProgress(bytesRead: doneBytes + offset, totalBytes: total, eventsStored: sent.events + builder.counters.events,
                                    eventsDropped: sent.noiseDropped + builder.counters.noiseDropped,
                                    seconds: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9, finished: finished))
        }
        do {
            for input in all {
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
                try reader.readAll { line, truncated, start, end in
                    lines &+= 1
                    if lines & 0xFFF == 0 {
                        now = Ingestor.nowNs()
                        report(reader.offset)
                    }
                    decoder.line(line, readNs: now, truncated: truncated, start: start, end: end)
                    if builder.pendingBytes >= options.batchBytes {
                        builder.closeDedupWindows(nowNs: now)
                        builder.counters.bytesReceived += reader.offset - counted
                        counted = reader.offset
                        let batch = builder.takeBatch()
                        sent.add(batch.counters)
                        try writer.put(batch)
                        summary.batches += 1
                        report(reader.offset)
                    }
                }
                decoder.flush()
                builder.counters.bytesReceived += reader.offset - counted
                doneBytes += reader.offset
                summary.files += 1
                report(0)
            }
            builder.closeDedupWindows(nowNs: Int64.max)
            let last = builder.takeBatch()
            if !last.isEmpty { sent.add(last.counters); try writer.put(last); summary.batches += 1 }
        } catch {
            _ = try? writer.finish()
            throw error
        }
        summary.counters = try writer.finish()
        summary.seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        report(0, finished: true)
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
