import Filters
import Foundation

/// The noise filter stage alone, on one core, over the workload's application lines (container envelopes
/// removed, as the pipeline hands them to the filter): the default pack, every line evaluated.
struct FilterStageRun: Codable {
    var megabytes: Double
    var seconds: Double
    var megabytesPerSecond: Double
    var droppedShare: Double

    enum CodingKeys: String, CodingKey {
        case megabytes, seconds, megabytesPerSecond = "mb_per_s", droppedShare = "dropped_share"
    }

    static func run(input: RawInput, capBytes: Int = 256 << 20) throws -> FilterStageRun {
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
        let r = FilterThroughput.measure(lines: lines, config: .defaultPack, level: .info, rounds: 1)
        return FilterStageRun(megabytes: Double(r.bytes) / 1e6, seconds: r.seconds, megabytesPerSecond: r.megabytesPerSecond,
                              droppedShare: Double(r.dropped) / Double(max(r.events, 1)))
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
