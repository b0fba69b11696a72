/// What the client's TLS session needs, independent of the TLS library.
struct TLSClientOptions: Sendable {
    /// SNI, and the name checked against the certificate when `verifiesCertificate`.
    var serverName: String
    /// ALPN protocols offered, in preference order.
    var alpn: [String]
    /// Whether the certificate chain is checked (against `trustedAuthoritiesPEM`, else the system store).
    var verifiesCertificate: Bool
    /// PEM certificates to trust instead of the system store.
    var trustedAuthoritiesPEM: String?
}
