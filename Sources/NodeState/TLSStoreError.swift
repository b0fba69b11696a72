/// Why a TLS certificate store operation was refused or failed (spec/reference-api.md §5.19, §6.2).
///
/// Each case is a stable code (``code``) the REST layer maps to a status: the request errors
/// (`invalidID`, `invalidField`, `invalidCertificate`, `invalidKey`, `keyMismatch`,
/// `notACertificateAuthority`, `missingPrivateKey`, `pathNotAllowed`, `fileTooLarge`,
/// `unreadableFile`) to 400, `notFound` to 404, `alreadyExists` to 409, and `storage` and
/// `certificateEncoding` to 500. ``description`` says what is wrong and what is accepted; it never
/// contains key material or file contents. Errors compare by code only (STYLE §3).
public enum TLSStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The id cannot be used as a file name in the store (see ``TLSStore/isValid(id:)``);
    /// `field` is `id` or `ca_id`.
    case invalidID(String, field: String = "id")
    /// No certificate with this id is in the store; `field` is `id` or `ca_id`.
    case notFound(id: String, field: String = "id")
    /// A certificate with this id exists and the operation was not asked to replace it.
    case alreadyExists(id: String)
    /// A request field is missing or out of range; `reason` says what is accepted.
    case invalidField(field: String, reason: String)
    /// The certificate text is not a PEM X.509 certificate (chain); `reason` says what was found.
    case invalidCertificate(field: String, reason: String)
    /// The private key text is not a supported unencrypted PEM private key.
    case invalidKey(field: String, reason: String)
    /// The private key is valid but belongs to another public key than the certificate's.
    case keyMismatch
    /// The certificate asked to sign is not a CA (no basicConstraints `CA:TRUE`).
    case notACertificateAuthority(id: String)
    /// The certificate exists but the store has no private key for it.
    case missingPrivateKey(id: String)
    /// The path resolves outside every allowed directory (after symlinks and `..`).
    case pathNotAllowed(field: String, path: String, allowedDirectories: [String])
    /// The file is larger than the import limit.
    case fileTooLarge(field: String, path: String, limit: Int)
    /// The file cannot be opened or is not a regular file; `reason` is the system's.
    case unreadableFile(field: String, path: String, reason: String)
    /// A file in the store could not be read, written or removed.
    case storage(FileSystemError)
    /// Building or signing a certificate failed inside the X.509 encoder.
    case certificateEncoding(reason: String)

    /// The stable, machine-readable name of the case, e.g. `"keyMismatch"`.
    public var code: String {
        switch self {
        case .invalidID: "invalidID"
        case .notFound: "notFound"
        case .alreadyExists: "alreadyExists"
        case .invalidField: "invalidField"
        case .invalidCertificate: "invalidCertificate"
        case .invalidKey: "invalidKey"
        case .keyMismatch: "keyMismatch"
        case .notACertificateAuthority: "notACertificateAuthority"
        case .missingPrivateKey: "missingPrivateKey"
        case .pathNotAllowed: "pathNotAllowed"
        case .fileTooLarge: "fileTooLarge"
        case .unreadableFile: "unreadableFile"
        case .storage: "storage"
        case .certificateEncoding: "certificateEncoding"
        }
    }

    /// The request field the error is about, as the JSON body spells it (`id`, `cert`, `key`,
    /// `cert_path`, `key_path`, `ca_id`, `domains`, `days`, `name`, `cn`), or `nil`.
    public var field: String? {
        switch self {
        case .invalidID(_, let field), .notFound(_, let field): field
        case .alreadyExists: "id"
        case .invalidField(let field, _), .invalidCertificate(let field, _), .invalidKey(let field, _): field
        case .keyMismatch: "key"
        case .notACertificateAuthority, .missingPrivateKey: "ca_id"
        case .pathNotAllowed(let field, _, _), .fileTooLarge(let field, _, _), .unreadableFile(let field, _, _): field
        case .storage, .certificateEncoding: nil
        }
    }

    /// What is wrong and what would be accepted.
    public var description: String {
        switch self {
        case .invalidID(let id, let field):
            "\(field): " + InvalidCertificateIDError(id: id).description
        case .notFound(let id, let field):
            "\(field): no certificate with id \(id.debugDescription) in the store"
        case .alreadyExists(let id):
            "a certificate with id \(id.debugDescription) already exists; delete it first or ask to replace it"
        case .invalidField(let field, let reason):
            "\(field): \(reason)"
        case .invalidCertificate(let field, let reason):
            "\(field): invalid certificate PEM: \(reason)"
        case .invalidKey(let field, let reason):
            "\(field): invalid private key PEM: \(reason)"
        case .keyMismatch:
            "private key does not match the certificate: its public key differs from the certificate's"
        case .notACertificateAuthority(let id):
            "certificate \(id.debugDescription) is not a CA (basicConstraints CA:TRUE missing); choose a CA certificate"
        case .missingPrivateKey(let id):
            "certificate \(id.debugDescription) has no private key in the store; import it with its key to sign with it"
        case .pathNotAllowed(let field, let path, let allowed):
            allowed.isEmpty
                ? "\(field): \(path.debugDescription) cannot be read: importing from a path is disabled (no allowed directories)"
                : "\(field): \(path.debugDescription) is outside the allowed directories (\(allowed.joined(separator: ", "))); place the file under one of them"
        case .fileTooLarge(let field, let path, let limit):
            "\(field): \(path.debugDescription) is larger than \(limit) bytes; a PEM certificate or key is far smaller"
        case .unreadableFile(let field, let path, let reason):
            "\(field): cannot read \(path.debugDescription): \(reason)"
        case .storage(let error):
            "certificate store: \(error)"
        case .certificateEncoding(let reason):
            "cannot build the certificate: \(reason)"
        }
    }

    /// Equal when the codes are equal (STYLE §3: errors compare by code only).
    public static func == (lhs: TLSStoreError, rhs: TLSStoreError) -> Bool { lhs.code == rhs.code }
}
