import Foundation
import SwiftASN1
import X509

/// A parsed certificate chain: the leaf first, as in a TLS server's chain file.
struct CertificateChain {
    /// Never empty.
    let certificates: [Certificate]
    /// The DER of each certificate, same order.
    let derEncodings: [[UInt8]]

    var leaf: Certificate { certificates[0] }

    /// The chain re-encoded as PEM blocks, newline-terminated: nothing else of the submitted text
    /// (comments, a pasted key) reaches the world-readable `.crt`.
    var pem: String {
        derEncodings.map { PEMDocument(type: "CERTIFICATE", derBytes: $0).pemString + "\n" }.joined()
    }
}

extension TLSStore {
    /// PEM block types of private keys swift-certificates reads (PKCS#8, SEC1, PKCS#1).
    static let privateKeyPEMTypes: Set<String> = ["PRIVATE KEY", "EC PRIVATE KEY", "RSA PRIVATE KEY"]
    /// PEM blocks that may sit beside a key and carry nothing secret (`openssl ecparam -genkey`).
    static let ignoredKeyPEMTypes: Set<String> = ["EC PARAMETERS"]

    /// Parses every PEM block of `text` as an X.509 certificate.
    ///
    /// - Throws: ``TLSStoreError/invalidCertificate(field:reason:)`` when there is no block, a block
    ///   is not a `CERTIFICATE` (a private key pasted by mistake is refused, never stored), or a
    ///   block does not parse.
    static func parseCertificateChain(_ text: String, field: String) throws(TLSStoreError) -> CertificateChain {
        let documents: [PEMDocument]
        do {
            documents = try PEMDocument.parseMultiple(pemString: text)
        } catch {
            throw .invalidCertificate(field: field, reason: "malformed PEM (\(error)); expected -----BEGIN CERTIFICATE----- blocks")
        }
        guard !documents.isEmpty else {
            throw .invalidCertificate(field: field, reason: "no PEM block found; expected -----BEGIN CERTIFICATE-----")
        }
        var certificates: [Certificate] = []
        for (index, document) in documents.enumerated() {
            guard document.discriminator == Certificate.defaultPEMDiscriminator else {
                throw .invalidCertificate(
                    field: field,
                    reason: "block \(index + 1) is \(document.discriminator.debugDescription), not CERTIFICATE; only certificates belong here"
                )
            }
            do {
                certificates.append(try Certificate(derEncoded: document.derBytes))
            } catch {
                throw .invalidCertificate(field: field, reason: "block \(index + 1) is not an X.509 certificate (\(error))")
            }
        }
        return CertificateChain(certificates: certificates, derEncodings: documents.map(\.derBytes))
    }

    /// Parses the one unencrypted private key in `text`; returns it and its PEM block alone.
    ///
    /// The error text never quotes the key or the parser's message about it.
    /// - Throws: ``TLSStoreError/invalidKey(field:reason:)``.
    static func parsePrivateKey(_ text: String, field: String) throws(TLSStoreError) -> (key: Certificate.PrivateKey, pem: String) {
        let accepted = "expected one unencrypted PKCS#8 (PRIVATE KEY), SEC1 (EC PRIVATE KEY) or PKCS#1 (RSA PRIVATE KEY) block"
        guard let documents = try? PEMDocument.parseMultiple(pemString: text) else {
            throw .invalidKey(field: field, reason: "malformed PEM; \(accepted)")
        }
        let keys = documents.filter { !ignoredKeyPEMTypes.contains($0.discriminator) }
        guard keys.count == 1, let document = keys.first else {
            throw .invalidKey(field: field, reason: "found \(keys.count) key blocks; \(accepted)")
        }
        guard privateKeyPEMTypes.contains(document.discriminator) else {
            let hint = document.discriminator.contains("ENCRYPTED")
                ? "encrypted keys are not supported, decrypt it first (openssl pkey -in key.pem -out plain.pem); "
                : "a \(document.discriminator.debugDescription) block is not a private key; "
            throw .invalidKey(field: field, reason: hint + accepted)
        }
        do {
            let key = try Certificate.PrivateKey(pemDocument: document)
            return (key, document.pemString + "\n")
        } catch {
            throw .invalidKey(field: field, reason: "the \(document.discriminator) block does not parse as a supported key (P-256, P-384, P-521, RSA ≥ 2048 bits, Ed25519)")
        }
    }

    /// Checks that `key` belongs to `certificate`.
    static func checkKey(_ key: Certificate.PrivateKey, matches certificate: Certificate) throws(TLSStoreError) {
        guard key.publicKey == certificate.publicKey else { throw .keyMismatch }
    }
}
