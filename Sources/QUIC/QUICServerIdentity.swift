/// The certificate a server presents: PEM text as the TLS store and certificate files hold it.
public struct QUICServerIdentity: Sendable, Equatable {
    /// The leaf certificate first, then any intermediates.
    public var certificateChainPEM: String
    /// The leaf's private key (PKCS#8, RSA or EC PEM).
    public var privateKeyPEM: String

    /// An identity from PEM text.
    public init(certificateChainPEM: String, privateKeyPEM: String) {
        self.certificateChainPEM = certificateChainPEM
        self.privateKeyPEM = privateKeyPEM
    }
}
