import CNgtcp2

/// A `gnutls_certificate_credentials_t`: the trust anchors a client checks the server with, or
/// the certificate chain and key a server presents. Shared by every session made with it (a
/// server's credentials by all its connections) and freed when the last one lets go.
final class GnuTLSCredentials: @unchecked Sendable {
    // @unchecked: GnuTLS credentials are read-only once built and safe to share across threads.

    /// Valid until deinit.
    let pointer: OpaquePointer

    private init() throws(QUICError) {
        var credentials: OpaquePointer?
        try GnuTLSSession.check(gnutls_certificate_allocate_credentials(&credentials), "gnutls_certificate_allocate_credentials")
        guard let credentials else { throw QUICError(.engine, "gnutls_certificate_allocate_credentials returned no credentials") }
        pointer = credentials
    }

    deinit {
        gnutls_certificate_free_credentials(pointer)
    }

    /// Trust anchors for a client: the PEM authorities in `options`, else the system store, or
    /// none at all when it does not verify.
    static func client(_ options: TLSClientOptions) throws(QUICError) -> GnuTLSCredentials {
        let credentials = try GnuTLSCredentials()
        guard options.verifiesCertificate else { return credentials }
        if let authorities = options.trustedAuthoritiesPEM {
            let added = withDatum(authorities) { gnutls_certificate_set_x509_trust_mem(credentials.pointer, $0, GNUTLS_X509_FMT_PEM) }
            guard added > 0 else {
                throw QUICError(.engine, "the trusted CA text holds no PEM certificate (\(added))")
            }
        } else {
            try GnuTLSSession.check(gnutls_certificate_set_x509_system_trust(credentials.pointer),
                                    "gnutls_certificate_set_x509_system_trust", acceptsPositive: true)
        }
        return credentials
    }

    /// A server's certificate chain and private key, both PEM.
    static func server(_ identity: QUICServerIdentity) throws(QUICError) -> GnuTLSCredentials {
        let credentials = try GnuTLSCredentials()
        let result = withDatum(identity.certificateChainPEM) { chain in
            withDatum(identity.privateKeyPEM) { key in
                gnutls_certificate_set_x509_key_mem2(credentials.pointer, chain, key, GNUTLS_X509_FMT_PEM, nil, 0)
            }
        }
        if result < 0 {
            let text = gnutls_strerror(result).map { String(cString: $0) } ?? "code \(result)"
            throw QUICError(.engine, "the certificate or key is not usable: \(text)")
        }
        return credentials
    }

    /// Runs `body` with `text` as a GnuTLS datum, valid during the call.
    static func withDatum<R>(_ text: String, _ body: (UnsafePointer<gnutls_datum_t>) -> R) -> R {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { buffer in
            var datum = gnutls_datum_t(data: buffer.baseAddress, size: UInt32(buffer.count))
            return body(&datum)
        }
    }
}
