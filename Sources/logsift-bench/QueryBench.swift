import Foundation
import LogCore
import LogIndexer
import Query

/// Query speed on stores built from the workload: each query in process (the query path alone, reader
/// open) and as the CLI's wall time (process start included), next to `rg` over the raw files and
/// `zstdcat | rg` over zstd copies of them, at two data sizes (issue 16: lookups flat, phrases sub-linear as data grows).
struct QueryBench: Codable {
    /// How a query's in-process median may grow from the smaller store to the larger.
    enum Growth: String, Codable {
        /// At most 1.5× (an id lookup).
        case flat
        /// Less than the data grew (a phrase).
        case sublinear
    }

    struct Query: Codable {
        var name: String
        var query: String
        var matches: Int
        var inProcessMs: [Double]
        var cliMs: [Double]
        var rgMs: [Double]
        var zstdRgMs: [Double]
        /// In-process and CLI p50 targets at the larger size, where the issue sets one.
        var targetMs: Double?
        var cliTargetMs: Double?
        var growth: Growth?

        var inProcessP50: Double { median(inProcessMs) }
        var cliP50: Double { median(cliMs) }
        var rgP50: Double { median(rgMs) }
        var zstdRgP50: Double { median(zstdRgMs) }
        var rgRatio: Double { rgP50 / max(inProcessP50, 1e-6) }
        var zstdRgRatio: Double { zstdRgP50 / max(inProcessP50, 1e-6) }
    }

    struct Size: Codable {
        var label: String
        var rawBytes: Int
        var files: Int
        var queries: [Query]
    }

    var sizes: [Size] = []

    static let inProcessRuns = 31
    static let cliRuns = 11
    static let rgRuns = 5
    static let zstdRuns = 3

    /// Measures the three queries of the issue on `store` (built from `files`); `idTerm` is the identifier looked
    /// up (``pickIdentifier``: the same at every size, so that growth compares like with like).
    static func measure(label: String, logsift: String, store: String, files: [String], sizes: [Int], zstdDirectory: String,
                        idTerm term: String) throws -> Size {
        printProgress("queries (\(label)): zstd copies, then logsift in process, CLI, rg and zstdcat | rg")
        let zstdFiles = try zstdCopies(files, into: zstdDirectory)
        let reader = try EmbeddedStoreReader(directory: store)
        var out = Size(label: label, rawBytes: sizes.reduce(0, +), files: files.count, queries: [])

        // 1. An id lookup.
        let termRequest = SearchRequest(predicate: SearchPredicate(try KQL.parse(term)), limit: 100)
        var q = Query(name: "id lookup, top 100", query: term, matches: try reader.search(termRequest).count,
                      inProcessMs: [], cliMs: [], rgMs: [], zstdRgMs: [], targetMs: 1, cliTargetMs: 10, growth: .flat)
        q.inProcessMs = try time(inProcessRuns) { _ = try reader.search(termRequest) }
        q.cliMs = try cli(logsift, ["search", "--data", store, "--limit", "100", term])
        q.rgMs = try shell("rg -F -- '\(term)' \(quoted(files)) > /dev/null", runs: rgRuns)
        q.zstdRgMs = try shell("zstdcat \(quoted(zstdFiles)) | rg -F -- '\(term)' > /dev/null", runs: zstdRuns)
        out.queries.append(q)

        // 2. Failures of the deployment with the most of them, over the whole week.
        let all = try reader.failureGroups(deployment: nil)
        var perDeployment: [String: Int64] = [:]
        for g in all where !g.deployment.isEmpty { perDeployment[g.deployment, default: 0] += g.events }
        if let deployment = perDeployment.max(by: { $0.value < $1.value })?.key {
            let from = WorkloadPlan.start, to = WorkloadPlan.end
            let groups = try reader.failureGroups(deployment: deployment, fromNs: from, toNs: to)
            var f = Query(name: "failures by deployment", query: deployment, matches: Int(groups.reduce(0) { $0 + $1.events }),
                          inProcessMs: [], cliMs: [], rgMs: [], zstdRgMs: [], targetMs: nil, cliTargetMs: nil, growth: nil)
            f.inProcessMs = try time(inProcessRuns) { _ = try reader.failureGroups(deployment: deployment, fromNs: from, toNs: to) }
            f.cliMs = try cli(logsift, ["failures", "--data", store, "--deployment", deployment, "--json"])
            // rg's nearest equivalent: error lines in that deployment's files (it cannot group or attribute).
            let mine = files.enumerated().filter { ($0.element as NSString).lastPathComponent.hasPrefix(deployment + "-") }
            let raw = quoted(mine.map(\.element)), zst = quoted(mine.map { zstdFiles[$0.offset] })
            let pattern = "-e ERROR -e Exception -e 'panic:' -e Traceback -e '\"level\":\"error\"' -e 'level=error'"
            f.rgMs = try shell("rg -c \(pattern) \(raw.isEmpty ? "/dev/null" : raw) > /dev/null", runs: rgRuns)
            f.zstdRgMs = try shell("zstdcat \(zst.isEmpty ? "/dev/null" : zst) | rg -c \(pattern) > /dev/null", runs: zstdRuns)
            out.queries.append(f)
        }

        // 3. Events per hour over the whole week.
        let week = SearchRequest(predicate: .all, fromNs: WorkloadPlan.start, toNs: WorkloadPlan.end - 1)
        var h = Query(name: "histogram, week by hour", query: "*", matches: try reader.histogram(week, intervalNs: 3_600_000_000_000).total,
                      inProcessMs: [], cliMs: [], rgMs: [], zstdRgMs: [], targetMs: nil, cliTargetMs: nil, growth: nil)
        h.inProcessMs = try time(inProcessRuns) { _ = try reader.histogram(week, intervalNs: 3_600_000_000_000) }
        h.cliMs = try cli(logsift, ["search", "--data", store, "--histogram", "--interval", "1h", "--from", Timestamp.rfc3339(WorkloadPlan.start),
                                    "--to", Timestamp.rfc3339(WorkloadPlan.end - 1)])
        // rg's lower bound: counting the lines (a histogram must at least read every line's time).
        h.rgMs = try shell("rg -c '' \(quoted(files)) > /dev/null", runs: rgRuns)
        h.zstdRgMs = try shell("zstdcat \(quoted(zstdFiles)) | rg -c '' > /dev/null", runs: zstdRuns)
        out.queries.append(h)

        // 4-7. Rare values and a phrase (issue 16): counts of an error level and of failures, one pod's warnings,
        // and a phrase's newest 100; rg's nearest equivalent alongside.
        let pod = try reader.search(SearchRequest(predicate: SearchPredicate(try KQL.parse("level:warn")), limit: 1)).events.first?.labels.pod ?? ""
        let cases: [(String, String, Bool, Double, Growth?, String)] = [
            ("level:error, count", "level:error", true, 5, nil, "-e '\"level\":\"error\"' -e 'level=error' -e ' ERROR ' -e '\\bE[0-9]{4} '"),
            ("kind:failure, count", "kind:failure", true, 5, nil, "-e ERROR -e Exception -e 'panic:' -e Traceback -e '\"level\":\"error\"'"),
            ("one pod's warnings, top 100", "pod:\"\(pod)\" and level:warn", false, 5, nil, "-F -e '\(pod)'"),
            ("phrase, top 100", "\"connection refused\"", false, 20, .sublinear, "-F -e 'connection refused'"),
        ]
        for (name, query, count, target, growth, rg) in cases {
            let request = SearchRequest(predicate: SearchPredicate(try KQL.parse(query)), limit: 100, countOnly: count)
            var r = Query(name: name, query: query, matches: try reader.search(request).count, inProcessMs: [], cliMs: [], rgMs: [], zstdRgMs: [],
                          targetMs: target, cliTargetMs: nil, growth: growth)
            r.inProcessMs = try time(inProcessRuns) { _ = try reader.search(request) }
            r.cliMs = try cli(logsift, ["search", "--data", store, "--limit", "100"] + (count ? ["--count"] : []) + [query])
            r.rgMs = try shell("rg -c \(rg) \(quoted(files)) > /dev/null", runs: rgRuns)
            r.zstdRgMs = try shell("zstdcat \(quoted(zstdFiles)) | rg -c \(rg) > /dev/null", runs: zstdRuns)
            out.queries.append(r)
        }
        return out
    }

    /// The first identifier-like token (16+ hex digits, or a UUID) of the middle line of the largest file.
    /// An identifier (a trace or request id) from the second half of the largest of `files` that `store` holds
    /// (a line the noise rules drop does not count), so that a lookup finds it.
    static func pickIdentifier(files: [String], sizes: [Int], store: String) throws -> String {
        guard let i = sizes.indices.max(by: { sizes[$0] < sizes[$1] }) else { throw BenchError("no files") }
        let reader = try EmbeddedStoreReader(directory: store)
        let data = try Data(contentsOf: URL(fileURLWithPath: files[i]))
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.split(separator: "\n")
        var tried = 0
        for line in lines[(lines.count / 2)...] {
            for word in line.split(whereSeparator: { !($0.isHexDigit || $0 == "-") }) where word.count >= 16 {
                let hex = word.filter(\.isHexDigit)
                guard hex.count >= 16, word.contains(where: { $0.isLetter }), word.contains(where: { $0.isNumber }) else { continue }
                let request = SearchRequest(predicate: SearchPredicate(try KQL.parse(String(word))), limit: 1)
                if try reader.search(request).count > 0 { return String(word) }
                tried += 1
                if tried == 1000 { throw BenchError("none of 1000 identifiers from \(files[i]) is stored") }
            }
        }
        throw BenchError("no stored identifier found in \(files[i])")
    }

    static func zstdCopies(_ files: [String], into directory: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var out: [String] = []
        for (i, f) in files.enumerated() {
            let target = "\(directory)/\(i).log.zst"
            if !FileManager.default.fileExists(atPath: target) {
                let r = try ChildProcess.run("zstd", ["-3", "-q", "-f", "-o", target, f])
                guard r.succeeded else { throw BenchError("zstd \(r.failureDescription) on \(f)") }
            }
            out.append(target)
        }
        return out
    }

    /// One query's top 100 on `store`: p50 in process and by the CLI, and what `--explain` says it read.
    static func timeOne(_ query: String, store: String, logsift: String) throws {
        let reader = try EmbeddedStoreReader(directory: store)
        let request = SearchRequest(predicate: SearchPredicate(try KQL.parse(query)), limit: 100)
        let result = try reader.search(request)
        let inProcess = median(try time(inProcessRuns) { _ = try reader.search(request) })
        let cli = median(try cli(logsift, ["search", "--data", store, "--limit", "100", query]))
        print(String(format: "%@: %d matches, %d blocks, %d segments; in process p50 %.3f ms, CLI p50 %.1f ms", query, result.count,
                     result.blocksScanned, result.segmentsScanned, inProcess, cli))
    }

    static func time(_ runs: Int, _ body: () throws -> Void) throws -> [Double] {
        try body()  // warm-up
        var out: [Double] = []
        for _ in 0..<runs {
            let t = ContinuousClock.now
            try body()
            let d = ContinuousClock.now - t
            out.append(Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
        }
        return out
    }

    static func cli(_ logsift: String, _ args: [String]) throws -> [Double] {
        var out: [Double] = []
        for k in 0...cliRuns {
            let r = try ChildProcess.run(logsift, args, stdout: .file("/dev/null"))
            guard r.succeeded else { throw BenchError("logsift \(args.joined(separator: " ")) \(r.failureDescription)") }
            if k > 0 { out.append(r.wallSeconds * 1000) }
        }
        return out
    }

    static func shell(_ command: String, runs: Int) throws -> [Double] {
        var out: [Double] = []
        for k in 0...runs {
            let r = try ChildProcess.run("/bin/sh", ["-c", command])
            // rg exits 1 when nothing matched: that is a result, not a failure.
            guard r.signal == 0, r.exitCode <= 1 else { throw BenchError("`\(command.prefix(80))` \(r.failureDescription)") }
            if k > 0 { out.append(r.wallSeconds * 1000) }
        }
        return out
    }

    static func quoted(_ paths: [String]) -> String { paths.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ") }
}
