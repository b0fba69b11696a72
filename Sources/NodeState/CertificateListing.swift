/// The result of reading the whole certificate store: what could be listed and what was skipped.
public struct CertificateListing: Sendable, Equatable {
    /// The parsable certificates, sorted by id.
    public var certificates: [CertificateInfo]
    /// The `<id>.crt` files that could not be read or parsed, sorted by id. They stay on disk and
    /// can still be deleted; the REST list leaves them out, as the reference does (§5.19).
    public var skipped: [SkippedCertificate]

    /// Makes a listing from its parts.
    public init(certificates: [CertificateInfo], skipped: [SkippedCertificate]) {
        self.certificates = certificates
        self.skipped = skipped
    }
}

/// A certificate file of the store that could not be listed, and why.
public struct SkippedCertificate: Sendable, Equatable {
    /// The id of the `<id>.crt` file.
    public var id: String
    /// Why it was skipped (usually ``TLSStoreError/invalidCertificate(field:reason:)``).
    public var error: TLSStoreError

    /// Makes a skipped entry.
    public init(id: String, error: TLSStoreError) {
        self.id = id
        self.error = error
    }
}
