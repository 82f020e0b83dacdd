import Foundation
import LogCore
import Testing
@testable import LogIndexer

/// `ingest` decodes on a thread of its own and hands events over in chunks (``DecodingThread``): what it stores and
/// counts must not depend on where chunks are cut, and a failure on either side must stop both without a hang.
@Suite struct IngestThreadsTests {
    /// Lines `seq=<first>...` of about 100 bytes, each with its own second.
    private static func lines(file: Int, count: Int) -> String {
        var s = ""
        s.reserveCapacity(count * 100)
        for i in 0..<count {
            let sec = i % 60, min = (i / 60) % 60, hour = i / 3600
            s += String(format: "2026-11-20T%02d:%02d:%02d.000Z INFO worker-%d handled job f%dseq%07d in %d ms, queue depth %d\n",
                        hour, min, sec, file, file, i, 10 + i % 90, i % 17)
        }
        return s
    }

    @Test func eventsAndCountersDoNotDependOnWhereChunksAreCut() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        // Three inputs of ~1.5 MB each: six chunks of 256 KiB apiece, cut mid-input.
        let counts = [15_000, 16_001, 14_777]
        var paths: [String] = [], bytes = 0
        for (k, n) in counts.enumerated() {
            let text = Self.lines(file: k, count: n)
            bytes += text.utf8.count
            paths.append(dir.file("in\(k).log", text))
        }
        #expect(bytes > 3 * DecodingThread.chunkBytes * counts.count)
        var options = IngestOptions()
        options.filters = nil
        options.batchBytes = 1 << 20
        let store = dir.path + "/store"
        let summary = try ingest(paths, into: store, options: options)
        let total = Int64(counts.reduce(0, +))
        #expect(summary.files == 3 && summary.failures.isEmpty && summary.batches >= 4)
        #expect(summary.counters.linesRead == total && summary.counters.events == total)
        #expect(summary.counters.bytesReceived == Int64(bytes))
        let stats = try EmbeddedStoreReader(directory: store).stats()
        #expect(stats.counters.linesRead == total && stats.counters.events == total && stats.counters.bytesReceived == Int64(bytes))
        // The first, a middle and the last line of each input, whole and once.
        for (k, n) in counts.enumerated() {
            for i in [0, n / 2, n - 1] {
                let id = String(format: "f%dseq%07d", k, i)
                let hits = try search(store, .match(field: nil, .phrase(id)))
                #expect(hits.count == 1 && hits.first?.string.contains(" \(id) in ") == true, "\(id): \(hits.map(\.string))")
            }
        }
    }

    @Test func anInputThatCannotBeOpenedIsReportedAndTheOthersAreIngested() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let good = dir.file("good.log", Self.lines(file: 1, count: 3_000))
        let missing = dir.path + "/missing.log"
        var options = IngestOptions()
        options.filters = nil
        let summary = try ingest([missing, good, missing], into: dir.path + "/store", options: options)
        #expect(summary.failures.map(\.path) == [missing, missing])
        #expect(summary.files == 1 && summary.counters.events == 3_000)
    }

    @Test func aReadErrorStopsIngestWithIt() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let good = dir.file("good.log", Self.lines(file: 1, count: 3_000))
        let sub = dir.path + "/a-directory"
        try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: true)
        #expect(throws: POSIXError.self) { try ingest([good, sub, good], into: dir.path + "/store") }
    }

    /// A store that refuses every batch while the decoding thread waits on a full queue: `run` throws the store's
    /// error and returns.
    @Test func aStoreThatFailsStopsTheDecodingThread() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        // ~30 MB: far more than the batches and chunks that fit in flight.
        let paths = (0..<3).map { dir.file("in\($0).log", Self.lines(file: $0, count: 100_000)) }
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            do {
                _ = try Ingestor(options: IngestOptions()) { RefusingWriter() }.run(inputs: paths)
                outcome.set("returned")
            } catch is RefusingWriter.Refused {
                outcome.set("refused")
            } catch {
                outcome.set("\(error)")
            }
            done.signal()
        }
        thread.start()
        #expect(done.wait(timeout: .now() + 60) == .success, "ingest did not return within 60 s")
        #expect(outcome.value == "refused")
    }
}

private final class RefusingWriter: LogWriter {
    struct Refused: Error {}
    func append(_ batch: EventBatch) throws { throw Refused() }
    func tailCheckpoints() throws -> [TailCheckpoint] { [] }
}

// @unchecked Sendable: `text` is only touched with `lock` held.
private final class Outcome: @unchecked Sendable {
    private let lock = NSLock()
    private var text = ""
    func set(_ s: String) { lock.lock(); text = s; lock.unlock() }
    var value: String { lock.lock(); defer { lock.unlock() }; return text }
}
