public import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The node id file does not hold a node id.
public struct MalformedNodeIDError: Error, CustomStringConvertible, Sendable {
    /// The file that was read.
    public let path: String
    /// What it held (a node id is not a secret), shortened if long.
    public let content: String

    /// Names the file, what it held and what is accepted.
    public var description: String {
        "\(path): \(content.debugDescription) is not a node id; expected 8 lowercase hex characters (e.g. 1a2b3c4d); fix or delete the file to generate a new id"
    }
}

/// The state directory (`/var/lib/hy2scale` by default): where runtime facts live, never the
/// config file (DESIGN invariant 1).
///
/// Layout (spec/reference-api.md §1.3, plus the state database):
/// ```
/// <dir>/            mode 0750
///   node-id         8 lowercase hex characters, no newline, mode 0644
///   state.db        SQLite database (with state.db-wal and state.db-shm beside it)
///   tls/            certificate store, mode 0755 (see TLSStore)
///   initial-admin-password   the generated first admin password, mode 0600, until it is
///                   changed (see InitialAdminPassword)
/// ```
public struct StateDirectory: Sendable {
    /// Where hy2scale keeps its state unless told otherwise.
    public static let defaultPath = "/var/lib/hy2scale"

    /// The directory itself.
    public let url: URL
    /// This node's id: 8 lowercase hex characters, the same on every start.
    public let nodeID: String

    /// The node id file.
    public var nodeIDURL: URL { url.appendingPathComponent("node-id", isDirectory: false) }
    /// The TLS certificate store folder.
    public var tlsURL: URL { url.appendingPathComponent("tls", isDirectory: true) }
    /// The SQLite database of counters, layout and small runtime facts.
    public var databaseURL: URL { url.appendingPathComponent("state.db", isDirectory: false) }

    /// Opens the state directory at `path`, creating it (mode 0750) and the node id if needed.
    ///
    /// The node id is read from `node-id` if present (a trailing newline is tolerated), otherwise
    /// made from 4 random bytes and written once; concurrent first starts agree on one id.
    /// The parent directory must exist.
    ///
    /// - Throws: ``FileSystemError`` when the directory or file cannot be created or read,
    ///   ``MalformedNodeIDError`` when `node-id` holds anything but a node id.
    public init(path: String = StateDirectory.defaultPath) throws {
        self.url = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
        try FileIO.makeDirectory(url, mode: 0o750)
        let file = url.appendingPathComponent("node-id", isDirectory: false)
        if let existing = try Self.readNodeID(at: file) {
            self.nodeID = existing
        } else {
            let fresh = SecretGenerator.hexID(byteCount: 4)
            if try FileIO.createExclusively(file, with: Data(fresh.utf8), mode: 0o644) {
                self.nodeID = fresh
            } else if let raced = try Self.readNodeID(at: file) {
                // Another process created it between our read and our link.
                self.nodeID = raced
            } else {
                throw FileSystemError(function: "open", path: file.path, errno: ENOENT)
            }
        }
    }

    /// The initial admin password of this directory, kept in `store`.
    public func initialAdminPassword(store: StateStore) -> InitialAdminPassword {
        InitialAdminPassword(stateDirectory: url, store: store)
    }

    /// Opens the state database in this directory.
    public func openStore() throws -> StateStore {
        try StateStore(url: databaseURL)
    }

    /// Opens (creating if needed) the TLS store in this directory.
    public func openTLSStore() throws -> TLSStore {
        try TLSStore(directory: tlsURL)
    }

    /// What read-only commands (`validate`, `plan`) need from a state directory, read without
    /// creating anything: the node id and the TLS store's certificate ids, each empty when absent
    /// or unreadable.
    public static func inspect(path: String) -> (nodeID: String?, certificateIDs: Set<String>) {
        let url = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
        // Absent or unreadable parts simply contribute nothing; `serve` reports them properly.
        let nodeID = (try? readNodeID(at: url.appendingPathComponent("node-id"))) ?? nil
        let ids = (try? TLSStore.certificateIDs(in: url.appendingPathComponent("tls", isDirectory: true))) ?? []
        return (nodeID, ids)
    }

    /// Whether `text` is a node id: exactly 8 lowercase hex characters.
    public static func isValidNodeID(_ text: String) -> Bool {
        text.utf8.count == 8 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// The id in `file`, or `nil` if the file does not exist.
    private static func readNodeID(at file: URL) throws -> String? {
        guard let data = try FileIO.contents(of: file, limit: 4096) else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        let trimmed = text.hasSuffix("\n") ? String(text.dropLast()) : text
        guard isValidNodeID(trimmed) else {
            let shown = trimmed.count > 40 ? String(trimmed.prefix(40)) + "…" : trimmed
            throw MalformedNodeIDError(path: file.path, content: shown)
        }
        return trimmed
    }
}
