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

/// The ingest pipeline: read → decode → join on a decoding thread; noise rules, templates and batches on the
/// calling thread; compress, index and commit on a writer thread, with at most two batches in flight to it.
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
    ///
    /// Three threads: this one runs the noise rules, mines templates and builds batches; a decoding thread reads
    /// the inputs and decodes their lines into events (``DecodedChunk``s of 256 KiB of text, at most
    /// ``decodedChunks`` waiting); the writer thread compresses, indexes and commits. On 2 cores one thread that
    /// both decoded and filtered was busy for the whole of a run while the writer waited a third of the time.
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
        let decoding = DecodingThread(inputs: all, options: options, chunks: Ingestor.decodedChunks)
        do {
            var ids: [Int] = []
            while let item = decoding.queue.take() {
                switch item {
                case .unreadable(let failure):
                    summary.failures.append(failure)
                case .failed(let error):
                    throw error
                case .chunk(let chunk):
                    try chunk.replay(into: builder, ids: &ids) {
                        guard builder.pendingBytes >= options.batchBytes else { return }
                        builder.closeDedupWindows(nowNs: chunk.readNs)
                        let batch = builder.takeBatch()
                        sent.add(batch.counters)
                        try writer.put(batch)
                        summary.batches += 1
                    }
                    report(chunk.offset)
                case .inputEnded(let bytes):
                    doneBytes += bytes
                    summary.files += 1
                    report(0)
                }
            }
            decoding.finish()
            builder.closeDedupWindows(nowNs: Int64.max)
            let last = builder.takeBatch()
            if !last.isEmpty { sent.add(last.counters); try writer.put(last); summary.batches += 1 }
        } catch {
            decoding.stop(error)
            _ = try? writer.finish()
            throw error
        }
        summary.counters = try writer.finish()
        summary.seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        report(0, finished: true)
        return summary
    }

    /// Decoded chunks (``DecodingThread/chunkBytes`` of text each) waiting for the filtering thread.
    static let decodedChunks = 2

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

/// What the decoding thread hands over, in input order.
enum DecodedInput: Sendable {
    case chunk(DecodedChunk)
    /// An input that could not be opened (ingest goes on with the others).
    case unreadable(IngestError)
    /// An input read to its end: how many bytes it had.
    case inputEnded(Int64)
    /// A read failed: ingest stops.
    case failed(any Error)
}

/// Reads and decodes the inputs one after another on a thread of its own, into a queue of ``DecodedInput``.
final class DecodingThread: @unchecked Sendable {
    // @unchecked Sendable: `queue` is thread-safe; the rest is set before the thread starts and read by it only.
    let queue: BoundedQueue<DecodedInput>
    private let done = DispatchSemaphore(value: 0)

    /// Text bytes per chunk.
    static let chunkBytes = 256 << 10

    init(inputs: [String], options: IngestOptions, chunks: Int) {
        let queue = BoundedQueue<DecodedInput>(capacity: chunks)
        self.queue = queue
        let done = self.done
        let thread = Thread {
            DecodingThread.decode(inputs, options: options, into: queue)
            queue.close()
            done.signal()
        }
        thread.stackSize = 4 << 20
        thread.start()
    }

    private static func decode(_ inputs: [String], options: IngestOptions, into queue: BoundedQueue<DecodedInput>) {
        let recorder = EventRecorder()
        do {
            for input in inputs {
                let isStdin = input == "-"
                let fd = isStdin ? 0 : open(input, O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else {
                    try queue.put(.unreadable(IngestError(path: input, reason: String(cString: strerror(errno)))))
                    continue
                }
                defer { if !isStdin { close(fd) } }
                let decoder = SourceDecoder(labels: Ingestor.labels(forPath: isStdin ? nil : input, options: options),
                                            format: options.format, limits: options.limits, into: recorder)
                let reader = LineReader(fd: fd, maxLine: options.limits.maxBytes)
                var now = Ingestor.nowNs()
                var lines = 0
                var counted: Int64 = 0
                // A chunk's counters hold the input bytes read since the one before.
                func hand() throws {
                    var chunk = recorder.take(offset: reader.offset, readNs: now)
                    chunk.counters.bytesReceived += reader.offset - counted
                    counted = reader.offset
                    try queue.put(.chunk(chunk))
                }
                try reader.readAll { line, truncated, start, end in
                    lines &+= 1
                    if lines & 0xFFF == 0 { now = Ingestor.nowNs() }
                    decoder.line(line, readNs: now, truncated: truncated, start: start, end: end)
                    if recorder.pendingBytes >= chunkBytes { try hand() }
                }
                decoder.flush()
                try hand()
                try queue.put(.inputEnded(reader.offset))
            }
        } catch let error where queue.error != nil {
            _ = error  // the filtering thread stopped us (``stop(_:)``); it has its own error to report
        } catch {
            try? queue.put(.failed(error))
        }
    }

    /// Waits for the thread after the queue ran dry.
    func finish() { done.wait() }

    /// Stops the thread early (the filtering side failed) and waits for it.
    func stop(_ error: any Error) {
        queue.fail(error)
        done.wait()
    }
}
