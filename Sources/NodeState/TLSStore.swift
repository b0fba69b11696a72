public import Foundation

/// A certificate id that cannot be used as a file name in the store.
public struct InvalidCertificateIDError: Error, CustomStringConvertible, Sendable {
    /// The id as given.
    public let id: String

    /// Names the id and what is accepted.
    public var description: String {
        "\(id.debugDescription) is not a certificate id; use 1-128 of A-Z a-z 0-9 . _ -, not starting with '.'"
    }
}

/// The TLS certificate store: a folder of PEM files named by certificate id
/// (spec/reference-api.md §1.3, §5.19).
///
/// ```
/// tls/              mode 0755
///   <id>.crt        certificate PEM (0644)
///   <id>.key        private key PEM (0600), optional
///   <id>.name       display name, raw text (0644)
///   <id>.ca         id of the store CA that signed it, written by `sign` (0644), optional
/// ```
/// The operations behind `/api/tls` (list, import, generate, sign, PEM, delete) are in
/// `TLSStore+Operations.swift` and `TLSStore+PathImport.swift`; they throw ``TLSStoreError``.
/// Ids become file names, so every method validates them first (``validate(id:)``); unlike the
/// reference, which uses them verbatim, an id can never reach outside the folder.
public struct TLSStore: Sendable {
    /// The id of the certificate generated on first start.
    public static let defaultID = "default"
    /// The display name of the certificate generated on first start.
    public static let defaultName = "Default"
    /// Validity of the certificate generated on first start (spec §1.5).
    public static let defaultValidityDays = 3650

    /// The store's folder.
    public let directory: URL

    /// Opens the store at `directory`, creating the folder (mode 0755) if needed.
    public init(directory: URL) throws {
        self.directory = directory.standardizedFileURL
        try FileIO.makeDirectory(self.directory, mode: 0o755)
    }

    /// Whether `id` is accepted: 1-128 characters from `[A-Za-z0-9._-]`, not starting with `.`.
    ///
    /// Rejects `..`, `.hidden`, `a/b`, the empty string and anything with a NUL or a slash.
    public static func isValid(id: String) -> Bool {
        let bytes = Array(id.utf8)
        guard (1...128).contains(bytes.count), bytes[0] != UInt8(ascii: ".") else { return false }
        return bytes.allSatisfy { b in
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(b) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(b)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b)
                || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
        }
    }

    /// Throws unless ``isValid(id:)``.
    public static func validate(id: String) throws(InvalidCertificateIDError) {
        guard isValid(id: id) else { throw InvalidCertificateIDError(id: id) }
    }

    /// The certificate file of `id`.
    public func certificateURL(id: String) throws(InvalidCertificateIDError) -> URL { try file(id, "crt") }
    /// The private key file of `id`.
    public func keyURL(id: String) throws(InvalidCertificateIDError) -> URL { try file(id, "key") }
    /// The display name file of `id`.
    public func nameURL(id: String) throws(InvalidCertificateIDError) -> URL { try file(id, "name") }

    /// The ids that have a certificate file (`<id>.crt` with a valid id).
    public func certificateIDs() throws -> Set<String> {
        try Self.certificateIDs(in: directory)
    }

    /// The certificate ids in a store folder, without creating it (for read-only commands).
    public static func certificateIDs(in directory: URL) throws -> Set<String> {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        var ids = Set<String>()
        for name in names where name.hasSuffix(".crt") {
            let id = String(name.dropLast(4))
            if isValid(id: id) { ids.insert(id) }
        }
        return ids
    }

    /// Writes a certificate under `id`: key first (0600), then name, then the certificate, each
    /// replaced atomically, so a present `.crt` means the set is complete.
    public func store(id: String, name: String, certificatePEM: String, keyPEM: String?) throws {
        try Self.validate(id: id)
        if let keyPEM {
            try FileIO.replace(try keyURL(id: id), with: Data(keyPEM.utf8), mode: 0o600)
        }
        try FileIO.replace(try nameURL(id: id), with: Data(name.utf8), mode: 0o644)
        try FileIO.replace(try certificateURL(id: id), with: Data(certificatePEM.utf8), mode: 0o644)
    }

    /// Generates the node's default certificate unless `default.crt` exists.
    ///
    /// A self-signed ECDSA P-256 certificate with CN and one DNS SAN equal to `nodeID`, valid for
    /// ``defaultValidityDays`` days from `now`, stored as `default.crt`, `default.key` (SEC1
    /// `EC PRIVATE KEY` PEM) and `default.name` = `Default`.
    /// - Returns: whether it generated a certificate.
    @discardableResult
    public func ensureDefaultCertificate(nodeID: String, now: Date = Date()) throws -> Bool {
        if FileManager.default.fileExists(atPath: try certificateURL(id: Self.defaultID).path) {
            return false
        }
        let generated = try SelfSignedCertificate.generate(
            domains: [nodeID],
            notValidBefore: now,
            days: Self.defaultValidityDays
        )
        try store(
            id: Self.defaultID,
            name: Self.defaultName,
            certificatePEM: generated.certificatePEM,
            keyPEM: generated.privateKeyPEM
        )
        return true
    }

    private func file(_ id: String, _ suffix: String) throws(InvalidCertificateIDError) -> URL {
        try Self.validate(id: id)
        return directory.appendingPathComponent("\(id).\(suffix)", isDirectory: false)
    }
}
