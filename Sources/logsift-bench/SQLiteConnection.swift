import CSQLite

/// A minimal SQLite connection for the naive FTS5 baseline; every result code is checked and an
/// error names the SQL that failed.
final class SQLiteConnection {
    private var handle: OpaquePointer?

    init(path: String) throws {
        let rc = sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(handle)
            throw BenchError("cannot open SQLite database \(path): \(message)")
        }
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        if rc != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? "code \(rc)"
            sqlite3_free(message)
            throw BenchError("SQLite error in `\(sql)`: \(text)")
        }
    }

    func prepare(_ sql: String) throws -> SQLiteStatement {
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard rc == SQLITE_OK, let statement else { throw error(rc, sql) }
        return SQLiteStatement(statement, connection: self, sql: sql)
    }

    fileprivate func error(_ rc: Int32, _ sql: String) -> BenchError {
        BenchError("SQLite error \(rc) in `\(sql)`: \(String(cString: sqlite3_errmsg(handle)))")
    }
}

/// A prepared statement, finalized when released.
final class SQLiteStatement {
    private let statement: OpaquePointer
    private let connection: SQLiteConnection
    private let sql: String

    fileprivate init(_ statement: OpaquePointer, connection: SQLiteConnection, sql: String) {
        self.statement = statement
        self.connection = connection
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(statement)
    }

    /// Binds text that stays valid until the next `step` returns (SQLite does not copy it).
    func bindText(_ index: Int32, _ bytes: UnsafeBufferPointer<UInt8>) throws {
        let rc = bytes.withMemoryRebound(to: CChar.self) { chars in
            if let base = chars.baseAddress, chars.count > 0 {
                return sqlite3_bind_text(statement, index, base, Int32(chars.count), nil)
            }
            return sqlite3_bind_text(statement, index, "", 0, csqlite_transient)
        }
        guard rc == SQLITE_OK else { throw connection.error(rc, sql) }
    }

    /// Runs a statement that returns no rows, then resets it for reuse.
    func run() throws {
        let rc = sqlite3_step(statement)
        sqlite3_reset(statement)
        guard rc == SQLITE_DONE || rc == SQLITE_ROW else { throw connection.error(rc, sql) }
    }
}
