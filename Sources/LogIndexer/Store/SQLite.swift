import CSQLite

/// An error from SQLite, with the result code, SQLite's message and the SQL that failed.
public struct StoreError: Error, CustomStringConvertible {
    public let code: Int32
    public let message: String
    public let sql: String?

    public var description: String {
        var s = "store error \(code): \(message)"
        if let sql { s += " (in: \(sql.prefix(200)))" }
        if isCorrupt { s += "; the store is damaged (`logsift check` lists what)" }
        return s
    }

    public var isCorrupt: Bool { code & 0xFF == SQLITE_CORRUPT || code & 0xFF == SQLITE_NOTADB }
    public var isFull: Bool { code & 0xFF == SQLITE_FULL }
    public var isBusy: Bool { code & 0xFF == SQLITE_BUSY || code & 0xFF == SQLITE_LOCKED }
}

/// One SQLite connection. Not shared between threads: each stage opens its own.
final class SQLiteConnection {
    let handle: OpaquePointer
    private var cache: [String: SQLiteStatement] = [:]

    init(path: String, readOnly: Bool = false) throws {
        var db: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let msg = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let db { sqlite3_close_v2(db) }
            throw StoreError(code: rc, message: "\(msg): \(path)", sql: nil)
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, Self.busyTimeoutMs)
    }

    /// How long a statement waits for a lock another connection holds (the writer's lock, a checkpoint).
    static let busyTimeoutMs: Int32 = 10_000

    deinit {
        cache.removeAll()
        sqlite3_close_v2(handle)
    }

    func check(_ rc: Int32, _ sql: String? = nil) throws {
        guard rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW else {
            throw StoreError(code: rc, message: String(cString: sqlite3_errmsg(handle)), sql: sql)
        }
    }

    func execute(_ sql: String) throws {
        var err: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &err)
        if rc != SQLITE_OK {
            let msg = err.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(err)
            throw StoreError(code: rc, message: msg, sql: sql)
        }
    }

    /// A prepared statement, cached by its SQL text.
    func prepare(_ sql: String) throws -> SQLiteStatement {
        if let s = cache[sql] {
            sqlite3_reset(s.handle)
            sqlite3_clear_bindings(s.handle)
            return s
        }
        let s = try SQLiteStatement(self, sql)
        cache[sql] = s
        return s
    }

    /// Resets every statement still on a row. A statement left there keeps its transaction's snapshot after
    /// COMMIT: a reader holding one never sees newer commits and keeps the WAL from starting over, so it grows
    /// with everything written (the soak caught `search --follow` started on an empty store doing both).
    func resetStatements() {
        var s = sqlite3_next_stmt(handle, nil)
        while let st = s {
            if sqlite3_stmt_busy(st) != 0 { sqlite3_reset(st) }
            s = sqlite3_next_stmt(handle, st)
        }
    }

    /// Forgets cached statements (after DDL that they may refer to).
    func clearCache() { cache.removeAll() }

    /// Runs `body` in a transaction that commits on return and rolls back on throw.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let r = try body()
            resetStatements()
            try execute("COMMIT")
            return r
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    func scalarInt(_ sql: String) throws -> Int64? {
        let s = try prepare(sql)
        // Reset before returning: a statement left on a row would keep its read snapshot open.
        defer { s.reset() }
        guard try s.step() else { return nil }
        return s.isNull(0) ? nil : s.int(0)
    }
}

/// A prepared statement. Finalized in `deinit`; every step's result code is checked.
final class SQLiteStatement {
    let handle: OpaquePointer
    let sql: String
    unowned let connection: SQLiteConnection

    init(_ connection: SQLiteConnection, _ sql: String) throws {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(connection.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else {
            throw StoreError(code: rc, message: String(cString: sqlite3_errmsg(connection.handle)), sql: sql)
        }
        handle = stmt
        self.sql = sql
        self.connection = connection
    }

    deinit { sqlite3_finalize(handle) }

    func bind(_ i: Int32, _ v: Int64) { sqlite3_bind_int64(handle, i, v) }
    /// Binds the whole string, NUL bytes included (a C string would end at the first).
    func bind(_ i: Int32, _ v: String) {
        guard !v.isEmpty else { sqlite3_bind_text(handle, i, "", 0, csqlite_transient); return }
        var v = v
        v.withUTF8 { bind(i, text: $0) }
    }
    func bind(_ i: Int32, real v: Double) { sqlite3_bind_double(handle, i, v) }
    func bindNull(_ i: Int32) { sqlite3_bind_null(handle, i) }
    func bind(_ i: Int32, blob p: UnsafeRawBufferPointer) {
        sqlite3_bind_blob64(handle, i, p.baseAddress, sqlite3_uint64(p.count), csqlite_transient)
    }
    func bind(_ i: Int32, text p: UnsafeBufferPointer<UInt8>) {
        p.withMemoryRebound(to: CChar.self) { c in
            _ = sqlite3_bind_text64(handle, i, c.baseAddress, sqlite3_uint64(c.count), csqlite_transient, UInt8(SQLITE_UTF8))
        }
    }

    /// Steps once: true when a row is available, false when done.
    @discardableResult
    func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        let err = StoreError(code: rc, message: String(cString: sqlite3_errmsg(connection.handle)), sql: sql)
        sqlite3_reset(handle)
        throw err
    }

    func reset() { sqlite3_reset(handle) }

    func int(_ col: Int32) -> Int64 { sqlite3_column_int64(handle, col) }
    func double(_ col: Int32) -> Double { sqlite3_column_double(handle, col) }
    func isNull(_ col: Int32) -> Bool { sqlite3_column_type(handle, col) == SQLITE_NULL }
    /// The column's text, NUL bytes included.
    func text(_ col: Int32) -> String {
        guard let c = sqlite3_column_text(handle, col) else { return "" }
        return String(decoding: UnsafeBufferPointer(start: c, count: Int(sqlite3_column_bytes(handle, col))), as: UTF8.self)
    }
    /// The column's bytes, valid until the next step or reset.
    func blob(_ col: Int32) -> UnsafeRawBufferPointer {
        let n = Int(sqlite3_column_bytes(handle, col))
        guard let p = sqlite3_column_blob(handle, col), n > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: p, count: n)
    }
}
