import Foundation
import Testing
import LogCore
import Query
@testable import LogIndexer
import TestSupport

/// `logsift tail --store clickhouse://...`: positions are committed with the batch that read up to them, so a
/// tail killed with SIGKILL at any moment and restarted stores every line exactly once.
@Suite(.serialized) struct ClickHouseTailTests {
    static let binary: String = {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("logsift").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/logsift").path
    }()

    static func logsift(_ args: [String]) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        p.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        p.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try p.run()
        return p
    }

    static func append(_ path: String, _ lines: Range<Int>) {
        let h = FileHandle(forWritingAtPath: path)!
        h.seekToEndOfFile()
        h.write(Data(lines.map { "2026-11-19T10:00:00.\(String(format: "%06d", $0))Z INFO line \($0) of the tailed file\n" }.joined().utf8))
        h.closeFile()
    }

    @Test func aTailKilledAtRandomStoresEveryLineOnce() throws {
        guard let server = try ClickHouseServer.start("ClickHouse tail kill -9") else { return }
        defer { server.stop() }
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = dir.file("app.log", "")
        let store = "clickhouse://default@127.0.0.1:\(server.httpPort)/tailed"
        var written = 0
        var rng = SystemRandomNumberGenerator()
        let rounds = Int(ProcessInfo.processInfo.environment["LOGSIFT_KILL_ROUNDS"] ?? "") ?? 12
        for _ in 0..<rounds {
            let tail = try Self.logsift(["tail", "--store", store, "--commit-ms", "50", "--poll-ms", "20", path])
            for _ in 0..<4 {
                let n = Int.random(in: 50...400, using: &rng)
                Self.append(path, written..<(written + n))
                written += n
                Thread.sleep(forTimeInterval: Double.random(in: 0.01...0.15, using: &rng))
            }
            kill(tail.processIdentifier, SIGKILL)
            tail.waitUntilExit()
        }
        let last = try Self.logsift(["tail", "--once", "--store", store, path])
        last.waitUntilExit()
        #expect(last.terminationStatus == 0)
        let reader = try ClickHouseReader(server.config(database: "tailed"))
        let all = try reader.search(SearchRequest(predicate: .all, limit: written + 10))
        #expect(all.count == written)
        let numbers = all.events.compactMap { e -> Int? in
            let words = String(decoding: e.text, as: UTF8.self).split(separator: " ")
            return words.firstIndex(of: "line").flatMap { Int(words[$0 + 1]) }
        }
        #expect(Set(numbers).count == written, "duplicates: \(numbers.count - Set(numbers).count)")
        #expect(Set(numbers) == Set(0..<written))
    }
}
