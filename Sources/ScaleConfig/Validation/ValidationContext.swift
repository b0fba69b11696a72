/// What validation needs to know from outside the config file.
public struct ValidationContext: Sendable {
    /// Ids of the certificates in the TLS store (state directory).
    public var tlsCertificateIDs: Set<String>
    /// Whether a filesystem path names an existing file (for `server.tls_cert` / `tls_key`).
    public var fileExists: @Sendable (String) -> Bool
    /// The node id kept in the state directory, used when the file has no `node_id`.
    public var nodeID: String?
    /// Entries found clean by the last validation of the same file, not checked again.
    public var memo: ValidationMemo?

    /// A context.
    ///
    /// - Parameters:
    ///   - tlsCertificateIDs: ids in the TLS store.
    ///   - nodeID: the generated node id from the state directory, if any.
    ///   - fileExists: file check for server certificate paths; must not block for long.
    public init(
        tlsCertificateIDs: Set<String> = [], nodeID: String? = nil,
        fileExists: @escaping @Sendable (String) -> Bool = { _ in true }
    ) {
        self.tlsCertificateIDs = tlsCertificateIDs
        self.nodeID = nodeID
        self.fileExists = fileExists
    }
}
