import Foundation

/// Saved searches in a ClickHouse store (`saved_searches`, schema 5): every save or delete is a row, and the
/// newest row of a name says what it holds (a delete row hides it). On a cluster the rows go to the first shard.
public struct ClickHouseSavedSearches: SavedSearchStore {
    let config: ClickHouseConfig

    public init(_ config: ClickHouseConfig) throws {
        self.config = config
        try ClickHouseSchema.prepare(config.shards.map { ClickHouseClient($0) }, config: config)
    }

    public func list() throws -> [SavedSearch] {
        let client = ClickHouseClient(config)
        var out: [SavedSearch] = []
        for r in try client.rows("""
            SELECT name, argMax(query, saved_ns), argMax(range_from, saved_ns), argMax(range_to, saved_ns), max(saved_ns),
              argMax(deleted, saved_ns) FROM \(ClickHouseSchema.read("saved_searches", config)) GROUP BY name ORDER BY name
            """) where r.count == 6 && r[5] == "0" {
            out.append(SavedSearch(name: ClickHouseReader.unescape(r[0]), query: ClickHouseReader.unescape(r[1]),
                                   from: ClickHouseReader.unescape(r[2]), to: ClickHouseReader.unescape(r[3]), savedNs: Int64(r[4]) ?? 0))
        }
        return out
    }

    public func save(_ search: SavedSearch) throws {
        try insert(search, deleted: false)
    }

    public func delete(_ name: String) throws -> Bool {
        guard let saved = try find(name) else { return false }
        // Strictly after the row it hides, even when the clock stepped back.
        try insert(SavedSearch(name: name, query: "", from: "", to: "", savedNs: max(saved.savedNs + 1, Int64(Date().timeIntervalSince1970 * 1e9))),
                   deleted: true)
        return true
    }

    private func insert(_ s: SavedSearch, deleted: Bool) throws {
        var w = RowBinaryWriter()
        w.string(s.name); w.string(s.query); w.string(s.from); w.string(s.to); w.i64(s.savedNs); w.u8(deleted ? 1 : 0)
        try ClickHouseClient(config.shards[0]).execute("INSERT INTO saved_searches FORMAT RowBinary", body: Data(w.bytes))
    }
}
