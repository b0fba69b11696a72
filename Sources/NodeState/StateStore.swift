// Why SQLite and not append-only files:
// - Durability: in WAL mode a transaction is committed once its frames are in the `-wal` file.
//   With `synchronous=NORMAL` that write is not fsynced at each commit, but it has reached the
//   kernel, so a committed transaction survives `kill -9` of the process (only a power loss or
//   kernel crash can take back the last commits, never corrupt the database).
// - Atomicity: one flush updates many users' counters in one transaction, all or nothing; an
//   append-only log would need framing and torn-tail detection to get the same.
// - No compaction code: rows are updated in place; the WAL is checkpointed by SQLite itself.
// - Operability: an operator can read the state with the `sqlite3` CLI.
public import Foundation
import Synchronization

/// Bytes counted for one user, split by direction.
public struct TrafficTotals: Sendable, Hashable, Codable {
    /// Bytes from the client towards the target (upload).
    public var up: UInt64
    /// Bytes from the target back to the client (download).
    public var down: UInt64

    /// `up + down`, saturating at `UInt64.max`.
    public var total: UInt64 {
        let (sum, overflow) = up.addingReportingOverflow(down)
        return overflow ? .max : sum
    }

    /// Creates totals from the two directions.
    public init(up: UInt64 = 0, down: UInt64 = 0) {
        self.up = up
        self.down = down
    }

    /// No bytes in either direction.
    public static let zero = TrafficTotals()

    /// Whether both directions are zero.
    public var isZero: Bool { up == 0 && down == 0 }

    /// Adds `other` direction by direction, saturating at `UInt64.max`.
    public static func + (lhs: TrafficTotals, rhs: TrafficTotals) -> TrafficTotals {
        TrafficTotals(up: lhs.up.saturatingAdd(rhs.up), down: lhs.down.saturatingAdd(rhs.down))
    }

    /// Adds `rhs` into `lhs`, saturating at `UInt64.max`.
    public static func += (lhs: inout TrafficTotals, rhs: TrafficTotals) {
        lhs = lhs + rhs
    }
}

extension UInt64 {
    func saturatingAdd(_ other: UInt64) -> UInt64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }
}

/// One node's position in the topology graph drawn by the web UI.
public struct LayoutPosition: Sendable, Hashable, Codable {
    /// Horizontal position, in the UI's own units.
    public var x: Double
    /// Vertical position, in the UI's own units.
    public var y: Double

    /// Creates a position.
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// The durable store of runtime facts in the state directory: traffic counters, the graph layout
/// and a small key/value table.
///
/// Every method is synchronous, short, and serialized by one lock; each one is a single SQLite
/// transaction, so a reader never sees half of a write. They do file I/O: call them from a task
/// or a thread pool, never from a NIO event loop.
public final class StateStore: Sendable {
    /// The database file.
    public let url: URL

    /// The connection and its prepared statements; one user at a time.
    private let connection: Mutex<SQLiteConnection>

    /// How long a write waits for a lock held by another process (e.g. the `sqlite3` CLI).
    static let busyTimeoutMilliseconds: Int32 = 5_000

    /// Opens the database at `url`, creating it and migrating its schema to the current version.
    ///
    /// - Throws: ``SQLiteError`` if the file cannot be opened, ``StateStoreError`` if it was written
    ///   by a newer hy2scale.
    public init(url: URL) throws {
        self.url = url
        let db = try SQLiteConnection(path: url.path)
        try db.setBusyTimeout(milliseconds: Self.busyTimeoutMilliseconds)
        // `journal_mode` answers with a row; sqlite3_exec ignores it.
        try db.execute("PRAGMA journal_mode=WAL")
        try db.execute("PRAGMA synchronous=NORMAL")
        try db.execute("PRAGMA foreign_keys=ON")
        try Self.migrate(db, path: url.path)
        self.connection = Mutex(db)
    }

    /// Runs `body` with the connection under the lock.
    func withConnection<T: Sendable>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try connection.withLock { db throws -> T in try body(db) }
    }

    // MARK: Schema

    /// The schema version this database is at.
    public func schemaVersion() throws -> Int {
        try withConnection { db in try Self.currentVersion(db) }
    }

    // MARK: Traffic counters

    /// Adds `deltas` to the stored counters in one transaction.
    ///
    /// All users are updated or none is. Zero deltas are skipped. Counters saturate at `Int64.max`
    /// (SQLite's integer range) rather than wrap.
    public func addTraffic(_ deltas: [String: TrafficTotals]) throws {
        let rows = deltas.filter { !$0.value.isZero }
        guard !rows.isEmpty else { return }
        try withConnection { db in
            try db.transaction {
                let upsert = try db.prepare("""
                    INSERT INTO traffic (user, bytes_up, bytes_down) VALUES (?1, ?2, ?3)
                    ON CONFLICT (user) DO UPDATE SET
                      bytes_up = min(bytes_up + excluded.bytes_up, 9223372036854775807),
                      bytes_down = min(bytes_down + excluded.bytes_down, 9223372036854775807)
                    """)
                for (user, delta) in rows {
                    try upsert.run([.text(user), .integer(Int64(clamping: delta.up)), .integer(Int64(clamping: delta.down))])
                }
            }
        }
    }

    /// The stored counters of `user`; ``TrafficTotals/zero`` if the user has none.
    public func traffic(for user: String) throws -> TrafficTotals {
        try withConnection { db in
            let query = try db.prepare("SELECT bytes_up, bytes_down FROM traffic WHERE user = ?1")
            try query.bind([.text(user)])
            guard try query.step() else { return .zero }
            return TrafficTotals(up: UInt64(clamping: query.int64(at: 0)), down: UInt64(clamping: query.int64(at: 1)))
        }
    }

    /// The stored counters of every user that has any.
    public func allTraffic() throws -> [String: TrafficTotals] {
        try withConnection { db in
            let query = try db.prepare("SELECT user, bytes_up, bytes_down FROM traffic")
            try query.bind([])
            var result: [String: TrafficTotals] = [:]
            while try query.step() {
                result[query.text(at: 0)] = TrafficTotals(
                    up: UInt64(clamping: query.int64(at: 1)),
                    down: UInt64(clamping: query.int64(at: 2))
                )
            }
            return result
        }
    }

    /// Sets the stored counters of `user` back to zero (removes its row). Idempotent.
    public func resetTraffic(for user: String) throws {
        try withConnection { db in
            try db.prepare("DELETE FROM traffic WHERE user = ?1").run([.text(user)])
        }
    }

    /// Sets every stored counter back to zero. Idempotent.
    public func resetAllTraffic() throws {
        try withConnection { db in try db.execute("DELETE FROM traffic") }
    }

    // MARK: Graph layout

    /// The whole graph layout: node key to position.
    public func graphLayout() throws -> [String: LayoutPosition] {
        try withConnection { db in
            let query = try db.prepare("SELECT key, x, y FROM graph_layout")
            try query.bind([])
            var result: [String: LayoutPosition] = [:]
            while try query.step() {
                result[query.text(at: 0)] = LayoutPosition(x: query.double(at: 1), y: query.double(at: 2))
            }
            return result
        }
    }

    /// Replaces the whole graph layout with `layout` in one transaction (keys absent from `layout`
    /// are removed).
    public func replaceGraphLayout(_ layout: [String: LayoutPosition]) throws {
        try withConnection { db in
            try db.transaction {
                try db.execute("DELETE FROM graph_layout")
                let insert = try db.prepare("INSERT INTO graph_layout (key, x, y) VALUES (?1, ?2, ?3)")
                for (key, position) in layout {
                    try insert.run([.text(key), .real(position.x), .real(position.y)])
                }
            }
        }
    }

    /// Sets the position of one node, leaving the others as they are.
    public func setLayoutPosition(_ position: LayoutPosition, for key: String) throws {
        try withConnection { db in
            try db.prepare("""
                INSERT INTO graph_layout (key, x, y) VALUES (?1, ?2, ?3)
                ON CONFLICT (key) DO UPDATE SET x = excluded.x, y = excluded.y
                """).run([.text(key), .real(position.x), .real(position.y)])
        }
    }

    // MARK: Key/value

    /// The value stored under `key`, or `nil`.
    public func value(forKey key: String) throws -> Data? {
        try withConnection { db in
            let query = try db.prepare("SELECT value FROM kv WHERE key = ?1")
            try query.bind([.text(key)])
            return try query.step() ? query.blob(at: 0) : nil
        }
    }

    /// Stores `value` under `key`, replacing any previous value.
    public func setValue(_ value: Data, forKey key: String) throws {
        try withConnection { db in
            try db.prepare("""
                INSERT INTO kv (key, value) VALUES (?1, ?2)
                ON CONFLICT (key) DO UPDATE SET value = excluded.value
                """).run([.text(key), .blob(value)])
        }
    }

    /// Removes the value under `key`. Idempotent.
    public func removeValue(forKey key: String) throws {
        try withConnection { db in
            try db.prepare("DELETE FROM kv WHERE key = ?1").run([.text(key)])
        }
    }

    /// Every key that starts with `prefix` (all keys for the empty prefix), sorted.
    public func keys(withPrefix prefix: String = "") throws -> [String] {
        try withConnection { db in
            // substr comparison rather than LIKE, so `%` and `_` in a prefix are literal.
            let query = try db.prepare("SELECT key FROM kv WHERE substr(key, 1, length(?1)) = ?1 ORDER BY key")
            try query.bind([.text(prefix)])
            var keys: [String] = []
            while try query.step() { keys.append(query.text(at: 0)) }
            return keys
        }
    }
}

extension StateStore {
    /// The version of the SQLite library linked in, for build information.
    public static var libraryVersion: String { SQLiteConnection.libraryVersion }
}
