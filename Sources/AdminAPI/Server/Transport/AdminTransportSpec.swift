public import Reconciler

/// The admin server's TLS, as a reconciled resource: which certificate of the TLS store it
/// presents and whether plain HTTP is refused (`https_cert_id`, `force_https`; DECISIONS #24).
public struct AdminTransportSpec: Resource {
    public var key: String { "admin-https" }
    /// The TLS store id of the certificate.
    public var certificateID: String
    /// A digest of the certificate and key files, so one renewed in place is a change too.
    public var certificateDigest: String
    /// `force_https`.
    public var isForced: Bool
    /// The certificate and key files.
    var certificatePath: String
    var keyPath: String

    public var description: String {
        "admin API over HTTPS with certificate \(certificateID) \(certificateDigest)" + (isForced ? ", plain HTTP redirected" : "")
    }
}
