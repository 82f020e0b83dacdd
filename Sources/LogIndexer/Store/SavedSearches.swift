import Foundation

/// A named query with its range, as the web UI and `logsift search --saved NAME` use it. The range is kept as
/// typed (`now-24h`, an RFC 3339 time, or empty for an open end), so a saved "last day" stays the last day.
public struct SavedSearch: Sendable, Codable, Equatable {
    public var name: String
    public var query: String
    public var from: String
    public var to: String
    public var savedNs: Int64

    public init(name: String, query: String, from: String, to: String, savedNs: Int64) {
        self.name = name
        self.query = query
        self.from = from
        self.to = to
        self.savedNs = savedNs
    }
}

/// Where saved searches are kept: the store itself, whichever it is.
public protocol SavedSearchStore: Sendable {
    func list() throws -> [SavedSearch]
    /// Adds or replaces `search` (by name).
    func save(_ search: SavedSearch) throws
    /// Removes the search called `name`; false when there was none.
    func delete(_ name: String) throws -> Bool
}

extension SavedSearchStore {
    public func find(_ name: String) throws -> SavedSearch? { try list().first { $0.name == name } }
}

/// The embedded store's saved searches in the data directory `directory`.
public struct EmbeddedSavedSearches: SavedSearchStore {
    public let directory: String
    public init(directory: String) { self.directory = directory }
    public func list() throws -> [SavedSearch] { try SavedSearches.list(directory: directory) }
    public func save(_ search: SavedSearch) throws { try SavedSearches.save(search, directory: directory) }
    public func delete(_ name: String) throws -> Bool { try SavedSearches.delete(name, directory: directory) }
}

/// The embedded store's `saved_searches` table (schema 4). Its own short connection: a save is one small
/// transaction beside the ingest writer (SQLite's busy timeout waits for a batch being committed).
public enum SavedSearches {
    public static let maxNameLength = 200

    public static func list(directory: String) throws -> [SavedSearch] {
        let db = try EmbeddedStore.open(directory: directory, create: false)
        let s = try db.prepare("SELECT name, query, range_from, range_to, saved_ns FROM saved_searches ORDER BY name")
        var out: [SavedSearch] = []
        while try s.step() { out.append(SavedSearch(name: s.text(0), query: s.text(1), from: s.text(2), to: s.text(3), savedNs: s.int(4))) }
        return out
    }

    public static func find(_ name: String, directory: String) throws -> SavedSearch? {
        try list(directory: directory).first { $0.name == name }
    }

    /// Adds or replaces `search` (by name). Creates the store when there is none yet.
    public static func save(_ search: SavedSearch, directory: String) throws {
        let db = try EmbeddedStore.open(directory: directory, create: true)
        let s = try db.prepare("INSERT OR REPLACE INTO saved_searches(name, query, range_from, range_to, saved_ns) VALUES (?, ?, ?, ?, ?)")
        s.bind(1, search.name); s.bind(2, search.query); s.bind(3, search.from); s.bind(4, search.to); s.bind(5, search.savedNs)
        _ = try s.step()
        s.reset()
    }

    /// Removes the search called `name`; false when there was none.
    @discardableResult
    public static func delete(_ name: String, directory: String) throws -> Bool {
        let db = try EmbeddedStore.open(directory: directory, create: false)
        let s = try db.prepare("DELETE FROM saved_searches WHERE name = ?")
        s.bind(1, name)
        _ = try s.step()
        s.reset()
        return try db.scalarInt("SELECT changes()") ?? 0 > 0
    }
}
