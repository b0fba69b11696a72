import CNgtcp2

/// A GnuTLS session prepared for QUIC by ngtcp2's crypto helper, client or server side; owns the
/// session (and a client's credentials) and frees them on deinit.
final class GnuTLSSession {
    /// Cipher suites and groups QUIC allows, with TLS 1.3 middlebox compatibility off (RFC 9001 §8.4).
    private static let priorities = "NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+AES-128-GCM:+AES-256-GCM:"
        + "+CHACHA20-POLY1305:+AES-128-CCM:-GROUP-ALL:+GROUP-SECP256R1:+GROUP-X25519:+GROUP-SECP384R1:"
        + "+GROUP-SECP521R1:%DISABLE_TLS13_COMPAT_MODE"

    /// The `gnutls_session_t`; valid until deinit.
    let session: OpaquePointer
    /// Keeps the certificate credentials alive as long as the session points at them.
    private let credentials: GnuTLSCredentials
    /// A client's own trust anchors, checked by our verify function.
    private(set) var pinned: PinnedCertificates?

    /// A client session: SNI, ALPN and certificate checks as `options` say. `connectionReference`
    /// must outlive the session (GnuTLS keeps the pointer; ngtcp2's callbacks find the connection with it).
    static func client(
        _ options: TLSClientOptions, connectionReference: UnsafeMutablePointer<ngtcp2_crypto_conn_ref>
    ) throws(QUICError) -> GnuTLSSession {
        let credentials = try GnuTLSCredentials.client(options)
        let session = try GnuTLSSession(
            flags: CNgtcp2_gnutls_client_flags(), credentials: credentials, alpn: options.alpn,
            connectionReference: connectionReference)
        guard ngtcp2_crypto_gnutls_configure_client_session(session.session) == 0 else {
            throw QUICError(.engine, "ngtcp2_crypto_gnutls_configure_client_session failed")
        }
        if options.verifiesCertificate {
            // GnuTLS verifies nothing unless told (spec §4.8).
            if let authorities = options.trustedAuthoritiesPEM {
                session.pinned = PinnedCertificates(pem: authorities, serverName: options.serverName)
                gnutls_session_set_verify_function(session.session) { session in
                    GnuTLSSession.owning(session)?.pinned?.verifyPeer(of: session) == true ? 0 : -1
                }
            } else {
                gnutls_session_set_verify_cert(session.session, options.serverName, 0)
            }
        }
        let name = Array(options.serverName.utf8)
        try check(gnutls_server_name_set(session.session, GNUTLS_NAME_DNS, name, name.count), "gnutls_server_name_set")
        return session
    }

    /// A server session presenting `credentials`' certificate and accepting only `alpn`.
    static func server(
        credentials: GnuTLSCredentials, alpn: [String], connectionReference: UnsafeMutablePointer<ngtcp2_crypto_conn_ref>
    ) throws(QUICError) -> GnuTLSSession {
        let session = try GnuTLSSession(
            flags: CNgtcp2_gnutls_server_flags(), credentials: credentials, alpn: alpn,
            connectionReference: connectionReference)
        guard ngtcp2_crypto_gnutls_configure_server_session(session.session) == 0 else {
            throw QUICError(.engine, "ngtcp2_crypto_gnutls_configure_server_session failed")
        }
        return session
    }

    private init(
        flags: UInt32, credentials: GnuTLSCredentials, alpn: [String],
        connectionReference: UnsafeMutablePointer<ngtcp2_crypto_conn_ref>
    ) throws(QUICError) {
        var session: OpaquePointer?
        try Self.check(gnutls_init(&session, flags), "gnutls_init")
        guard let session else { throw QUICError(.engine, "gnutls_init returned no session") }
        self.session = session
        self.credentials = credentials
        try Self.check(gnutls_priority_set_direct(session, Self.priorities, nil), "gnutls_priority_set_direct")
        gnutls_session_set_ptr(session, connectionReference)
        try Self.check(gnutls_credentials_set(session, GNUTLS_CRD_CERTIFICATE, UnsafeMutableRawPointer(credentials.pointer)),
                       "gnutls_credentials_set")
        try setALPN(alpn)
    }

    deinit {
        gnutls_deinit(session)
    }

    /// The session object behind a `gnutls_session_t` inside a GnuTLS callback, found through the
    /// connection reference the session points at.
    static func owning(_ session: OpaquePointer?) -> GnuTLSSession? {
        guard let session, let reference = gnutls_session_get_ptr(session)?.assumingMemoryBound(to: ngtcp2_crypto_conn_ref.self),
              let userData = reference.pointee.user_data
        else { return nil }
        return Unmanaged<NgtcpConnection>.fromOpaque(userData).takeUnretainedValue().tls
    }

    /// The protocol agreed in the handshake, once it has got that far.
    var selectedALPN: String? {
        var datum = gnutls_datum_t()
        guard gnutls_alpn_get_selected_protocol(session, &datum) == 0, let data = datum.data else { return nil }
        return String(decoding: UnsafeBufferPointer(start: data, count: Int(datum.size)), as: UTF8.self)
    }

    /// GnuTLS copies the protocol names, so the temporary storage may go after the call. Mandatory:
    /// a peer offering none of them fails the handshake.
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

    static func check(_ result: Int32, _ function: String, acceptsPositive: Bool = false) throws(QUICError) {
        if result == 0 || (acceptsPositive && result > 0) { return }
        let text = gnutls_strerror(result).map { String(cString: $0) } ?? "code \(result)"
        throw QUICError(.engine, "\(function): \(text)")
    }
}
