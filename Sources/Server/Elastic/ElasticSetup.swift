import Foundation

/// What shippers set up before they ship (index and component templates, legacy templates, ILM policies,
/// ingest pipelines, data streams, indices and their aliases), kept as sent so that a later GET returns it:
/// one JSON file per name under `DATA/elastic/KIND/`. logsift applies none of it (an index is a `source`
/// label); it is kept so shippers that check before they create find what they created.
struct ElasticSetup: Sendable {
    enum Kind: String, CaseIterable, Sendable {
        case indexTemplate = "index_template", componentTemplate = "component_template", legacyTemplate = "template"
        case ilmPolicy = "ilm_policy", ingestPipeline = "ingest_pipeline", dataStream = "data_stream", index = "index"
    }

    enum Refusal: Error, Equatable {
        case badName(String)
        case tooLarge(Int)
        case full
    }

    /// One document at most this big (Elasticsearch's own cap is 100 MB; templates are a few KB).
    static let maxDocumentBytes = 1 << 20
    /// All set-up documents together at most this big, and at most this many per kind.
    static let maxTotalBytes = 32 << 20
    static let maxPerKind = 1_000

    let root: String

    init(dataDirectory: String) {
        root = dataDirectory + "/elastic"
    }

    /// A name as a file name: letters, digits, `.`, `-`, `_`, `@` kept, the rest percent-encoded.
    static func fileName(_ name: String) throws -> String {
        guard !name.isEmpty, name.utf8.count <= 255, name != ".", name != ".." else { throw Refusal.badName(name) }
        var s = ""
        for b in name.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "@"):
                s.append(Character(Unicode.Scalar(b)))
            case UInt8(ascii: ".") where !s.isEmpty:
                s.append(".")
            default:
                s += String(format: "%%%02X", b)
            }
        }
        return s + ".json"
    }

    static func name(ofFile file: String) -> String? {
        guard file.hasSuffix(".json") else { return nil }
        return String(file.dropLast(5)).removingPercentEncoding
    }

    func directory(_ kind: Kind) -> String { root + "/" + kind.rawValue }

    /// Keeps `document` (JSON bytes) under `name`, replacing what was there.
    func put(_ kind: Kind, _ name: String, _ document: [UInt8]) throws {
        guard document.count <= Self.maxDocumentBytes else { throw Refusal.tooLarge(document.count) }
        let file = try Self.fileName(name)
        let dir = directory(kind)
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/" + file
        if !fm.fileExists(atPath: path) {
            let count = (try? fm.contentsOfDirectory(atPath: dir).count) ?? 0
            guard count < Self.maxPerKind, totalBytes() + document.count <= Self.maxTotalBytes else { throw Refusal.full }
        }
        try Data(document).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    func get(_ kind: Kind, _ name: String) -> [UInt8]? {
        guard let file = try? Self.fileName(name), let d = FileManager.default.contents(atPath: directory(kind) + "/" + file) else { return nil }
        return Array(d)
    }

    /// Removes `name`; whether it was there.
    func delete(_ kind: Kind, _ name: String) -> Bool {
        guard let file = try? Self.fileName(name) else { return false }
        return (try? FileManager.default.removeItem(atPath: directory(kind) + "/" + file)) != nil
    }

    /// Names and documents matching `pattern` (comma-separated names, `*` wildcards; nil or `*` or `_all`: all), by name.
    func list(_ kind: Kind, matching pattern: String?) -> [(name: String, document: [UInt8])] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory(kind))) ?? []
        let patterns = (pattern ?? "*").split(separator: ",").map { $0 == "_all" ? "*" : String($0) }
        return files.compactMap { f -> (String, [UInt8])? in
            guard let n = Self.name(ofFile: f), patterns.contains(where: { fnmatch($0, n, 0) == 0 }),
                  let d = FileManager.default.contents(atPath: directory(kind) + "/" + f) else { return nil }
            return (n, Array(d))
        }.sorted { $0.0 < $1.0 }
    }

    func totalBytes() -> Int {
        var total = 0
        for kind in Kind.allCases {
            let dir = directory(kind)
            for f in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] {
                total += ((try? FileManager.default.attributesOfItem(atPath: dir + "/" + f)[.size]) as? Int) ?? 0
            }
        }
        return total
    }
}
