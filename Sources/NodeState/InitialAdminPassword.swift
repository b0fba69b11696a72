public import Foundation

/// The admin password a node makes for itself on first start, kept until someone changes it
/// (DECISIONS #23).
///
/// The plaintext goes to `<state-dir>/initial-admin-password` (mode 0600), for the operator to
/// read once. The state store remembers the stored form (the salted hash) that was written into
/// `web_password` at the same time, so "the initial password is still in force" is a comparison
/// with the config's `web_password`: whatever changes the password (the API, `hy2scale passwd`, a
/// hand edit) ends it, and nothing needs the plaintext to tell.
public struct InitialAdminPassword: Sendable {
    /// Where the plaintext is written for the operator.
    public let fileURL: URL
    private let store: StateStore

    /// The store key of the stored form written with the initial password.
    static let storeKey = "admin.initial_password_hash"
    /// The file's name in the state directory.
    public static let fileName = "initial-admin-password"
    /// Letters and digits that cannot be mistaken for one another when read off a screen.
    private static let alphabet = Array("abcdefghijkmnpqrstuvwxyz23456789".utf8)

    /// - Parameters:
    ///   - stateDirectory: the state directory; the file is `initial-admin-password` in it.
    ///   - store: the state database of that directory.
    public init(stateDirectory: URL, store: StateStore) {
        fileURL = stateDirectory.appendingPathComponent(Self.fileName, isDirectory: false)
        self.store = store
    }

    /// A new password: 20 characters in four groups (`k7m2q-…`), 100 bits from the kernel's CSPRNG.
    public static func generate() -> String {
        // 32 symbols: each random byte's low five bits pick one without bias.
        let symbols = SecretGenerator.randomBytes(20).map { alphabet[Int($0 & 31)] }
        return stride(from: 0, to: 20, by: 5).map { String(decoding: symbols[$0..<$0 + 5], as: UTF8.self) }
            .joined(separator: "-")
    }

    /// Writes `password` to the file (0600, replacing any earlier one) and remembers `storedHash`,
    /// the form about to be written into `web_password`.
    /// - Throws: ``FileSystemError`` or a state store error; then nothing should be written to the config.
    public func record(password: String, storedHash: String) throws {
        try store.setValue(Data(storedHash.utf8), forKey: Self.storeKey)
        try FileIO.replace(fileURL, with: Data((password + "\n").utf8), mode: 0o600)
    }

    /// Whether `storedHash` (the config's `web_password`) is still the one written with the
    /// initial password. A store that cannot be read answers `false`.
    public func isInForce(storedHash: String) -> Bool {
        guard !storedHash.isEmpty, let recorded = try? store.value(forKey: Self.storeKey) else { return false }
        return recorded == Data(storedHash.utf8)
    }

    /// Forgets the initial password and deletes its file, once a new password is set. Idempotent.
    public func clear() throws {
        try store.removeValue(forKey: Self.storeKey)
        if try FileIO.remove(fileURL) { try FileIO.syncDirectory(of: fileURL) }
    }
}
