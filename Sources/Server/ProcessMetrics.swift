import Foundation
import Prometheus
import Synchronization

/// Prometheus' standard process metrics (as its client libraries name them), read from /proc at each scrape:
/// CPU time, resident and virtual memory, open and maximum file descriptors, start time. Zero where /proc
/// is missing.
final class ProcessMetrics: Sendable {
    private let cpu: Prometheus.Counter
    private let resident, virtual, openFDs, maxFDs, startTime: Prometheus.Gauge
    private let cpuSeen = Mutex(0.0)
    private static let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
    private static let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))

    /// A metric's whole name (unit included) and its help text.
    static func named(_ name: String, _ help: String) -> MetricNameDescriptor { MetricNameDescriptor(metricName: name, unitName: "", helpText: help) }

    init(registry: PrometheusCollectorRegistry) {
        cpu = registry.makeCounter(descriptor: MetricNameDescriptor(metricName: "process_cpu_seconds", unitName: "total", helpText: "Total user and system CPU time spent in seconds."))
        resident = registry.makeGauge(descriptor: ProcessMetrics.named("process_resident_memory_bytes", "Resident memory size in bytes."))
        virtual = registry.makeGauge(descriptor: ProcessMetrics.named("process_virtual_memory_bytes", "Virtual memory size in bytes."))
        openFDs = registry.makeGauge(descriptor: ProcessMetrics.named("process_open_fds", "Number of open file descriptors."))
        maxFDs = registry.makeGauge(descriptor: ProcessMetrics.named("process_max_fds", "Maximum number of open file descriptors."))
        startTime = registry.makeGauge(descriptor: ProcessMetrics.named("process_start_time_seconds", "Start time of the process since unix epoch in seconds."))
    }

    func update() {
        if let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") {
            // Fields after the command name: state is field 3; utime 14, stime 15, starttime 22, vsize 23, rss 24.
            let f = stat[stat.index(after: close)...].split(separator: " ").map(String.init)
            func field(_ n: Int) -> Double { n - 3 < f.count ? Double(f[n - 3]) ?? 0 : 0 }
            let seconds = (field(14) + field(15)) / Self.ticks
            let delta = cpuSeen.withLock { seen in
                defer { seen = max(seen, seconds) }
                return max(0, seconds - seen)
            }
            if delta > 0 { cpu.increment(by: delta) }
            virtual.set(to: field(23))
            resident.set(to: field(24) * Self.pageSize)
            if let boot = Self.bootTime { startTime.set(to: boot + field(22) / Self.ticks) }
        }
        openFDs.set(to: Double((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.count ?? 0))
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 { maxFDs.set(to: Double(limit.rlim_cur)) }
    }

    /// The boot time (`btime` in /proc/stat), which process start times count from.
    private static let bootTime: Double? = {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return nil }
        return text.split(separator: "\n").first { $0.hasPrefix("btime ") }.flatMap { Double($0.dropFirst(6)) }
    }()
}
