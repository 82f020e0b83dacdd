import Foundation
import LogIndexer
import Synchronization

/// Counters of the server, written as Prometheus text (exposition format 0.0.4) by hand: events in, dropped
/// and stored; requests and their latency by route and status; refused requests; the store's size on disk.
public final class ServerMetrics: Sendable {
    private struct Key: Hashable { var route: String; var status: Int }
    private struct State {
        var committed = IngestCounters()
        var requests: [Key: (count: Int64, seconds: Double)] = [:]
        var commits: Int64 = 0
        var droppedDatagrams: Int64 = 0
    }
    private let state = Mutex(State())
    let dataDirectory: String

    public init(dataDirectory: String) { self.dataDirectory = dataDirectory }

    func committed(_ c: IngestCounters) {
        state.withLock { $0.committed.add(c); $0.commits += 1 }
    }

    func droppedDatagram() { state.withLock { $0.droppedDatagrams += 1 } }

    func request(route: String, status: Int, seconds: Double) {
        state.withLock { s in
            let k = Key(route: route, status: status)
            let old = s.requests[k] ?? (0, 0)
            s.requests[k] = (old.count + 1, old.seconds + seconds)
        }
    }

    /// The exposition text.
    public func render() -> String {
        let s = state.withLock { $0 }
        var out = ""
        func counter(_ name: String, _ help: String, _ value: Int64) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) counter\n\(name) \(value)\n"
        }
        counter("logsift_lines_received_total", "Lines received by the ingest endpoints and committed.", s.committed.linesRead)
        counter("logsift_bytes_received_total", "Bytes of request lines committed.", s.committed.bytesReceived)
        counter("logsift_events_stored_total", "Events stored.", s.committed.events)
        counter("logsift_events_dropped_total", "Events removed by noise rules.", s.committed.noiseDropped)
        counter("logsift_failures_total", "Events marked as failures.", s.committed.failures)
        counter("logsift_commits_total", "Store transactions committed by the server.", s.commits)
        counter("logsift_syslog_datagrams_dropped_total", "Syslog UDP datagrams dropped because the store was busy.", s.droppedDatagrams)
        out += "# HELP logsift_http_requests_total HTTP requests by route and status.\n# TYPE logsift_http_requests_total counter\n"
        let keys = s.requests.keys.sorted { ($0.route, $0.status) < ($1.route, $1.status) }
        for k in keys { out += "logsift_http_requests_total{route=\(Self.label(k.route)),status=\"\(k.status)\"} \(s.requests[k]!.count)\n" }
        out += "# HELP logsift_http_request_seconds_sum Time spent answering, by route and status.\n# TYPE logsift_http_request_seconds_sum counter\n"
        for k in keys { out += "logsift_http_request_seconds_sum{route=\(Self.label(k.route)),status=\"\(k.status)\"} \(s.requests[k]!.seconds)\n" }
        let base = dataDirectory + "/" + EmbeddedStore.fileName
        let wal = EmbeddedStore.fileSize(base + "-wal")
        let size = EmbeddedStore.fileSize(base) + wal + EmbeddedStore.fileSize(base + "-shm")
        out += "# HELP logsift_store_bytes Size of the store on disk.\n# TYPE logsift_store_bytes gauge\nlogsift_store_bytes \(size)\n"
        out += "# HELP logsift_store_wal_bytes Size of the write-ahead log (part of logsift_store_bytes).\n# TYPE logsift_store_wal_bytes gauge\n"
            + "logsift_store_wal_bytes \(wal)\n"
        return out
    }

    private static func label(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
}
