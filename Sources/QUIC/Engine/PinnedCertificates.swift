import CNgtcp2

/// Trust anchors a client was given as PEM (a peer's `ca`). As in Go's verifier, a server whose
/// leaf certificate is one of them is trusted as is (a self-signed certificate pasted as its own
/// CA), though it must still name the server; any other chain is verified against them.
struct PinnedCertificates {
    /// DER of each certificate in the PEM text.
    private let certificates: [[UInt8]]
    private let serverName: String

    init(pem: String, serverName: String) {
        self.serverName = serverName
        var list: UnsafeMutablePointer<gnutls_x509_crt_t?>?
        var count: UInt32 = 0
        let imported = GnuTLSCredentials.withDatum(pem) { gnutls_x509_crt_list_import2(&list, &count, $0, GNUTLS_X509_FMT_PEM, 0) }
        var certificates: [[UInt8]] = []
        if imported >= 0, let list {
            for index in 0..<Int(count) {
                var der = gnutls_datum_t()
                if gnutls_x509_crt_export2(list[index], GNUTLS_X509_FMT_DER, &der) == 0, let data = der.data {
                    certificates.append(Array(UnsafeBufferPointer(start: data, count: Int(der.size))))
                    CNgtcp2_gnutls_free(data)
                }
                gnutls_x509_crt_deinit(list[index])
            }
            CNgtcp2_gnutls_free(list)
        }
        self.certificates = certificates
    }

    /// Whether the certificate chain the server sent in `session` is trusted for `serverName`.
    func verifyPeer(of session: OpaquePointer?) -> Bool {
        var count: UInt32 = 0
        guard let session, let peers = gnutls_certificate_get_peers(session, &count), count > 0, let leafData = peers[0].data
        else { return false }
        let leaf = Array(UnsafeBufferPointer(start: leafData, count: Int(peers[0].size)))
        if certificates.contains(leaf) { return Self.names(leafDER: peers[0], serverName) }
        var status: UInt32 = 0
        return gnutls_certificate_verify_peers3(session, serverName, &status) == 0 && status == 0
    }

    private static func names(leafDER: gnutls_datum_t, _ serverName: String) -> Bool {
        var certificate: gnutls_x509_crt_t?
        guard gnutls_x509_crt_init(&certificate) == 0, let certificate else { return false }
        defer { gnutls_x509_crt_deinit(certificate) }
        var datum = leafDER
        guard gnutls_x509_crt_import(certificate, &datum, GNUTLS_X509_FMT_DER) == 0 else { return false }
        return gnutls_x509_crt_check_hostname2(certificate, serverName, 0) != 0
    }
}
