import CoreMetrics
import Foundation
import LogIndexer
public import Prometheus
import Synchronization

/// The server's metrics through swift-metrics, kept and written by swift-prometheus: events in, dropped and
/// stored; requests by route and status with their latency as a histogram; the ingest queue; the store's
/// and its WAL's size; the process (CPU, memory, descriptors, start time). Each server has its own registry,
/// so that servers in one process (tests) count apart; `logsift serve` also bootstraps swift-metrics with a
/// factory over this registry, so that Hummingbird's `MetricsMiddleware` and any library's metrics land here.
public final class ServerMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    /// swift-metrics' factory over `registry` (Prometheus names: dots become underscores).
    public let factory: PrometheusMetricsFactory
    let dataDirectory: String

    private struct Key: Hashable { var route: String; var status: Int }
    private let linesReceived, bytesReceived, eventsStored, eventsDropped, failures, commits, datagramsDropped: CoreMetrics.Counter
    private let requests = Mutex<[Key: (count: CoreMetrics.Counter, latency: CoreMetrics.Timer)]>([:])
    private let storeBytes, walBytes, queueRequests, queueBytes: Prometheus.Gauge
    private let process: ProcessMetrics

    public init(dataDirectory: String) {
        self.dataDirectory = dataDirectory
        var f = PrometheusMetricsFactory(registry: registry)
        f.defaultDurationHistogramBuckets = [.milliseconds(1), .microseconds(2500), .milliseconds(5), .milliseconds(10), .milliseconds(25),
                                             .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
                                             .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30)]
        f.nameAndLabelSanitizer = Self.prometheusNames
        factory = f
        func counter(_ name: String) -> CoreMetrics.Counter { CoreMetrics.Counter(label: name, factory: f) }
        linesReceived = counter("logsift_lines_received_total")
        bytesReceived = counter("logsift_bytes_received_total")
        eventsStored = counter("logsift_events_stored_total")
        eventsDropped = counter("logsift_events_dropped_total")
        failures = counter("logsift_failures_total")
        commits = counter("logsift_commits_total")
        datagramsDropped = counter("logsift_syslog_datagrams_dropped_total")
        storeBytes = registry.makeGauge(descriptor: ProcessMetrics.named("logsift_store_bytes", "Size of the embedded store on disk (database, WAL and shared memory files)."))
        walBytes = registry.makeGauge(descriptor: ProcessMetrics.named("logsift_store_wal_bytes", "Size of the write-ahead log (part of logsift_store_bytes)."))
        queueRequests = registry.makeGauge(descriptor: ProcessMetrics.named("logsift_ingest_queue_requests", "Ingest requests waiting for the store writer."))
        queueBytes = registry.makeGauge(descriptor: ProcessMetrics.named("logsift_ingest_queue_bytes", "Bytes of ingest requests waiting for the store writer (max_queued_bytes bounds it)."))
        process = ProcessMetrics(registry: registry)
    }

    /// Makes this registry the process's swift-metrics backend (once per process: `logsift serve`).
    public func bootstrap() { MetricsSystem.bootstrap(factory) }

    /// Hummingbird's and other libraries' swift-metrics names in Prometheus' conventions: units and `_total` suffixes.
    @Sendable static func prometheusNames(_ name: String, _ labels: [(String, String)]) -> (String, [(String, String)]) {
        let renamed: [String: String] = ["hb.requests": "http_server_requests_total", "hb.request.errors": "http_server_request_errors_total",
                                         "http.server.request.duration": "http_server_request_duration_seconds"]
        return (renamed[name] ?? name, labels.map { ($0.0.replacingOccurrences(of: ".", with: "_"), $0.1) })
    }

    func committed(_ c: IngestCounters) {
        linesReceived.increment(by: c.linesRead)
        bytesReceived.increment(by: c.bytesReceived)
        eventsStored.increment(by: c.events)
        eventsDropped.increment(by: c.noiseDropped)
        failures.increment(by: c.failures)
        commits.increment()
    }

    func droppedDatagram() { datagramsDropped.increment() }

    func request(route: String, status: Int, seconds: Double) {
        let m = requests.withLock { all in
            let k = Key(route: route, status: status)
            if let m = all[k] { return m }
            let dims = [("route", route), ("status", "\(status)")]
            let m = (CoreMetrics.Counter(label: "logsift_http_requests_total", dimensions: dims, factory: factory),
                     CoreMetrics.Timer(label: "logsift_http_request_duration_seconds", dimensions: dims, factory: factory))
            all[k] = m
            return m
        }
        m.count.increment()
        m.latency.recordNanoseconds(Int64(seconds * 1e9))
    }

    /// The exposition text (format 0.0.4), with the gauges read now.
    public func render(queue: (requests: Int, bytes: Int) = (0, 0)) -> String {
        let base = dataDirectory + "/" + EmbeddedStore.fileName
        let wal = EmbeddedStore.fileSize(base + "-wal")
        storeBytes.set(to: Double(EmbeddedStore.fileSize(base) + wal + EmbeddedStore.fileSize(base + "-shm")))
        walBytes.set(to: Double(wal))
        queueRequests.set(to: Double(queue.requests))
        queueBytes.set(to: Double(queue.bytes))
        process.update()
        return registry.emitToString()
    }
}
