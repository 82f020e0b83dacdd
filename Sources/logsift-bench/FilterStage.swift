import Filters
import Foundation

/// The noise filter stage alone, on one core, over the workload's application lines (container envelopes
/// removed, as the pipeline hands them to the filter): the default pack, every line evaluated, `runs` times
/// with a fresh filter each time. The figure is the median run.
struct FilterStageRun: Codable {
    var megabytes: Double
    /// MB/s (10^6 bytes) of each run, in the order they ran.
    var runs: [Double]
    var droppedShare: Double

    enum CodingKeys: String, CodingKey {
        case megabytes, runs, megabytesPerSecond = "mb_per_s", minMegabytesPerSecond = "min_mb_per_s",
             maxMegabytesPerSecond = "max_mb_per_s", droppedShare = "dropped_share"
    }

    var megabytesPerSecond: Double { median(runs) }
    var minMegabytesPerSecond: Double { runs.min() ?? 0 }
    var maxMegabytesPerSecond: Double { runs.max() ?? 0 }

    init(megabytes: Double, runs: [Double], droppedShare: Double) {
        self.megabytes = megabytes
        self.runs = runs
        self.droppedShare = droppedShare
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        megabytes = try c.decode(Double.self, forKey: .megabytes)
        runs = try c.decode([Double].self, forKey: .runs)
        droppedShare = try c.decode(Double.self, forKey: .droppedShare)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(megabytes, forKey: .megabytes)
        try c.encode(runs, forKey: .runs)
        try c.encode(megabytesPerSecond, forKey: .megabytesPerSecond)
        try c.encode(minMegabytesPerSecond, forKey: .minMegabytesPerSecond)
        try c.encode(maxMegabytesPerSecond, forKey: .maxMegabytesPerSecond)
        try c.encode(droppedShare, forKey: .droppedShare)
    }

    static func run(input: RawInput, runs: Int, capBytes: Int = 256 << 20) throws -> FilterStageRun {
        var lines: [[UInt8]] = []
        var taken = 0
        // The same leading share of every file, so every style of line is represented.
        let share = min(1.0, Double(capBytes) / Double(max(input.totalBytes, 1)))
        for (file, size) in zip(input.files, input.sizes) {
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            let limit = Int(Double(size) * share)
            var start = 0
            let bytes = [UInt8](data)
            while start < min(limit, bytes.count) {
                let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
                lines.append(applicationText(bytes[start..<end]))
                taken += end - start
                start = end + 1
            }
        }
        var figures: [Double] = []
        var last: FilterThroughput.Result?
        for k in 0..<max(runs, 1) {
            let r = FilterThroughput.measure(lines: lines, config: .defaultPack, level: .info, rounds: 1)
            printProgress(String(format: "filters: run %d of %d: %.0f MB/s", k + 1, max(runs, 1), r.megabytesPerSecond))
            figures.append(r.megabytesPerSecond)
            last = r
        }
        guard let r = last else { preconditionFailure("BUG: at least one filter run") }
        return FilterStageRun(megabytes: Double(r.bytes) / 1e6, runs: figures, droppedShare: Double(r.dropped) / Double(max(r.events, 1)))
    }

    /// The text after a CRI prefix (`time stream tag `), else the line.
    static func applicationText(_ line: ArraySlice<UInt8>) -> [UInt8] {
        guard line.count > 30, let first = line.first, first >= 0x30, first <= 0x39 else { return Array(line) }
        var spaces = 0
        for i in line.indices where line[i] == 0x20 {
            spaces += 1
            if spaces == 3 { return Array(line[(i + 1)...]) }
        }
        return Array(line)
    }
}

/// The middle value (the mean of the two middle values for an even count); 0 for none.
func median(_ values: [Double]) -> Double {
    let s = values.sorted()
    guard !s.isEmpty else { return 0 }
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}
