public import Foundation

extension StateStore {
    /// Tables whose rows a backup carries; `schema_version` is the store's own.
    static let backedUpTables = ["traffic", "graph_layout", "kv"]

    /// A consistent copy of the whole database as one file's bytes (`VACUUM INTO`: a snapshot
    /// taken inside one read transaction, safe while the store is in use).
    public func backupData() throws -> Data {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("hy2scale-state-\(UUID().uuidString).db")
        defer { try? FileManager.default.removeItem(at: copy) }  // best effort: a temp file
        try withConnection { db in
            let statement = try db.prepare("VACUUM INTO ?")
            try statement.bind([.text(copy.path)])
            _ = try statement.step()
        }
        return try Data(contentsOf: copy)
    }

    /// Replaces every row with those of the database file at `url` (a ``backupData()`` copy),
    /// in one transaction: the store holds the old rows or the new ones, never a mix.
    /// - Throws: when the file is not a state database of this or an older schema.
    public func replaceContents(withDatabaseAt url: URL) throws {
        try withConnection { db in
            let attach = try db.prepare("ATTACH DATABASE ? AS restored")
            try attach.bind([.text(url.path)])
            _ = try attach.step()
            defer { try? db.execute("DETACH DATABASE restored") }  // best effort: the next attach would report it
            try db.transaction {
                for table in Self.backedUpTables {
                    try db.execute("DELETE FROM main.\(table)")
                    try db.execute("INSERT INTO main.\(table) SELECT * FROM restored.\(table)")
                }
            }
        }
    }
}
