import Filters
import Foundation
import LogCore
import Query
@testable import LogIndexer
import Testing

/// Stores written in older block layouts stay readable: `fixtures/stores/lsg2/logsift.db` was written by the release
/// before template-encoded segments (commit 3a6fdfd, `logsift ingest` of the files under `fixtures/` but the store),
/// its blocks in the `LSG2` layout (whole texts); `fixtures/stores/lsg3/logsift.db` by the release before block
/// templates (commit c07cc03, the same files), its blocks in the `LSG3` layout (each segment its own templates);
/// `fixtures/stores/lsb3/logsift.db` by the release before bucketed Bloom filters (commit 460b4a6, the same files),
/// `LSG4` blocks with their `LSB3` filters in the block row's `ids` column.
/// The current code reads each, checks it, and appends to it (`LSG4` blocks; the filters of a partition an older
/// release created stay in the row, a new partition's go to its `ids_<day>` table).
@Suite struct StoreLayoutTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var fixtureLogs: [String] {
        let root = repository.appendingPathComponent("fixtures").path
        let all = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []
        // Files, not the kubelet's symlinks to them (the store was written from `find fixtures -type f -name '*.log'`).
        return all.filter { $0.hasSuffix(".log") }.sorted().map { root + "/" + $0 }.filter {
            (try? FileManager.default.attributesOfItem(atPath: $0)[.type] as? FileAttributeType) == .typeRegular
        }
    }

    struct Row: Hashable { let ns: Int64; let text: [UInt8]; let level: LogLevel; let pod: String; let container: String }

    func rows(_ dir: String, _ query: String = "*") throws -> [Row] {
        let reader = try EmbeddedStoreReader(directory: dir)
        var out: [Row] = []
        try reader.forEachStored(SearchRequest(predicate: SearchPredicate(try KQL.parse(query)), limit: Int.max)) { e in
            out.append(Row(ns: e.ns, text: e.text, level: e.level, pod: e.labels.pod, container: e.labels.container))
        }
        return out
    }

    /// The magic of every block of the store's partitions.
    func layouts(_ dir: String) throws -> Set<String> {
        let db = try EmbeddedStore.open(directory: dir, create: false)
        var names: [String] = []
        let p = try db.prepare("SELECT name FROM partitions")
        while try p.step() { names.append(p.text(0)) }
        var out: Set<String> = []
        for name in names {
            let s = try db.prepare("SELECT substr(data, 1, 4) FROM blocks_\(name)")
            while try s.step() { out.insert(String(decoding: s.blob(0), as: UTF8.self)) }
        }
        return out
    }

    /// Blocks whose filters are in the row's `ids` column, and rows of `ids_<day>` tables.
    func bloomPlaces(_ dir: String) throws -> (inRow: Int64, bucketRows: Int64, merged: Int64) {
        let db = try EmbeddedStore.open(directory: dir, create: false)
        var names: [String] = []
        let p = try db.prepare("SELECT name FROM partitions")
        while try p.step() { names.append(p.text(0)) }
        var inRow: Int64 = 0, bucketRows: Int64 = 0, merged: Int64 = 0
        for name in names {
            inRow += try db.scalarInt("SELECT count(*) FROM blocks_\(name) WHERE ids IS NOT NULL") ?? 0
            if try db.scalarInt("SELECT count(*) FROM sqlite_master WHERE name = 'ids_\(name)'") == 1 {
                bucketRows += try db.scalarInt("SELECT count(*) FROM ids_\(name)") ?? 0
                merged += try db.scalarInt("SELECT count(*) FROM ids_\(name) WHERE substr(bits, 1, 1) = x'FF'") ?? 0
            }
        }
        return (inRow, bucketRows, merged)
    }

    @Test(arguments: [("lsg2", "LSG2"), ("lsg3", "LSG3"), ("lsb3", "LSG4")])
    func aStoreOfAnOlderLayoutIsReadCheckedAndAppendedTo(fixture: String, magic: String) throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let old = dir.path + "/old"
        try FileManager.default.createDirectory(atPath: old, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.repository.appendingPathComponent("fixtures/stores/\(fixture)/logsift.db").path,
                                         toPath: old + "/logsift.db")
        #expect(try layouts(old) == [magic])
        // The same files into a new store: the old store answers with the same events.
        let fresh = dir.path + "/fresh"
        var options = IngestOptions()
        options.filters = FilterConfig.defaultPack  // as `logsift ingest` ran
        _ = try Ingestor(options: options) { try EmbeddedStoreWriter(directory: fresh) }.run(inputs: Self.fixtureLogs)
        let before = try rows(old)
        #expect(before.count == 59)
        #expect(try layouts(fresh) == ["LSG4"])
        let fresher = try bloomPlaces(fresh)
        #expect(fresher.inRow == 0 && fresher.bucketRows > 0)
        // The end of the ingest merged the rows of each bucket (a row a block, as written, into one).
        #expect(fresher.merged > 0)
        let freshCheck = try EmbeddedStoreReader(directory: fresh).check()
        #expect(freshCheck.problems.isEmpty, "\(freshCheck.problems)")
        #expect(try bloomPlaces(old).bucketRows == 0)
        let again = try rows(fresh)
        #expect(again.count == before.count && Set(before) == Set(again))
        #expect(try rows(old, "level:error").count == (try rows(fresh, "level:error")).count)
        // An id lookup reads the old Bloom filters (`LSB2`, 7 probes, or one per block) and the new (`LSB3`).
        let id = "a1b2c3d4e5f60007"
        #expect(try rows(old, id).count == 1 && rows(fresh, id) == rows(old, id))
        let check = try EmbeddedStoreReader(directory: old).check()
        #expect(check.problems.isEmpty && check.events == 59, "\(check.problems)")

        // Appended to by the current code: both layouts in one store, read together.
        _ = try Ingestor(options: options) { try EmbeddedStoreWriter(directory: old) }.run(inputs: Self.fixtureLogs)
        let after = try rows(old)
        #expect(after.count == 118)
        #expect(Set(after) == Set(before))
        #expect(try layouts(old) == Set([magic, "LSG4"]))
        // Its partitions are the older release's: the appended blocks keep their filters in the row, and are found.
        #expect(try bloomPlaces(old).bucketRows == 0)
        #expect(try rows(old, id).count == 2)
        let mixed = try EmbeddedStoreReader(directory: old).check()
        #expect(mixed.problems.isEmpty && mixed.events == 118, "\(mixed.problems)")
    }
}
