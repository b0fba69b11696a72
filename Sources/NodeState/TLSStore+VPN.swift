public import Foundation

/// The node's own CA for its VPN servers: phones and strongSwan accept a server certificate only
/// under a CA they trust, which a self-signed leaf (the store's `default`) cannot be.
extension TLSStore {
    /// The CA the node issues its IKEv2 server certificate from, when `ikev2.cert_id` is empty.
    public static let vpnCAID = "vpn-ca"
    /// That certificate.
    public static let ikev2CertificateID = "ikev2"
    /// The leaf's validity: within what every client accepts of a server certificate.
    static let vpnCertificateDays = 825
    /// A leaf closer than this to its end is issued again.
    static let vpnRenewal: TimeInterval = 30 * 86_400

    /// The IKEv2 server's certificate and key for identity `name`, from the node's VPN CA; the CA
    /// is made once, the certificate again when its name changed, another CA issued it, or it
    /// ends within 30 days.
    public func vpnServerCertificate(for name: String, now: Date = Date()) throws(TLSStoreError) -> (certificatePEM: String, keyPEM: String) {
        if try !exists(id: Self.vpnCAID) {
            try generate(id: Self.vpnCAID, name: "VPN CA", domains: ["hy2scale VPN CA"], days: Self.defaultValidityDays, isCA: true, now: now)
        }
        let current = try exists(id: Self.ikev2CertificateID) ? try certificateInfo(id: Self.ikev2CertificateID) : nil
        if current == nil || current?.domains != [name] || current?.caID != Self.vpnCAID || current?.hasKey != true
            || current.map({ $0.notAfter.timeIntervalSince(now) < Self.vpnRenewal }) == true {
            try sign(caID: Self.vpnCAID, id: Self.ikev2CertificateID, name: "IKEv2 server", commonName: name, domains: [name],
                     days: Self.vpnCertificateDays, replace: true, now: now)
        }
        guard let key = try read(try files(Self.ikev2CertificateID).key) else { throw .missingPrivateKey(id: Self.ikev2CertificateID) }
        return (try pem(id: Self.ikev2CertificateID), key)
    }
}
