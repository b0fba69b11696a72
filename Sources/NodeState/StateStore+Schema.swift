/// The database says it was written by a newer hy2scale than this one.
public struct StateStoreError: Error, CustomStringConvertible, Sendable {
    /// The file whose schema is too new.
    public let path: String
    /// The version found in the file.
    public let foundVersion: Int
    /// The newest version this build knows.
    public let supportedVersion: Int

    /// Names the file, both versions and what to do.
    public var description: String {
        "\(path): state database schema version \(foundVersion) is newer than this hy2scale supports (\(supportedVersion)); upgrade hy2scale or move the file away"
    }
}

extension StateStore {
    /// The schema, one step per version: `migrations[n - 1]` takes a database from version n - 1
    /// to n. Append new steps; never edit a published one.
    static let migrations: [String] = [
        // 1: counters, graph layout, key/value.
        """
        CREATE TABLE traffic (
          user TEXT PRIMARY KEY NOT NULL,
          bytes_up INTEGER NOT NULL DEFAULT 0 CHECK (bytes_up >= 0),
          bytes_down INTEGER NOT NULL DEFAULT 0 CHECK (bytes_down >= 0)
        ) WITHOUT ROWID;
        CREATE TABLE graph_layout (
          key TEXT PRIMARY KEY NOT NULL,
          x REAL NOT NULL,
          y REAL NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE kv (
          key TEXT PRIMARY KEY NOT NULL,
          value BLOB NOT NULL
        ) WITHOUT ROWID;
        """,
    ]

    /// The newest schema version this build knows.
    public static var currentSchemaVersion: Int { migrations.count }

    /// Brings `db` to ``currentSchemaVersion``, one transaction per step.
    static func migrate(_ db: SQLiteConnection, path: String) throws {
        try db.execute("""
            CREATE TABLE IF NOT EXISTS schema_version (
              version INTEGER PRIMARY KEY NOT NULL,
              applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
            )
            """)
        try db.transaction {
            let found = try currentVersion(db)
            guard found <= migrations.count else {
                throw StateStoreError(path: path, foundVersion: found, supportedVersion: migrations.count)
            }
            for version in migrations.indices.map({ $0 + 1 }) where version > found {
                try db.execute(migrations[version - 1])
                try db.prepare("INSERT INTO schema_version (version) VALUES (?1)").run([.integer(Int64(version))])
            }
        }
    }

    /// The highest applied version; 0 for a new database.
    static func currentVersion(_ db: SQLiteConnection) throws -> Int {
        let query = try db.prepare("SELECT coalesce(max(version), 0) FROM schema_version")
        try query.bind([])
        guard try query.step() else { return 0 }
        return Int(query.int64(at: 0))
    }
}
