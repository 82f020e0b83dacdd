import Foundation

/// Everything one benchmark run measured; printed as a table and saved as `results.json`.
struct BenchResults: Codable {
    var rawBytes: Int
    var rawFiles: Int
    var workload: WorkloadManifest?
    /// `logsift ingest` of the whole input, each run into a fresh store, in the order they ran.
    var ingestRuns: [LogsiftRun] = []
    /// The ingest of every fourth file that builds the smaller query store (its peak RSS: a second input size).
    var quarterIngest: LogsiftRun?
    /// The same input through `logsift tail --once`.
    var tail: LogsiftRun?
    /// The noise filter stage alone.
    var filterStage: FilterStageRun?
    /// `zstd -3 -T1` of all files (median of as many runs as ingest), and `zstd -19 -T1` of a sample of them.
    var zstd: ZstdBaseline?
    var zstd19: ZstdBaseline?
    /// `zstd -3 -T1` of zstd -19's sample, when that is not every file.
    var zstd3Sample: ZstdBaseline?
    var fts5: FTS5Baseline?
    /// Query speed at two data sizes, against rg and zstdcat | rg.
    var queries: QueryBench?

    enum CodingKeys: String, CodingKey {
        case rawBytes = "raw_bytes", rawFiles = "raw_files", workload, logsift, ingestRuns = "logsift_runs", quarterIngest = "logsift_quarter_run", tail, filterStage = "filter_stage", zstd, zstd19, zstd3Sample = "zstd3_sample", fts5, summary, targets
        case queries
    }

    var rawMiB: Double { Double(rawBytes) / 1_048_576 }

    /// The ingest run of median wall time (of the two middle runs, the faster); its sizes stand for all runs
    /// (the same input gives the same store).
    var logsift: LogsiftRun? {
        let sorted = ingestRuns.sorted { $0.seconds < $1.seconds }
        return sorted.isEmpty ? nil : sorted[(sorted.count - 1) / 2]
    }

    /// MiB/s of each ingest run, in the order they ran.
    var ingestMiBPerSecond: [Double] { ingestRuns.map { rawMiB / max($0.seconds, 1e-9) } }

    /// Derived figures, all per raw byte or per wall second of the whole ingest.
    var summary: [String: Double] {
        var figures: [String: Double] = ["raw_mib": rawMiB]
        if let run = logsift {
            let raw = Double(max(1, rawBytes))
            let speeds = ingestMiBPerSecond
            figures["logsift_runs"] = Double(speeds.count)
            figures["logsift_mib_per_s"] = median(speeds)
            figures["logsift_seconds"] = median(ingestRuns.map(\.seconds))
            figures["logsift_mib_per_s_min"] = speeds.min() ?? 0
            figures["logsift_mib_per_s_max"] = speeds.max() ?? 0
            figures["logsift_events_per_s"] = median(ingestRuns.map { Double($0.stats.events) / max($0.seconds, 1e-9) })
            // The highest peak of any run: the bound must hold for every run.
            figures["logsift_peak_rss_mib"] = Double(ingestRuns.map(\.maxRSSKiB).max() ?? run.maxRSSKiB) / 1024
            if let quarter = quarterIngest { figures["logsift_quarter_peak_rss_mib"] = Double(quarter.maxRSSKiB) / 1024 }
            figures["logsift_data_per_raw"] = Double(run.stats.bytesStoredData) / raw
            figures["logsift_index_per_raw"] = Double(run.stats.bytesStoredIndex) / raw
            figures["logsift_stored_per_raw"] = Double(run.stats.bytesStoredData + run.stats.bytesStoredIndex) / raw
            figures["logsift_on_disk_per_raw"] = Double(run.stats.bytesOnDisk) / raw
        }
        if let zstd {
            figures["zstd_ratio"] = zstd.ratio
            figures["zstd_mib_per_s"] = zstd.mibPerSecond
            figures["zstd_seconds"] = zstd.seconds
            if let seconds = figures["logsift_seconds"] { figures["logsift_time_vs_zstd3"] = seconds / max(zstd.seconds, 1e-9) }
        }
        if let zstd19 {
            figures["zstd19_ratio"] = zstd19.ratio
            figures["zstd19_sample_mib"] = Double(zstd19.inputBytes) / 1_048_576
            figures["zstd19_mib_per_s"] = zstd19.mibPerSecond
            if let stored = figures["logsift_stored_per_raw"] { figures["logsift_stored_vs_zstd19"] = stored / max(zstd19.ratio, 1e-9) }
        }
        if let fts5 {
            figures["fts5_mib_per_s"] = fts5.mibPerSecond
            figures["fts5_bytes_per_raw"] = fts5.bytesPerRawByte
        }
        return figures
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rawBytes, forKey: .rawBytes)
        try container.encode(rawFiles, forKey: .rawFiles)
        try container.encodeIfPresent(workload, forKey: .workload)
        try container.encodeIfPresent(logsift, forKey: .logsift)
        try container.encode(ingestRuns, forKey: .ingestRuns)
        try container.encodeIfPresent(quarterIngest, forKey: .quarterIngest)
        try container.encodeIfPresent(tail, forKey: .tail)
        try container.encodeIfPresent(filterStage, forKey: .filterStage)
        try container.encodeIfPresent(zstd, forKey: .zstd)
        try container.encodeIfPresent(zstd19, forKey: .zstd19)
        try container.encodeIfPresent(zstd3Sample, forKey: .zstd3Sample)
        try container.encodeIfPresent(fts5, forKey: .fts5)
        try container.encodeIfPresent(queries, forKey: .queries)
        try container.encode(summary, forKey: .summary)
        try container.encode(targets, forKey: .targets)
    }

    init(rawBytes: Int, rawFiles: Int, workload: WorkloadManifest?) {
        self.rawBytes = rawBytes
        self.rawFiles = rawFiles
        self.workload = workload
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        rawBytes = try container.decode(Int.self, forKey: .rawBytes)
        rawFiles = try container.decode(Int.self, forKey: .rawFiles)
        workload = try container.decodeIfPresent(WorkloadManifest.self, forKey: .workload)
        ingestRuns = try container.decodeIfPresent([LogsiftRun].self, forKey: .ingestRuns) ?? []
        quarterIngest = try container.decodeIfPresent(LogsiftRun.self, forKey: .quarterIngest)
        tail = try container.decodeIfPresent(LogsiftRun.self, forKey: .tail)
        filterStage = try container.decodeIfPresent(FilterStageRun.self, forKey: .filterStage)
        zstd = try container.decodeIfPresent(ZstdBaseline.self, forKey: .zstd)
        zstd19 = try container.decodeIfPresent(ZstdBaseline.self, forKey: .zstd19)
        zstd3Sample = try container.decodeIfPresent(ZstdBaseline.self, forKey: .zstd3Sample)
        fts5 = try container.decodeIfPresent(FTS5Baseline.self, forKey: .fts5)
        queries = try container.decodeIfPresent(QueryBench.self, forKey: .queries)
    }

    func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(self).write(to: URL(fileURLWithPath: path))
    }

    /// The human-readable table (MiB = 2^20 bytes).
    func table() -> String {
        var lines: [String] = []
        func row(_ label: String, _ value: String) {
            lines.append(label.padding(toLength: 22, withPad: " ", startingAt: 0) + value)
        }
        func percent(_ value: Double) -> String { String(format: "%6.2f%% of raw", value * 100) }
        let figures = summary
        lines.append("logsift ingest benchmark (MiB = 2^20 bytes, \(ProcessInfo.processInfo.activeProcessorCount) cores)")
        row("raw input", String(format: "%.1f MiB in %d files", rawMiB, rawFiles))
        if let workload {
            row("  lines / events", "\(workload.lines.formatted()) lines, \(workload.events.formatted()) generated events")
            row("  mix", String(format: "%.1f%% probe/scrape events, %.2f%% error events, %d long lines, %d templates",
                                100 * Double(workload.probeEvents) / Double(max(1, workload.events)),
                                100 * Double(workload.errorEvents) / Double(max(1, workload.events)),
                                workload.longEvents, workload.templates))
        }
        if let run = logsift {
            let speeds = ingestMiBPerSecond
            lines.append(speeds.count == 1 ? "logsift ingest (one run)" : "logsift ingest (median of \(speeds.count) runs)")
            row("  end to end", String(format: "%.1f MiB/s, %.0f events/s (%.1f s wall, %.1f s CPU)",
                                       figures["logsift_mib_per_s"] ?? 0, figures["logsift_events_per_s"] ?? 0, run.seconds, run.cpuSeconds))
            if speeds.count > 1 {
                row("  runs", speeds.map { String(format: "%.1f", $0) }.joined(separator: ", ")
                    + String(format: " MiB/s (min %.1f, max %.1f)", speeds.min() ?? 0, speeds.max() ?? 0))
            }
            row("  events stored", "\(run.stats.events.formatted()) (bytes received \(run.stats.bytesReceived.formatted()))")
            row("  peak RSS", String(format: "%.1f MiB", figures["logsift_peak_rss_mib"] ?? 0))
            row("  stored data", percent(figures["logsift_data_per_raw"] ?? 0))
            row("  index", percent(figures["logsift_index_per_raw"] ?? 0))
            row("  data + index", percent(figures["logsift_stored_per_raw"] ?? 0))
            row("  on disk", percent(figures["logsift_on_disk_per_raw"] ?? 0))
        } else {
            row("logsift", "skipped")
        }
        if let t = tail {
            row("tail --once", String(format: "%.1f MiB/s, %.0f events/s, peak RSS %.1f MiB, data + index %@",
                                      rawMiB / max(t.seconds, 1e-9), Double(t.stats.events) / max(t.seconds, 1e-9), Double(t.maxRSSKiB) / 1024,
                                      percent(Double(t.stats.bytesStoredData + t.stats.bytesStoredIndex) / Double(max(rawBytes, 1)))))
        }
        if let f = filterStage {
            row("filter stage", String(format: "%.0f MB/s on one core, median of %d runs (min %.0f, max %.0f; %.0f MB, default pack, %.1f%% of lines dropped; target >= 300)",
                                       f.megabytesPerSecond, f.runs.count, f.minMegabytesPerSecond, f.maxMegabytesPerSecond,
                                       f.megabytes, 100 * f.droppedShare))
        }
        if let zstd {
            row("zstd -3 -T1", percent(zstd.ratio) + String(format: ", %.1f MiB/s (%.2f s wall, %.2f s CPU; median of %@)",
                                                          zstd.mibPerSecond, zstd.seconds, zstd.cpuSeconds, Self.runs(zstd.runs.count)))
        }
        if let zstd19 {
            row("zstd -19 -T1", percent(zstd19.ratio) + String(format: ", %.1f MiB/s (%.1f s wall), on %@",
                                                             zstd19.mibPerSecond, zstd19.seconds, zstd19.sample ?? "all files")
                + (zstd3Sample.map { String(format: " (zstd -3 on it: %.2f%%)", $0.ratio * 100) } ?? ""))
        }
        if let fts5 {
            let sample = fts5.sampled ? String(format: ", on a sample of %.1f MiB", Double(fts5.inputBytes) / 1_048_576) : ""
            row("naive FTS5", percent(fts5.bytesPerRawByte) + String(format: ", %.1f MiB/s, %.0f lines/s (%.1f s)",
                                                                   fts5.mibPerSecond, fts5.linesPerSecond, fts5.seconds) + sample)
        }
        if zstd == nil, zstd19 == nil, fts5 == nil { row("baselines", "skipped") }
        if let queries {
            lines.append("queries (p50 ms: in process / CLI with process start / rg raw / zstdcat | rg; ratios vs in process)")
            for size in queries.sizes {
                lines.append(String(format: "  %@: %.1f MiB in %d files", size.label, Double(size.rawBytes) / 1_048_576, size.files))
                for q in size.queries {
                    lines.append("    " + q.name.padding(toLength: 28, withPad: " ", startingAt: 0)
                                 + String(format: "%8.2f / %7.1f / %8.1f / %8.1f   rg %6.0fx, zstdcat|rg %6.0fx  (%d matches; %@)",
                                        q.inProcessP50, q.cliP50, q.rgP50, q.zstdRgP50, q.rgRatio, q.zstdRgRatio, q.matches,
                                        String(q.query.prefix(40))))
                }
            }
        }
        lines += targetTable()
        return lines.joined(separator: "\n") + "\n"
    }
}
