public import Foundation
import Crypto
import SwiftASN1
import X509

/// A freshly generated self-signed server certificate and its key, as PEM.
public struct SelfSignedCertificate: Sendable {
    /// The certificate, `-----BEGIN CERTIFICATE-----`.
    public let certificatePEM: String
    /// The private key, SEC1 `-----BEGIN EC PRIVATE KEY-----` as the reference writes it (§5.19).
    public let privateKeyPEM: String

    /// Generates a self-signed ECDSA P-256 server certificate (spec/reference-api.md §5.19).
    ///
    /// CN = `domains[0]`, one DNS SAN per domain, a random serial, valid from `notValidBefore`
    /// for `days` days, key usage digital signature, extended key usage server auth, not a CA.
    /// - Throws: if `domains` is empty or `days` is not positive, or if X.509 encoding fails.
    public static func generate(domains: [String], notValidBefore: Date = Date(), days: Int) throws -> SelfSignedCertificate {
        guard let commonName = domains.first, days > 0 else {
            throw CertificateGenerationError(reason: "a certificate needs at least one domain and a positive validity")
        }
        let key = P256.Signing.PrivateKey()
        let signingKey = Certificate.PrivateKey(key)
        let name = try DistinguishedName { CommonName(commonName) }
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            Critical(KeyUsage(digitalSignature: true))
            try ExtendedKeyUsage([.serverAuth])
            SubjectAlternativeNames(domains.map { .dnsName($0) })
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: signingKey.publicKey,
            notValidBefore: notValidBefore,
            notValidAfter: notValidBefore.addingTimeInterval(TimeInterval(days) * 86_400),
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions,
            issuerPrivateKey: signingKey
        )
        return SelfSignedCertificate(
            certificatePEM: try certificate.serializeAsPEM().pemString + "\n",
            privateKeyPEM: try sec1PEM(of: key) + "\n"
        )
    }

    /// `key` as RFC 5915 `ECPrivateKey` in PEM: swift-crypto writes PKCS#8 only, the reference
    /// (Go `x509.MarshalECPrivateKey`) writes this form.
    ///
    /// ```
    /// ECPrivateKey ::= SEQUENCE {
    ///   version        INTEGER { ecPrivkeyVer1(1) },
    ///   privateKey     OCTET STRING,
    ///   parameters [0] ECParameters {{ NamedCurve }} OPTIONAL,
    ///   publicKey  [1] BIT STRING OPTIONAL }
    /// ```
    static func sec1PEM(of key: P256.Signing.PrivateKey) throws -> String {
        var serializer = DER.Serializer()
        try serializer.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(1)
            try coder.serialize(ASN1OctetString(contentBytes: ArraySlice(key.rawRepresentation)))
            try coder.serialize(explicitlyTaggedWithTagNumber: 0, tagClass: .contextSpecific) { coder in
                try coder.serialize(ASN1ObjectIdentifier.NamedCurves.secp256r1)
            }
            try coder.serialize(explicitlyTaggedWithTagNumber: 1, tagClass: .contextSpecific) { coder in
                try coder.serialize(ASN1BitString(bytes: ArraySlice(key.publicKey.x963Representation)))
            }
        }
        return PEMDocument(type: "EC PRIVATE KEY", derBytes: serializer.serializedBytes).pemString
    }
}

/// Certificate generation was asked for something it cannot make.
public struct CertificateGenerationError: Error, CustomStringConvertible, Sendable {
    /// What was wrong with the request.
    public let reason: String

    /// The reason.
    public var description: String { reason }
}
