import Foundation
import LogIndexer

/// logsift-bench: generate a Kubernetes workload, ingest it with logsift, compare with baselines.
func runBenchmark(_ options: BenchOptions) throws {
    let fileManager = FileManager.default
    let work = URL(fileURLWithPath: options.work).standardizedFileURL.path
    let raw = "\(work)/raw"
    let manifestPath = "\(work)/workload.json"
    try fileManager.createDirectory(atPath: work, withIntermediateDirectories: true)

    // a. The workload: reuse it when asked to, or when it was made with the same size and seed.
    var manifest = WorkloadGenerator.loadManifest(at: manifestPath)
    let rawExists = fileManager.fileExists(atPath: raw)
    if options.skipGenerate && rawExists {
        printProgress("generate: skipped, using \(raw) as it is")
    } else if rawExists, let existing = manifest, existing.matches(sizeMB: options.sizeMB, seed: options.seed) {
        printProgress("generate: reusing \(raw) (\(existing.sizeMB) MiB, seed \(existing.seed))")
    } else {
        try? fileManager.removeItem(atPath: manifestPath)
        printProgress("generate: \(options.sizeMB) MiB, seed \(options.seed), \(options.jobs) threads into \(raw)")
        let made = try WorkloadGenerator.generate(rawDirectory: raw, sizeMB: options.sizeMB, seed: options.seed, jobs: options.jobs)
        try WorkloadGenerator.saveManifest(made, at: manifestPath)
        manifest = made
        printProgress(String(format: "generate: %.1f MiB in %.1f s (%.0f MiB/s), %d files",
                             Double(made.bytes) / 1_048_576, made.seconds, Double(made.bytes) / 1_048_576 / max(made.seconds, 1e-9), made.files))
    }
    let input = try RawInput(rawDirectory: raw)
    var shipSummary = ""
    var results = BenchResults(rawBytes: input.totalBytes, rawFiles: input.files.count, workload: manifest)

    // b. logsift end to end.
    if !options.skipLogsift && !options.queriesOnly {
        let logsift = options.logsift ?? BenchOptions.defaultLogsiftPath()
        for k in 0..<options.runs {
            if options.runs > 1 { printProgress("logsift: ingest run \(k + 1) of \(options.runs)") }
            results.ingestRuns.append(try LogsiftRun.run(logsift: logsift, store: "\(work)/store", input: input, statsPath: "\(work)/stats.json"))
        }
        // The same files through `logsift tail --once` (one pipeline, two front doors).
        results.tail = try LogsiftRun.run(logsift: logsift, store: "\(work)/store-tail", input: input, statsPath: "\(work)/stats-tail.json",
                                          subcommand: "tail")
        try? fileManager.removeItem(atPath: "\(work)/store-tail")
        if options.ship {
            let ship = try ShipBench.run(logsift: logsift, work: work, input: input)
            let tailMiBps = results.tail.map { Double(input.totalBytes) / 1_048_576 / max($0.seconds, 1e-9) }
            shipSummary = ship.summary(tailMiBps: tailMiBps)
            FileHandle.standardError.write(Data(shipSummary.utf8))
        }
    }

    // Queries on the full store (left by the last ingest run) and on a store of every fourth file.
    if !options.skipLogsift && !options.skipQueries {
        let logsift = options.logsift ?? BenchOptions.defaultLogsiftPath()
        var bench = QueryBench()
        let quarter = input.subset { $0 % 4 == 0 }
        printProgress(String(format: "queries: a store of every fourth file (%.1f MiB)", Double(quarter.totalBytes) / 1_048_576))
        results.quarterIngest = try LogsiftRun.run(logsift: logsift, store: "\(work)/store-quarter", input: quarter,
                                                   statsPath: "\(work)/stats-quarter.json")
        // One id for both sizes: from the quarter's files (which the full store holds too), stored in the quarter.
        let id = try QueryBench.pickIdentifier(files: quarter.files, sizes: quarter.sizes, store: "\(work)/store-quarter")
        bench.sizes.append(try QueryBench.measure(label: "quarter", logsift: logsift, store: "\(work)/store-quarter", files: quarter.files,
                                                  sizes: quarter.sizes, zstdDirectory: "\(work)/zst-quarter", idTerm: id))
        bench.sizes.append(try QueryBench.measure(label: "full", logsift: logsift, store: "\(work)/store", files: input.files,
                                                  sizes: input.sizes, zstdDirectory: "\(work)/zst-full", idTerm: id))
        results.queries = bench
        try? fileManager.removeItem(atPath: "\(work)/store-quarter")
    }

    if options.queriesOnly {
        print(results.table(), terminator: "")
        return
    }

    // The embedded store against a ClickHouse store, side by side.
    var comparison: StoreComparison?
    if !options.clickHouse.isEmpty {
        let logsift = options.logsift ?? BenchOptions.defaultLogsiftPath()
        comparison = try StoreComparison.run(logsift: logsift, embeddedStore: "\(work)/store-compare", clickHouse: options.clickHouse, input: input)
        try? fileManager.removeItem(atPath: "\(work)/store-compare")
    }

    // Real corpora next to zstd -3 and -19.
    var corpora: CorpusComparison?
    if !options.corpora.isEmpty {
        corpora = try CorpusComparison.run(logsift: options.logsift ?? BenchOptions.defaultLogsiftPath(), work: work, corpora: options.corpora)
    }

    // The filter stage alone (issue target: >= 300 MB/s on one core).
    printProgress("filters: default pack over the application lines, one core, \(options.filterRuns) runs")
    results.filterStage = try FilterStageRun.run(input: input, runs: options.filterRuns)

    // c. Baselines on the same input.
    if !options.skipBaselines {
        printProgress(String(format: "zstd: -3 -T1 over %.1f MiB, %d runs", Double(input.totalBytes) / 1_048_576, options.runs))
        results.zstd = try ZstdBaseline.run(input: input, level: 3, outputPath: "\(work)/baseline.zst", runs: options.runs)
        let sample = input.sample(capBytes: options.zstd19CapMB * 1_048_576)
        printProgress("zstd: -19 -T1 over \(sample.description)")
        results.zstd19 = try ZstdBaseline.run(input: sample.input, level: 19, outputPath: "\(work)/baseline.zst", sample: sample.description)
        if sample.input.files.count < input.files.count {
            // -3 on the sample too: how far the sample's ratio is from the whole workload's.
            results.zstd3Sample = try ZstdBaseline.run(input: sample.input, level: 3, outputPath: "\(work)/baseline.zst", sample: sample.description)
        }
        let cap = options.ftsCapMB * 1_048_576
        printProgress(String(format: "fts5: naive store of %.1f MiB", Double(min(cap, input.totalBytes)) / 1_048_576)
                      + (input.totalBytes > cap ? " (sampled from every file)" : ""))
        results.fts5 = try FTS5Baseline.run(input: input, databasePath: "\(work)/naive-fts5.sqlite", capBytes: cap)
        for suffix in ["", "-wal", "-shm"] { try? fileManager.removeItem(atPath: "\(work)/naive-fts5.sqlite\(suffix)") }
    }

    // d. Report.
    try results.write(to: "\(work)/results.json")
    print(results.table(), terminator: "")
    if !shipSummary.isEmpty { print(shipSummary, terminator: "") }
    if let comparison {
        print(comparison.table(), terminator: "")
        try JSONEncoder().encode(comparison).write(to: URL(fileURLWithPath: "\(work)/store-comparison.json"))
    }
    if let corpora {
        print(corpora.table(), terminator: "")
        try JSONEncoder().encode(corpora).write(to: URL(fileURLWithPath: "\(work)/corpora.json"))
    }
    printProgress("results written to \(work)/results.json")
}

signal(SIGPIPE, SIG_IGN)
do {
    guard let options = try BenchOptions.parse(Array(CommandLine.arguments.dropFirst())) else {
        print(BenchOptions.usage)
        exit(0)
    }
    MallocTuning.keepLargeBlocks()  // as `logsift` does: the in-process figures are those of `serve`
    if let query = options.query {
        try QueryBench.timeOne(query, store: URL(fileURLWithPath: options.work).standardizedFileURL.path + "/store",
                               logsift: options.logsift ?? BenchOptions.defaultLogsiftPath())
    } else {
        try runBenchmark(options)
    }
} catch {
    printProgress("error: \(error)")
    exit(1)
}
