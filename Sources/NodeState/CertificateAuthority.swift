import Crypto
import Foundation
import SwiftASN1
import X509

/// A newly made certificate with its new private key, ready to store.
struct IssuedCertificate {
    let certificate: Certificate
    /// `-----BEGIN CERTIFICATE-----`, newline-terminated.
    let certificatePEM: String
    /// SEC1 `-----BEGIN EC PRIVATE KEY-----` as the reference writes it (§5.19), newline-terminated.
    let privateKeyPEM: String
}

/// A certificate and private key that can sign other certificates, and the self-signed roots.
///
/// Every certificate made here has a new ECDSA P-256 key, a random 20-byte serial (RFC 5280
/// §4.1.2.2) and a subject key identifier; issued ones carry the authority key identifier of their
/// signer, so `openssl verify` and TLS stacks can build the chain.
struct CertificateAuthority {
    let certificate: Certificate
    let privateKey: Certificate.PrivateKey

    /// Seconds in a day; validity is whole days from `notValidBefore` as in the reference.
    static let secondsPerDay: TimeInterval = 86_400

    /// A self-signed certificate for `domains`: CN = `domains[0]`.
    ///
    /// A CA gets basicConstraints `CA:TRUE` and key usage keyCertSign + cRLSign (both critical),
    /// no SANs and no EKU. A leaf gets `CA:FALSE`, digitalSignature, serverAuth and one SAN per
    /// domain (IP literals as iPAddress SANs).
    static func selfSigned(
        domains: [CertificateDomain], commonName: String, isCA: Bool, notValidBefore: Date, days: Int
    ) throws(TLSStoreError) -> IssuedCertificate {
        let key = P256.Signing.PrivateKey()
        let signingKey = Certificate.PrivateKey(key)
        return try build(
            key: key,
            subject: try name(commonName: commonName, replacingIn: nil),
            issuer: nil,
            extensions: {
                if isCA {
                    try Certificate.Extensions {
                        Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                        Critical(KeyUsage(digitalSignature: true, keyCertSign: true, cRLSign: true))
                        SubjectKeyIdentifier(hash: signingKey.publicKey)
                    }
                } else {
                    try leafExtensions(publicKey: signingKey.publicKey, issuerKeyIdentifier: nil, domains: domains)
                }
            },
            notValidBefore: notValidBefore,
            days: days
        )
    }

    /// A server certificate signed by this CA: subject = the CA's subject with its CN replaced by
    /// `commonName` (the reference's choice, §5.19), SANs = `domains`, serverAuth, `CA:FALSE`.
    ///
    /// The reference makes RSA-2048 keys here; we make P-256 keys like everywhere else in the
    /// store, which every TLS client we serve accepts and which is far cheaper to generate.
    func issue(
        domains: [CertificateDomain], commonName: String, notValidBefore: Date, days: Int
    ) throws(TLSStoreError) -> IssuedCertificate {
        let key = P256.Signing.PrivateKey()
        let issuerKeyIdentifier = ((try? certificate.extensions.subjectKeyIdentifier) ?? nil)?.keyIdentifier
            ?? SubjectKeyIdentifier(hash: certificate.publicKey).keyIdentifier
        return try Self.build(
            key: key,
            subject: try Self.name(commonName: commonName, replacingIn: certificate.subject),
            issuer: self,
            extensions: {
                try Self.leafExtensions(
                    publicKey: Certificate.PublicKey(key.publicKey),
                    issuerKeyIdentifier: issuerKeyIdentifier,
                    domains: domains
                )
            },
            notValidBefore: notValidBefore,
            days: days
        )
    }

    private static func leafExtensions(
        publicKey: Certificate.PublicKey, issuerKeyIdentifier: ArraySlice<UInt8>?, domains: [CertificateDomain]
    ) throws -> Certificate.Extensions {
        try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            Critical(KeyUsage(digitalSignature: true))
            try ExtendedKeyUsage([.serverAuth])
            SubjectKeyIdentifier(hash: publicKey)
            if let issuerKeyIdentifier {
                AuthorityKeyIdentifier(keyIdentifier: issuerKeyIdentifier)
            }
            SubjectAlternativeNames(domains.map(\.generalName))
        }
    }

    /// `base` with every CN replaced by `commonName` (appended if it has none), or just the CN.
    private static func name(commonName: String, replacingIn base: DistinguishedName?) throws(TLSStoreError) -> DistinguishedName {
        let cn = RelativeDistinguishedName.Attribute(
            type: .RDNAttributeType.commonName,
            value: RelativeDistinguishedName.Attribute.Value(utf8String: commonName)
        )
        guard let base else { return DistinguishedName([RelativeDistinguishedName(cn)]) }
        var replaced = false
        var rdns: [RelativeDistinguishedName] = base.map { rdn in
            RelativeDistinguishedName(rdn.map { attribute in
                guard attribute.type == .RDNAttributeType.commonName else { return attribute }
                replaced = true
                return cn
            })
        }
        if !replaced { rdns.append(RelativeDistinguishedName(cn)) }
        return DistinguishedName(rdns)
    }

    private static func build(
        key: P256.Signing.PrivateKey,
        subject: DistinguishedName,
        issuer: CertificateAuthority?,
        extensions: () throws -> Certificate.Extensions,
        notValidBefore: Date,
        days: Int
    ) throws(TLSStoreError) -> IssuedCertificate {
        let ownKey = Certificate.PrivateKey(key)
        let signer = issuer?.privateKey ?? ownKey
        // Certificate times have whole seconds (RFC 5280 §4.1.2.5); rounding a fraction up would
        // make a certificate not yet valid for up to a second after it is made.
        let notValidBefore = Date(timeIntervalSince1970: notValidBefore.timeIntervalSince1970.rounded(.down))
        do {
            let certificate = try Certificate(
                version: .v3,
                serialNumber: Certificate.SerialNumber(),
                publicKey: ownKey.publicKey,
                notValidBefore: notValidBefore,
                notValidAfter: notValidBefore.addingTimeInterval(TimeInterval(days) * secondsPerDay),
                issuer: issuer?.certificate.subject ?? subject,
                subject: subject,
                signatureAlgorithm: signatureAlgorithm(for: signer),
                extensions: try extensions(),
                issuerPrivateKey: signer
            )
            return IssuedCertificate(
                certificate: certificate,
                certificatePEM: try certificate.serializeAsPEM().pemString + "\n",
                privateKeyPEM: try SelfSignedCertificate.sec1PEM(of: key) + "\n"
            )
        } catch {
            throw .certificateEncoding(reason: "\(error)")
        }
    }

    /// The usual signature algorithm for a signer's key: ECDSA with the curve's hash, RSA with
    /// SHA-256 (PKCS#1 v1.5), Ed25519.
    static func signatureAlgorithm(for key: Certificate.PrivateKey) -> Certificate.SignatureAlgorithm {
        switch CertificateInfo.keyType(of: key.publicKey) {
        case "ECDSA-P384": .ecdsaWithSHA384
        case "ECDSA-P521": .ecdsaWithSHA512
        case "Ed25519": .ed25519
        case let type where type.hasPrefix("RSA"): .sha256WithRSAEncryption
        default: .ecdsaWithSHA256
        }
    }
}
