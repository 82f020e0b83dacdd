import Foundation
import LogCore
@testable import LogIndexer

/// A fresh data directory under the system temp dir, removed by `cleanup()`.
struct TempDir {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "logsift-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String, _ content: String) -> String {
        let p = path + "/" + name
        try! FileManager.default.createDirectory(atPath: (p as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! content.write(toFile: p, atomically: true, encoding: .utf8)
        return p
    }

    func file(_ name: String, bytes: [UInt8]) -> String {
        let p = path + "/" + name
        try! FileManager.default.createDirectory(atPath: (p as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: p, contents: Data(bytes))
        return p
    }

    func cleanup() { try? FileManager.default.removeItem(atPath: path) }
}

/// The read time `decodeEvents` uses: 2026-11-19T12:00:00Z.
let testReadNs: Int64 = 1_795_089_600_000_000_000

/// Decodes lines through the real pipeline stages (no store) and returns the events.
func decodeEvents(_ lines: [String], format: InputFormat = .auto, labels: StreamLabels = StreamLabels(source: "test"),
                  limits: JoinLimits = JoinLimits()) -> [(labels: StreamLabels, ns: Int64, level: LogLevel, flags: EventFlags, format: BodyFormat, text: String)] {
    let builder = BatchBuilder()
    let decoder = SourceDecoder(labels: labels, format: format, limits: limits, sink: builder)
    for l in lines {
        var b = Array(l.utf8)
        b.withUnsafeMutableBufferPointer { decoder.line(UnsafeBufferPointer($0), readNs: testReadNs, truncated: false) }
    }
    decoder.flush()
    var out: [(StreamLabels, Int64, LogLevel, EventFlags, BodyFormat, String)] = []
    for block in builder.takeBatch().blocks {
        var off = 0
        for i in 0..<block.count {
            let n = Int(block.lengths[i])
            out.append((block.labels, block.timestamps[i], LogLevel(rawValue: block.levels[i])!, EventFlags(rawValue: block.flags[i]),
                        BodyFormat(rawValue: block.formats[i])!, String(decoding: block.bodies[off..<(off + n)], as: UTF8.self)))
            off += n
        }
    }
    return out
}

/// Ingests files into `dir` with the real pipeline and store.
@discardableResult
func ingest(_ paths: [String], into dir: String, options: IngestOptions = IngestOptions()) throws -> IngestSummary {
    try Ingestor(options: options) { try EmbeddedStoreWriter(directory: dir) }.run(inputs: paths)
}

func search(_ dir: String, _ predicate: SearchPredicate, limit: Int = 100) throws -> [StoredEvent] {
    try EmbeddedStoreReader(directory: dir).search(SearchRequest(predicate: predicate, limit: limit)).events
}

extension StoredEvent {
    var string: String { String(decoding: text, as: UTF8.self) }
}

/// A TCP socket bound to 127.0.0.1 on a port the kernel picks, listening with `backlog` when given; the caller
/// closes it.
func loopbackSocket(listening backlog: Int32? = nil) -> (fd: Int32, port: Int) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
    if let backlog { listen(fd, backlog) }
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
    return (fd, Int(UInt16(bigEndian: addr.sin_port)))
}

/// `../shared/corpus` (or `$LOGSIFT_SHARED/corpus`), the peers' test material; nil, after printing SKIPPED for
/// `test`, when absent.
func sharedCorpus(for test: String) -> URL? {
    let beside = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/corpus").standardizedFileURL
    let url = ProcessInfo.processInfo.environment["LOGSIFT_SHARED"].map { URL(fileURLWithPath: $0).appendingPathComponent("corpus") } ?? beside
    guard FileManager.default.fileExists(atPath: url.path) else {
        print("SKIPPED: \(test): \(url.path) not found (set LOGSIFT_SHARED)")
        return nil
    }
    return url
}
