import Foundation
import LogIndexer

/// `ingest`'s progress on a terminal (stderr): bytes read, MB/s, events stored and dropped, and an ETA when
/// the inputs' size is known, rewritten in place at most every 250 ms (`LOGSIFT_PROGRESS_MS`) and erased at
/// the end. Nothing when stderr is not a terminal or with `--quiet`.
final class IngestProgressLine {
    private var lastNs: UInt64 = 0
    private var shown = false
    private let everyNs: UInt64

    init() {
        everyNs = UInt64(ProcessInfo.processInfo.environment["LOGSIFT_PROGRESS_MS"].flatMap(Int.init) ?? 250) * 1_000_000
    }

    static var enabled: Bool { isatty(2) == 1 }

    func update(_ p: IngestProgress) {
        if p.finished {
            if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            return
        }
        let now = DispatchTime.now().uptimeNanoseconds
        guard now - lastNs >= everyNs else { return }
        lastNs = now
        shown = true
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + Self.text(p)).utf8))
    }

    /// `412.0 MB of 1.2 GB (34%), 70.1 MB/s, 1,234,567 stored, 12,345 dropped, ETA 0:12`, under 80 columns.
    static func text(_ p: IngestProgress) -> String {
        let mb = Double(p.bytesRead) / 1e6
        let rate = p.seconds > 0 ? mb / p.seconds : 0
        var s = Self.size(p.bytesRead)
        if let total = p.totalBytes, total > 0 {
            s += " of " + Self.size(total) + String(format: " (%d%%)", Int(min(100, Double(p.bytesRead) * 100 / Double(total))))
        }
        s += String(format: ", %.1f MB/s, ", rate) + Self.count(p.eventsStored) + " stored, " + Self.count(p.eventsDropped) + " dropped"
        if let total = p.totalBytes, rate > 0, total > p.bytesRead {
            let left = Int((Double(total - p.bytesRead) / 1e6 / rate).rounded(.up))
            s += String(format: ", ETA %d:%02d", left / 60, left % 60)
        }
        return s
    }

    static func size(_ bytes: Int64) -> String {
        bytes >= 1_000_000_000 ? String(format: "%.2f GB", Double(bytes) / 1e9) : String(format: "%.1f MB", Double(bytes) / 1e6)
    }

    static func count(_ n: Int64) -> String {
        let digits = String(n)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(c)
        }
        return out
    }
}
