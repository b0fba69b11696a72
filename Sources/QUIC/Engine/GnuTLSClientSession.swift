import CNgtcp2

/// A GnuTLS client session prepared for QUIC by ngtcp2's crypto helper; owns the session and its
/// credentials and frees both on deinit.
final class GnuTLSClientSession {
    /// Cipher suites and groups QUIC allows, with TLS 1.3 middlebox compatibility off (RFC 9001 §8.4).
    private static let priorities = "NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+AES-128-GCM:+AES-256-GCM:"
        + "+CHACHA20-POLY1305:+AES-128-CCM:-GROUP-ALL:+GROUP-SECP256R1:+GROUP-X25519:+GROUP-SECP384R1:"
        + "+GROUP-SECP521R1:%DISABLE_TLS13_COMPAT_MODE"

    /// The `gnutls_session_t`; valid until deinit.
    let session: OpaquePointer
    private let credentials: OpaquePointer

    /// Sets up the session; `connectionReference` must outlive it (GnuTLS keeps the pointer and
    /// ngtcp2's callbacks use it to find the connection).
    init(options: TLSClientOptions, connectionReference: UnsafeMutablePointer<ngtcp2_crypto_conn_ref>) throws(QUICError) {
        var credentials: OpaquePointer?
        try Self.check(gnutls_certificate_allocate_credentials(&credentials), "gnutls_certificate_allocate_credentials")
        guard let credentials else { throw QUICError(.engine, "gnutls_certificate_allocate_credentials returned no credentials") }
        var session: OpaquePointer?
        if let failure = Self.failure(CNgtcp2_gnutls_init_client(&session), "gnutls_init") {
            gnutls_certificate_free_credentials(credentials)
            throw failure
        }
        guard let session else {
            gnutls_certificate_free_credentials(credentials)
            throw QUICError(.engine, "gnutls_init returned no session")
        }
        self.session = session
        self.credentials = credentials
        try configure(options, connectionReference: connectionReference)
    }

    deinit {
        gnutls_deinit(session)
        gnutls_certificate_free_credentials(credentials)
    }

    /// The protocol the server selected, once the handshake has got that far.
    var selectedALPN: String? {
        var datum = gnutls_datum_t()
        guard gnutls_alpn_get_selected_protocol(session, &datum) == 0, let data = datum.data else { return nil }
        return String(decoding: UnsafeBufferPointer(start: data, count: Int(datum.size)), as: UTF8.self)
    }

    private func configure(_ options: TLSClientOptions, connectionReference: UnsafeMutablePointer<ngtcp2_crypto_conn_ref>) throws(QUICError) {
        guard ngtcp2_crypto_gnutls_configure_client_session(session) == 0 else {
            throw QUICError(.engine, "ngtcp2_crypto_gnutls_configure_client_session failed")
        }
        try Self.check(gnutls_priority_set_direct(session, Self.priorities, nil), "gnutls_priority_set_direct")
        gnutls_session_set_ptr(session, connectionReference)
        if options.verifiesCertificate {
            try Self.check(gnutls_certificate_set_x509_system_trust(credentials), "gnutls_certificate_set_x509_system_trust", acceptsPositive: true)
            gnutls_session_set_verify_cert(session, options.serverName, 0)  // GnuTLS verifies nothing unless told (spec §4.8)
        }
        try Self.check(gnutls_credentials_set(session, GNUTLS_CRD_CERTIFICATE, UnsafeMutableRawPointer(credentials)), "gnutls_credentials_set")
        try setALPN(options.alpn)
        let name = Array(options.serverName.utf8)
        try Self.check(gnutls_server_name_set(session, GNUTLS_NAME_DNS, name, name.count), "gnutls_server_name_set")
    }

    /// GnuTLS copies the protocol names, so the temporary storage may go after the call.
    private func setALPN(_ protocols: [String]) throws(QUICError) {
        var bytes = protocols.flatMap { Array($0.utf8) }
        let result = bytes.withUnsafeMutableBufferPointer { bytes in
            var start = 0
            var datums: [gnutls_datum_t] = []
            for name in protocols {
                let length = name.utf8.count
                datums.append(gnutls_datum_t(data: bytes.baseAddress?.advanced(by: start), size: UInt32(length)))
                start += length
            }
            return gnutls_alpn_set_protocols(session, &datums, UInt32(datums.count), GNUTLS_ALPN_MANDATORY.rawValue)
        }
        try Self.check(result, "gnutls_alpn_set_protocols")
    }

    private static func check(_ result: Int32, _ function: String, acceptsPositive: Bool = false) throws(QUICError) {
        if acceptsPositive, result >= 0 { return }
        if let failure = failure(result, function) { throw failure }
    }

    private static func failure(_ result: Int32, _ function: String) -> QUICError? {
        guard result != 0 else { return nil }
        let text = gnutls_strerror(result).map { String(cString: $0) } ?? "code \(result)"
        return QUICError(.engine, "\(function): \(text)")
    }
}
