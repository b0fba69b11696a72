import CSQLite
import Foundation

/// A failed SQLite call: the C function, its result code and SQLite's error text.
///
/// The message never carries bound values, so it cannot leak a secret stored in the database.
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    /// The C function that failed, e.g. `sqlite3_prepare_v2`.
    public let function: String
    /// The (extended) SQLite result code.
    public let code: Int32
    /// SQLite's own description of the failure.
    public let message: String

    /// A one-line diagnostic: `sqlite3_step: database is locked (5)`.
    public var description: String { "\(function): \(message) (\(code))" }
}

/// One open SQLite database handle.
///
/// The only owner of its `sqlite3*`; `deinit` closes it. Not `Sendable`: the owner (``StateStore``)
/// keeps it inside a `Mutex`, so one thread at a time uses it, which is what the
/// `SQLITE_OPEN_NOMUTEX` open flag requires.
final class SQLiteConnection {
    /// Never nil after a successful `init`; closed in `deinit`.
    private let handle: OpaquePointer

    /// Opens (creating if needed) the database file at `path`.
    init(path: String) throws(SQLiteError) {
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            if let db { sqlite3_close_v2(db) }
            throw SQLiteError(function: "sqlite3_open_v2", code: rc, message: "\(path): \(message)")
        }
        self.handle = db
        sqlite3_extended_result_codes(db, 1)
    }

    deinit {
        // Statements hold a strong reference to their connection, so none is left unfinalized here.
        sqlite3_close_v2(handle)
    }

    /// Sets how long a write waits for another process's lock before failing with `SQLITE_BUSY`.
    func setBusyTimeout(milliseconds: Int32) throws(SQLiteError) {
        try check(sqlite3_busy_timeout(handle, milliseconds), "sqlite3_busy_timeout")
    }

    /// Runs one or more SQL statements that take no parameters and return no rows of interest.
    func execute(_ sql: String) throws(SQLiteError) {
        var errorText: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errorText)
        if rc != SQLITE_OK {
            let message = errorText.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_free(errorText)
            throw SQLiteError(function: "sqlite3_exec", code: rc, message: message)
        }
    }

    /// Compiles `sql` into a statement bound to this connection.
    func prepare(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard rc == SQLITE_OK, let statement else {
            throw error(rc, "sqlite3_prepare_v2")
        }
        return SQLiteStatement(handle: statement, connection: self)
    }

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT`, rolling back if it throws.
    ///
    /// `IMMEDIATE` takes the write lock up front, so a busy database fails (after the busy timeout)
    /// before any work is done rather than at `COMMIT`.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            // The rollback's own failure would hide the error that caused it; the original is rethrown.
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Builds an error from `rc` and this connection's current error text.
    func error(_ rc: Int32, _ function: String) -> SQLiteError {
        SQLiteError(function: function, code: rc, message: String(cString: sqlite3_errmsg(handle)))
    }

    /// Throws unless `rc` is `SQLITE_OK`.
    func check(_ rc: Int32, _ function: String) throws(SQLiteError) {
        if rc != SQLITE_OK { throw error(rc, function) }
    }
}

extension SQLiteConnection {
    /// `sqlite3_libversion()`.
    static var libraryVersion: String { String(cString: sqlite3_libversion()) }
}
