import CSQLite
import Foundation

/// SQLite's `SQLITE_TRANSIENT` destructor sentinel (`(sqlite3_destructor_type)-1`), which the C
/// macro spells in a form Swift cannot import: SQLite copies the bound bytes before returning.
private let transientDestructor = unsafeBitCast(-1 as Int, to: sqlite3_destructor_type.self)

/// One compiled SQL statement.
///
/// The only owner of its `sqlite3_stmt*`; `deinit` finalizes it. It keeps its connection alive,
/// and is used only while that connection's owner holds its lock.
final class SQLiteStatement {
    private let handle: OpaquePointer
    private let connection: SQLiteConnection

    init(handle: OpaquePointer, connection: SQLiteConnection) {
        self.handle = handle
        self.connection = connection
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// A value that can be bound to a `?` parameter.
    enum Value {
        case integer(Int64)
        case real(Double)
        case text(String)
        case blob(Data)
        case null
    }

    /// Binds `values` to parameters 1…n, replacing earlier bindings, and rewinds the statement.
    func bind(_ values: [Value]) throws(SQLiteError) {
        try connection.check(sqlite3_reset(handle), "sqlite3_reset")
        try connection.check(sqlite3_clear_bindings(handle), "sqlite3_clear_bindings")
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let rc: Int32
            switch value {
            case .integer(let v):
                rc = sqlite3_bind_int64(handle, index, v)
            case .real(let v):
                rc = sqlite3_bind_double(handle, index, v)
            case .text(let v):
                // With its length: a NUL inside the text must not cut it short.
                var text = v
                rc = text.withUTF8 { bytes in
                    // An empty buffer may have no address, which SQLite would bind as NULL.
                    guard let start = bytes.baseAddress, bytes.count > 0 else {
                        return sqlite3_bind_text(handle, index, "", 0, transientDestructor)
                    }
                    return sqlite3_bind_text64(handle, index, UnsafeRawPointer(start).assumingMemoryBound(to: CChar.self),
                                               sqlite3_uint64(bytes.count), transientDestructor, UInt8(SQLITE_UTF8))
                }
            case .blob(let v):
                rc = v.withUnsafeBytes { bytes in
                    sqlite3_bind_blob64(handle, index, bytes.baseAddress, sqlite3_uint64(bytes.count), transientDestructor)
                }
            case .null:
                rc = sqlite3_bind_null(handle, index)
            }
            try connection.check(rc, "sqlite3_bind")
        }
    }

    /// Advances to the next row; `false` once the statement is done.
    func step() throws(SQLiteError) -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw connection.error(rc, "sqlite3_step")
        }
    }

    /// Binds `values` and steps to completion, for statements that return no rows.
    func run(_ values: [Value] = []) throws(SQLiteError) {
        try bind(values)
        while try step() {}
    }

    /// The integer in column `index` (0-based) of the current row; 0 for NULL.
    func int64(at index: Int32) -> Int64 {
        sqlite3_column_int64(handle, index)
    }

    /// The real in column `index` (0-based) of the current row; 0 for NULL.
    func double(at index: Int32) -> Double {
        sqlite3_column_double(handle, index)
    }

    /// The text in column `index` (0-based) of the current row; empty for NULL.
    func text(at index: Int32) -> String {
        guard let bytes = sqlite3_column_text(handle, index) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, index))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    /// The bytes in column `index` (0-based) of the current row; empty for NULL.
    func blob(at index: Int32) -> Data {
        let count = Int(sqlite3_column_bytes(handle, index))
        guard count > 0, let bytes = sqlite3_column_blob(handle, index) else { return Data() }
        return Data(bytes: bytes, count: count)
    }
}
