import TestSupport
import Crypto
import Foundation
import NodeState
import SwiftASN1
import Testing
import X509

@Suite("TLS store")
struct TLSStoreTests {
    @Test("the default certificate is generated once: P-256, CN and DNS SAN = node id, 3650 days, self-signed")
    func defaultCertificate() async throws {
        try await withTemporaryDirectory { tmp in
            let tls = try TLSStore(directory: tmp.child("tls"))
            let now = Date(timeIntervalSince1970: 1_750_000_000)
            #expect(try tls.ensureDefaultCertificate(nodeID: "a1b2c3d4", now: now))
            #expect(try tls.certificateIDs() == ["default"])

            let certificatePEM = try String(contentsOf: tls.certificateURL(id: "default"), encoding: .utf8)
            let certificate = try Certificate(pemEncoded: certificatePEM)
            #expect(certificate.subject.description == "CN=a1b2c3d4")
            #expect(certificate.issuer == certificate.subject)
            let names = try #require(try certificate.extensions.subjectAlternativeNames)
            #expect(Array(names) == [.dnsName("a1b2c3d4")])
            #expect(try certificate.extensions.basicConstraints == .notCertificateAuthority)
            #expect(try certificate.extensions.extendedKeyUsage?.contains(.serverAuth) == true)
            #expect(certificate.notValidBefore == now)
            #expect(certificate.notValidAfter.timeIntervalSince(certificate.notValidBefore) == 3650 * 86_400)
            #expect(certificate.signatureAlgorithm == .ecdsaWithSHA256)
            #expect(certificate.publicKey.isValidSignature(certificate.signature, for: certificate))

            let keyPEM = try String(contentsOf: tls.keyURL(id: "default"), encoding: .utf8)
            #expect(keyPEM.hasPrefix("-----BEGIN EC PRIVATE KEY-----"))
            let key = try P256.Signing.PrivateKey(pemRepresentation: keyPEM)
            #expect(Certificate.PublicKey(key.publicKey) == certificate.publicKey)
            #expect(try Certificate.PrivateKey(pemEncoded: keyPEM).publicKey == certificate.publicKey)

            #expect(try String(contentsOf: tls.nameURL(id: "default"), encoding: .utf8) == "Default")
            #expect(try mode(tls.keyURL(id: "default")) == 0o600)
            #expect(try mode(tls.certificateURL(id: "default")) == 0o644)
            #expect(try mode(tls.directory) == 0o755)

            #expect(try tls.ensureDefaultCertificate(nodeID: "ffffffff") == false)
            #expect(try String(contentsOf: tls.certificateURL(id: "default"), encoding: .utf8) == certificatePEM)
        }
    }

    @Test("openssl reads the default key as an EC key matching the certificate",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl"), "needs openssl at /usr/bin/openssl"))
    func opensslInterop() async throws {
        try await withTemporaryDirectory { tmp in
            let tls = try TLSStore(directory: tmp.child("tls"))
            try tls.ensureDefaultCertificate(nodeID: "0badc0de")
            let key = try tls.keyURL(id: "default").path
            let crt = try tls.certificateURL(id: "default").path
            #expect(try openssl(["ec", "-in", key, "-check", "-noout"]).status == 0)
            let fromKey = try openssl(["pkey", "-in", key, "-pubout"])
            let fromCertificate = try openssl(["x509", "-in", crt, "-noout", "-pubkey"])
            #expect(fromKey.status == 0 && fromCertificate.status == 0)
            #expect(!fromKey.output.isEmpty && fromKey.output == fromCertificate.output)
            let subject = try openssl(["x509", "-in", crt, "-noout", "-subject", "-ext", "subjectAltName"])
            #expect(subject.output.contains("CN = 0badc0de") || subject.output.contains("CN=0badc0de"))
            #expect(subject.output.contains("DNS:0badc0de"))
        }
    }

    private func openssl(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    @Test("ids that could leave the folder or hide a file are rejected",
          arguments: ["../x", ".hidden", "a/b", "..", ".", "", "a\u{0}b", "x y", "é", String(repeating: "a", count: 129)])
    func invalidIDs(id: String) async throws {
        #expect(!TLSStore.isValid(id: id))
        try await withTemporaryDirectory { tmp in
            let tls = try TLSStore(directory: tmp.child("tls"))
            #expect(throws: InvalidCertificateIDError.self) { try tls.certificateURL(id: id) }
            #expect(throws: InvalidCertificateIDError.self) {
                try tls.store(id: id, name: "x", certificatePEM: "x", keyPEM: nil)
            }
        }
    }

    @Test("ordinary ids are accepted", arguments: ["default", "__ikev2_auto__", "my-cert.v2", "A_1", "a..b"])
    func validIDs(id: String) {
        #expect(TLSStore.isValid(id: id))
    }

    @Test("certificateIDs lists only .crt files with valid ids")
    func listing() async throws {
        try await withTemporaryDirectory { tmp in
            let tls = try TLSStore(directory: tmp.child("tls"))
            try tls.store(id: "one", name: "One", certificatePEM: "pem", keyPEM: nil)
            try tls.store(id: "two", name: "Two", certificatePEM: "pem", keyPEM: "key")
            try Data().write(to: tls.directory.appendingPathComponent(".hidden.crt"))
            try Data().write(to: tls.directory.appendingPathComponent("three.key"))
            #expect(try tls.certificateIDs() == ["one", "two"])
            #expect(!FileManager.default.fileExists(atPath: try tls.keyURL(id: "one").path))
        }
    }

    private func mode(_ url: URL) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        return try #require((attributes[.posixPermissions] as? NSNumber)?.intValue)
    }
}
