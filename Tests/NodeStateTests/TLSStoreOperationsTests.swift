#if canImport(Glibc)
import Glibc
#endif
import TestSupport
import Crypto
import Foundation
import NodeState
import SwiftASN1
import Testing
import X509

@Suite("TLS store operations")
struct TLSStoreOperationsTests {
    static let now = Date(timeIntervalSince1970: 1_750_000_000)

    // MARK: generate

    @Test("generate makes a self-signed P-256 leaf with DNS and IP SANs, serverAuth, 365 days by default")
    func generateLeaf() async throws {
        try await withTemporaryDirectory { tmp in
            let tls = try TLSStore(directory: tmp.child("tls"))
            let info = try tls.generate(id: "vpn-cert", name: "vpn.sg.example", domains: ["vpn.sg.example", "192.0.2.7", "2001:db8::1"], now: Self.now)
            #expect(info.id == "vpn-cert")
            #expect(info.name == "vpn.sg.example")
            #expect(info.subject == "vpn.sg.example" && info.issuer == "vpn.sg.example")
            #expect(info.domains == ["vpn.sg.example", "192.0.2.7", "2001:db8::1"])
            #expect(info.notBefore == Self.now)
            #expect(info.notAfter.timeIntervalSince(Self.now) == 365 * 86_400)
            #expect(!info.isCA && info.hasKey && info.caID == nil)
            #expect(info.keyType == "ECDSA-P256")
            #expect(info.certificateFile == tls.directory.appendingPathComponent("vpn-cert.crt").path)
            #expect(info.keyFile == tls.directory.appendingPathComponent("vpn-cert.key").path)

            let certificate = try Certificate(pemEncoded: tls.pem(id: "vpn-cert"))
            let sans = try #require(try certificate.extensions.subjectAlternativeNames)
            #expect(Array(sans) == [
                .dnsName("vpn.sg.example"),
                .ipAddress(ASN1OctetString(contentBytes: [192, 0, 2, 7])),
                .ipAddress(ASN1OctetString(contentBytes: [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])),
            ])
            #expect(try certificate.extensions.basicConstraints == .notCertificateAuthority)
            #expect(try certificate.extensions.extendedKeyUsage?.contains(.serverAuth) == true)
            #expect(certificate.publicKey.isValidSignature(certificate.signature, for: certificate))
            #expect(try tls.listCertificates() == [info])
            #expect(try mode(tls.directory.appendingPathComponent("vpn-cert.key")) == 0o600)
        }
    }

    @Test("generate with isCA makes a CA: CA:TRUE, keyCertSign and cRLSign, no SANs")
    func generateCA() async throws {
        try await withTemporaryDirectory { tmp in
            let tls = try TLSStore(directory: tmp.child("tls"))
            let info = try tls.generate(id: "root", domains: ["Mesh Root"], days: 3650, isCA: true, now: Self.now)
            #expect(info.isCA && info.name == "root" && info.subject == "Mesh Root" && info.domains.isEmpty)
            #expect(info.notAfter.timeIntervalSince(Self.now) == 3650 * 86_400)
            let certificate = try Certificate(pemEncoded: tls.pem(id: "root"))
            #expect(try certificate.extensions.basicConstraints == .isCertificateAuthority(maxPathLength: nil))
            let usage = try #require(try certificate.extensions.keyUsage)
            #expect(usage.keyCertSign && usage.cRLSign)
        }
    }

    @Test("openssl reads generated leaf and CA certificates as intended", .enabled(if: OpenSSLTool.isAvailable, OpenSSLTool.missingReason))
    func generateWithOpenSSL() async throws {
        try await withTemporaryDirectory { tmp in
            let tls = try TLSStore(directory: tmp.child("tls"))
            let leaf = try tls.generate(id: "leaf", domains: ["a.example", "10.0.0.1"])
            try tls.generate(id: "ca", domains: ["Mesh CA"], isCA: true)
            let leafText = try OpenSSLTool.run(["x509", "-in", leaf.certificateFile, "-noout", "-text"])
            #expect(leafText.status == 0)
            #expect(leafText.output.contains("DNS:a.example, IP Address:10.0.0.1"))
            #expect(leafText.output.contains("TLS Web Server Authentication"))
            #expect(leafText.output.contains("CA:FALSE"))
            #expect(leafText.output.contains("ASN1 OID: prime256v1"))
            let caText = try OpenSSLTool.run(["x509", "-in", tls.directory.appendingPathComponent("ca.crt").path, "-noout", "-text"])
            #expect(caText.output.contains("CA:TRUE"))
            #expect(caText.output.contains("Certificate Sign, CRL Sign"))
            let fingerprint = try OpenSSLTool.run(["x509", "-in", leaf.certificateFile, "-noout", "-fingerprint", "-sha256"])
            #expect(fingerprint.output.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("=" + leaf.fingerprintSHA256))
            #expect(try OpenSSLTool.run(["ec", "-in", try #require(leaf.keyFile), "-check", "-noout"]).status == 0)
        }
    }

    @Test("generate refuses bad requests with the field named")
    func generateErrors() async throws {
        try await withTemporaryDirectory { tmp in
            let tls = try TLSStore(directory: tmp.child("tls"))
            try expectError("invalidField", field: "domains") { try tls.generate(id: "x", domains: []) }
            try expectError("invalidField", field: "domains[1]") { try tls.generate(id: "x", domains: ["ok.example", "not a name"]) }
            try expectError("invalidField", field: "domains[0]") { try tls.generate(id: "x", domains: [" "]) }
            try expectError("invalidField", field: "days") { try tls.generate(id: "x", domains: ["a"], days: 36_501) }
            try expectError("invalidField", field: "name") { try tls.generate(id: "x", name: "a\nb", domains: ["a"]) }
            #expect(try tls.listCertificates().isEmpty)

            // v1.3 compat: days ≤ 0 means the default.
            let zero = try tls.generate(id: "x", domains: ["a"], days: 0, now: Self.now)
            #expect(zero.notAfter.timeIntervalSince(Self.now) == 365 * 86_400)
            let error = try expectError("alreadyExists", field: "id") { try tls.generate(id: "x", domains: ["b"]) }
            #expect(error.description.contains("\"x\""))
            let replaced = try tls.generate(id: "x", domains: ["b"], replace: true)
            #expect(replaced.subject == "b")
        }
    }

    // MARK: sign

    @Test("sign issues a leaf under a store CA: issuer, AKI, .ca file, 7300 days by default")
    func signLeaf() async throws {
        try await withTemporaryDirectory { tmp in
            let tls = try TLSStore(directory: tmp.child("tls"))
            try tls.generate(id: "root", domains: ["Mesh Root"], isCA: true, now: Self.now)
            let info = try tls.sign(caID: "root", id: "node1", commonName: "node1.mesh", domains: ["node1.mesh", "10.1.0.1"], now: Self.now)
            #expect(info.name == "node1.mesh" && info.subject == "node1.mesh" && info.issuer == "Mesh Root")
            #expect(info.caID == "root" && info.hasKey && !info.isCA)
            #expect(info.domains == ["node1.mesh", "10.1.0.1"])
            #expect(info.notAfter.timeIntervalSince(Self.now) == 7300 * 86_400)
            #expect(try String(contentsOf: tls.directory.appendingPathComponent("node1.ca"), encoding: .utf8) == "root")
            #expect(try tls.listCertificates().map(\.id) == ["node1", "root"])
            #expect(try tls.certificateInfo(id: "node1") == info)

            let ca = try Certificate(pemEncoded: tls.pem(id: "root"))
            let leaf = try Certificate(pemEncoded: tls.pem(id: "node1"))
            #expect(ca.publicKey.isValidSignature(leaf.signature, for: leaf))
            #expect(leaf.issuer == ca.subject)
            #expect(try leaf.extensions.authorityKeyIdentifier?.keyIdentifier == ca.extensions.subjectKeyIdentifier?.keyIdentifier)

            // Without domains the common name is the one SAN, as in the reference.
            let single = try tls.sign(caID: "root", id: "node2", commonName: "node2.mesh")
            #expect(single.domains == ["node2.mesh"])
        }
    }

    @Test("openssl verifies a signed leaf against its CA, P-256 and imported RSA CAs", .enabled(if: OpenSSLTool.isAvailable, OpenSSLTool.missingReason))
    func signWithOpenSSL() async throws {
        try await withTemporaryDirectory { tmp in
            let tls = try TLSStore(directory: tmp.child("tls"))
            try tls.generate(id: "root", domains: ["Mesh Root"], isCA: true)
            let leaf = try tls.sign(caID: "root", id: "leaf", commonName: "leaf.mesh")
            let ca = tls.directory.appendingPathComponent("root.crt").path
            let verified = try OpenSSLTool.run(["verify", "-CAfile", ca, "-purpose", "sslserver", leaf.certificateFile])
            #expect(verified.status == 0, "\(verified.output)")
            #expect(verified.output.contains(": OK"))

            // A CA made by openssl with an RSA key (PKCS#8), imported, then used to sign.
            let rsaKey = tmp.child("rsa-ca.key").path, rsaCertificate = tmp.child("rsa-ca.crt").path
            let made = try OpenSSLTool.run([
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", rsaKey, "-out", rsaCertificate,
                "-subj", "/O=Example Org/CN=RSA Root", "-days", "30",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            ])
            try #require(made.status == 0, "\(made.output)")
            let imported = try tls.importPEM(
                id: "rsa-root", certificatePEM: String(contentsOfFile: rsaCertificate, encoding: .utf8),
                keyPEM: String(contentsOfFile: rsaKey, encoding: .utf8))
            #expect(imported.isCA && imported.keyType == "RSA-2048")
            let rsaLeaf = try tls.sign(caID: "rsa-root", id: "rsa-leaf", commonName: "r.mesh")
            let rsaVerified = try OpenSSLTool.run(["verify", "-CAfile", rsaCertificate, rsaLeaf.certificateFile])
            #expect(rsaVerified.status == 0, "\(rsaVerified.output)")
            let subject = try OpenSSLTool.run(["x509", "-in", rsaLeaf.certificateFile, "-noout", "-subject", "-nameopt", "RFC2253"])
            #expect(subject.output.contains("CN=r.mesh,O=Example Org"))
        }
    }

    @Test("sign refuses a missing CA, a non-CA, a CA without key, a bad ca_id and id = ca_id")
    func signErrors() async throws {
        try await withTemporaryDirectory { tmp in
            let tls = try TLSStore(directory: tmp.child("tls"))
            try expectError("notFound", field: "ca_id") { try tls.sign(caID: "nope", id: "x", commonName: "x") }
            try expectError("invalidID", field: "ca_id") { try tls.sign(caID: "../etc", id: "x", commonName: "x") }

            try tls.generate(id: "leaf", domains: ["leaf.example"])
            let notCA = try expectError("notACertificateAuthority", field: "ca_id") { try tls.sign(caID: "leaf", id: "x", commonName: "x") }
            #expect(notCA.description.contains("\"leaf\""))

            try tls.generate(id: "root", domains: ["Root"], isCA: true)
            try tls.importPEM(id: "keyless", certificatePEM: tls.pem(id: "root"))
            try expectError("missingPrivateKey", field: "ca_id") { try tls.sign(caID: "keyless", id: "x", commonName: "x") }
            try expectError("invalidField", field: "id") { try tls.sign(caID: "root", id: "root", commonName: "x", replace: true) }
            try expectError("invalidField", field: "cn") { try tls.sign(caID: "root", id: "x", commonName: "") }
            try expectError("invalidField", field: "cn") { try tls.sign(caID: "root", id: "x", commonName: String(repeating: "a", count: 65)) }
            try expectError("alreadyExists", field: "id") { try tls.sign(caID: "root", id: "leaf", commonName: "x") }
            #expect(!(try tls.exists(id: "x")))
            #expect(try tls.certificateInfo(id: "root").isCA)
        }
    }

    // MARK: import

    @Test("importPEM stores a certificate and matching key; PKCS#8 and SEC1 keys; name defaults to the id")
    func importMainPath() async throws {
        try await withTemporaryDirectory { tmp in
            let tls = try TLSStore(directory: tmp.child("tls"))
            let pair = try SelfSignedCertificate.generate(domains: ["imp.example"], days: 10)
            let info = try tls.importPEM(id: "imp", certificatePEM: "comment line\n" + pair.certificatePEM, keyPEM: pair.privateKeyPEM)
            #expect(info.name == "imp" && info.hasKey && info.subject == "imp.example")
            #expect(try tls.pem(id: "imp") == pair.certificatePEM)  // stray text is not kept
            #expect(try tls.listCertificates() == [info])

            let pkcs8 = try P256.Signing.PrivateKey(pemRepresentation: pair.privateKeyPEM).pemRepresentation
            #expect(pkcs8.hasPrefix("-----BEGIN PRIVATE KEY-----"))
            try tls.importPEM(id: "imp8", name: "Imported", certificatePEM: pair.certificatePEM, keyPEM: pkcs8)
            let storedKey = try String(contentsOf: tls.directory.appendingPathComponent("imp8.key"), encoding: .utf8)
            #expect(try Certificate.PrivateKey(pemEncoded: storedKey).publicKey == Certificate(pemEncoded: pair.certificatePEM).publicKey)
            #expect(try tls.certificateInfo(id: "imp8").name == "Imported")
        }
    }

    @Test("importPEM keeps a whole chain, describes its first certificate")
    func importChain() async throws {
        try await withTemporaryDirectory { tmp in
            let tls = try TLSStore(directory: tmp.child("tls"))
            try tls.generate(id: "root", domains: ["Root"], isCA: true)
            try tls.sign(caID: "root", id: "leaf", commonName: "leaf.example")
            let chain = try tls.pem(id: "leaf") + tls.pem(id: "root")
            let key = try String(contentsOf: tls.directory.appendingPathComponent("leaf.key"), encoding: .utf8)
            let info = try tls.importPEM(id: "bundle", certificatePEM: chain, keyPEM: key)
            #expect(info.subject == "leaf.example" && info.issuer == "Root" && info.caID == nil)
            #expect(try tls.pem(id: "bundle") == chain)
        }
    }

    @Test("openssl-made keys import: SEC1 with EC PARAMETERS, RSA PKCS#1", .enabled(if: OpenSSLTool.isAvailable, OpenSSLTool.missingReason))
    func importOpenSSLKeys() async throws {
        try await withTemporaryDirectory { tmp in
            let tls = try TLSStore(directory: tmp.child("tls"))
            let dir = tmp.url
            try #require(try OpenSSLTool.run(["ecparam", "-name", "prime256v1", "-genkey", "-out", "ec.key"], in: dir).status == 0)
            try #require(try OpenSSLTool.run(["req", "-x509", "-key", "ec.key", "-out", "ec.crt", "-subj", "/CN=ec.example", "-days", "5"], in: dir).status == 0)
            let ecKey = try String(contentsOf: dir.appendingPathComponent("ec.key"), encoding: .utf8)
            #expect(ecKey.contains("EC PARAMETERS"))
            let ec = try tls.importPEM(id: "ec", certificatePEM: String(contentsOf: dir.appendingPathComponent("ec.crt"), encoding: .utf8), keyPEM: ecKey)
            #expect(ec.keyType == "ECDSA-P256")
            let storedKey = try String(contentsOf: tls.directory.appendingPathComponent("ec.key"), encoding: .utf8)
            #expect(!storedKey.contains("EC PARAMETERS") && storedKey.hasPrefix("-----BEGIN EC PRIVATE KEY-----"))

            try #require(try OpenSSLTool.run(["genrsa", "-traditional", "-out", "rsa.key", "2048"], in: dir).status == 0)
            try #require(try OpenSSLTool.run(["req", "-x509", "-key", "rsa.key", "-out", "rsa.crt", "-subj", "/CN=rsa.example", "-days", "5"], in: dir).status == 0)
            let rsaKey = try String(contentsOf: dir.appendingPathComponent("rsa.key"), encoding: .utf8)
            #expect(rsaKey.hasPrefix("-----BEGIN RSA PRIVATE KEY-----"))
            let rsa = try tls.importPEM(id: "rsa", certificatePEM: String(contentsOf: dir.appendingPathComponent("rsa.crt"), encoding: .utf8), keyPEM: rsaKey)
            #expect(rsa.keyType == "RSA-2048")

            try #require(try OpenSSLTool.run(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-aes256", "-pass", "pass:pw", "-out", "enc.key"], in: dir).status == 0)
            let encrypted = try String(contentsOf: dir.appendingPathComponent("enc.key"), encoding: .utf8)
            let error = try expectError("invalidKey", field: "key") {
                try tls.importPEM(id: "enc", certificatePEM: tls.pem(id: "ec"), keyPEM: encrypted)
            }
            #expect(error.description.contains("encrypted"))
        }
    }

    @Test("importPEM refuses garbage, a key in the certificate field, a wrong key, and an existing id")
    func importErrors() async throws {
        try await withTemporaryDirectory { tmp in
            let tls = try TLSStore(directory: tmp.child("tls"))
            let pair = try SelfSignedCertificate.generate(domains: ["a.example"], days: 10)
            let other = try SelfSignedCertificate.generate(domains: ["b.example"], days: 10)

            let none = try expectError("invalidCertificate", field: "cert") { try tls.importPEM(id: "x", certificatePEM: "hello") }
            #expect(none.description.contains("invalid certificate PEM"))
            try expectError("invalidCertificate", field: "cert") { try tls.importPEM(id: "x", certificatePEM: "") }
            try expectError("invalidCertificate", field: "cert") {
                try tls.importPEM(id: "x", certificatePEM: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
            }
            let pasted = try expectError("invalidCertificate", field: "cert") {
                try tls.importPEM(id: "x", certificatePEM: pair.certificatePEM + pair.privateKeyPEM)
            }
            #expect(!pasted.description.contains(pair.privateKeyPEM.split(separator: "\n")[1]))

            let badKey = try expectError("invalidKey", field: "key") { try tls.importPEM(id: "x", certificatePEM: pair.certificatePEM, keyPEM: "junk") }
            #expect(badKey.description.contains("invalid private key PEM"))
            try expectError("invalidKey", field: "key") {
                try tls.importPEM(id: "x", certificatePEM: pair.certificatePEM, keyPEM: pair.certificatePEM)
            }
            try expectError("invalidKey", field: "key") {
                try tls.importPEM(id: "x", certificatePEM: pair.certificatePEM, keyPEM: "-----BEGIN EC PRIVATE KEY-----\nMAA=\n-----END EC PRIVATE KEY-----\n")
            }
            let mismatch = try expectError("keyMismatch", field: "key") {
                try tls.importPEM(id: "x", certificatePEM: pair.certificatePEM, keyPEM: other.privateKeyPEM)
            }
            #expect(mismatch.description == "private key does not match the certificate: its public key differs from the certificate's")
            #expect(try tls.listCertificates().isEmpty)
            #expect(try FileManager.default.contentsOfDirectory(atPath: tls.directory.path).isEmpty)

            try tls.importPEM(id: "x", certificatePEM: pair.certificatePEM, keyPEM: pair.privateKeyPEM)
            try expectError("alreadyExists", field: "id") { try tls.importPEM(id: "x", certificatePEM: other.certificatePEM) }
            // Replacing without a key drops the old key, which would not match the new certificate.
            let replaced = try tls.importPEM(id: "x", certificatePEM: other.certificatePEM, replace: true)
            #expect(!replaced.hasKey && replaced.subject == "b.example")
            #expect(!FileManager.default.fileExists(atPath: tls.directory.appendingPathComponent("x.key").path))
        }
    }

    @Test("garbage and truncated PEM never crash the parser")
    func garbagePEM() async throws {
        try await withTemporaryDirectory { tmp in
            let tls = try TLSStore(directory: tmp.child("tls"))
            let pair = try SelfSignedCertificate.generate(domains: ["a.example"], days: 10)
            let seed = UInt64.random(in: 0 ... .max)
            var rng = SplitMix64(seed: seed)
            var inputs: [String] = []
            for cut in stride(from: 0, to: pair.certificatePEM.utf8.count, by: 17) {
                inputs.append(String(decoding: Array(pair.certificatePEM.utf8).prefix(cut), as: UTF8.self))
            }
            for _ in 0..<50 {
                let bytes = (0..<Int.random(in: 1...300, using: &rng)).map { _ in UInt8.random(in: 0 ... .max, using: &rng) }
                inputs.append("-----BEGIN CERTIFICATE-----\n\(Data(bytes).base64EncodedString())\n-----END CERTIFICATE-----\n")
                inputs.append(String(decoding: bytes, as: UTF8.self))
            }
            for input in inputs {
                #expect(throws: TLSStoreError.self, "seed \(seed)") { try tls.importPEM(id: "g", certificatePEM: input) }
                // An empty key means "no key", so only non-blank inputs must be refused as keys.
                let key = input.replacingOccurrences(of: "CERTIFICATE", with: "EC PRIVATE KEY")
                if !key.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    #expect(throws: TLSStoreError.self, "seed \(seed)") {
                        try tls.importPEM(id: "g", certificatePEM: pair.certificatePEM, keyPEM: key)
                    }
                }
            }
            #expect(try tls.listCertificates().isEmpty)
        }
    }

    // MARK: ids

    @Test("path-traversal and other invalid ids are refused by every operation before any file access",
          arguments: ["../x", "a/b", "..", ".hidden", "", "a\u{0}b", "/etc/passwd"])
    func invalidIDs(id: String) async throws {
        try await withTemporaryDirectory { tmp in
            let tls = try TLSStore(directory: tmp.child("tls"))
            let pair = try SelfSignedCertificate.generate(domains: ["a.example"], days: 10)
            try expectError("invalidID", field: "id") { try tls.exists(id: id) }
            try expectError("invalidID", field: "id") { try tls.importPEM(id: id, certificatePEM: pair.certificatePEM) }
            // The paths do not exist and are outside: an id error proves nothing was looked at.
            try expectError("invalidID", field: "id") {
                try tls.importFromPath(id: id, certificatePath: "/nonexistent/c.pem", allowedDirectories: [])
            }
            try expectError("invalidID", field: "id") { try tls.generate(id: id, domains: ["a"]) }
            try expectError("invalidID", field: "id") { try tls.sign(caID: "root", id: id, commonName: "a") }
            try expectError("invalidID", field: "id") { try tls.pem(id: id) }
            try expectError("invalidID", field: "id") { try tls.delete(id: id) }
            try expectError("invalidID", field: "id") { try tls.certificateInfo(id: id) }
            #expect(try FileManager.default.contentsOfDirectory(atPath: tls.directory.path).isEmpty)
            #expect(try FileManager.default.contentsOfDirectory(atPath: tmp.url.path) == ["tls"])
        }
    }

    // MARK: list, pem, delete

    @Test("the listing is sorted by id, skips corrupt files and reports them")
    func listing() async throws {
        try await withTemporaryDirectory { tmp in
            let tls = try TLSStore(directory: tmp.child("tls"))
            try tls.generate(id: "b", domains: ["b.example"])
            try tls.generate(id: "A", domains: ["a.example"])
            try Data("not a certificate".utf8).write(to: tls.directory.appendingPathComponent("broken.crt"))
            try Data([0xff, 0x00, 0x13]).write(to: tls.directory.appendingPathComponent("c.crt"))
            try Data().write(to: tls.directory.appendingPathComponent(".hidden.crt"))
            let listing = try tls.scanCertificates()
            #expect(listing.certificates.map(\.id) == ["A", "b"])
            #expect(listing.skipped.map(\.id) == ["broken", "c"])
            #expect(listing.skipped.allSatisfy { $0.error.code == "invalidCertificate" })
            #expect(listing.skipped[0].error.description.contains("broken.crt"))
            #expect(try tls.listCertificates() == listing.certificates)
            // A corrupt certificate can still be deleted.
            #expect(try tls.delete(id: "broken"))
            #expect(try tls.scanCertificates().skipped.map(\.id) == ["c"])
        }
    }

    @Test("CertificateInfo encodes the reference's keys with RFC 3339 dates and decodes back")
    func json() async throws {
        try await withTemporaryDirectory { tmp in
            let tls = try TLSStore(directory: tmp.child("tls"))
            try tls.generate(id: "root", domains: ["Root"], isCA: true, now: Self.now)
            let info = try tls.sign(caID: "root", id: "leaf", name: "Leaf", commonName: "leaf.example", now: Self.now)
            let data = try JSONEncoder().encode(info)
            let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect(Set(object.keys) == [
                "id", "name", "subject", "issuer", "domains", "not_before", "not_after", "is_ca", "has_key",
                "ca_id", "ca_parent_id", "key_type", "serial_number", "fingerprint_sha256", "cert_file", "key_file",
            ])
            #expect(object["not_before"] as? String == "2025-06-15T15:06:40Z")
            #expect(object["ca_id"] as? String == "root" && object["ca_parent_id"] as? String == "root")
            #expect(object["is_ca"] as? Bool == false && object["has_key"] as? Bool == true)
            #expect(try JSONDecoder().decode(CertificateInfo.self, from: data) == info)

            let keyless = try tls.importPEM(id: "keyless", certificatePEM: tls.pem(id: "root"))
            let keylessObject = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(keyless)) as? [String: Any])
            #expect(keylessObject["key_file"] == nil && keylessObject["ca_id"] == nil)
        }
    }

    @Test("pem returns the certificate, never the key; unknown ids are not found")
    func pem() async throws {
        try await withTemporaryDirectory { tmp in
            let tls = try TLSStore(directory: tmp.child("tls"))
            try tls.generate(id: "x", domains: ["x.example"])
            let text = try tls.pem(id: "x")
            #expect(text.hasPrefix("-----BEGIN CERTIFICATE-----") && !text.contains("PRIVATE KEY"))
            try expectError("notFound", field: "id") { try tls.pem(id: "y") }
            try expectError("notFound", field: "id") { try tls.certificateInfo(id: "y") }
        }
    }

    @Test("delete removes the certificate, key, name and .ca; default can be deleted; absent ids are fine")
    func delete() async throws {
        try await withTemporaryDirectory { tmp in
            let tls = try TLSStore(directory: tmp.child("tls"))
            try tls.ensureDefaultCertificate(nodeID: "a1b2c3d4")
            try tls.generate(id: "root", domains: ["Root"], isCA: true)
            try tls.sign(caID: "root", id: "leaf", commonName: "leaf.example")
            #expect(try tls.delete(id: "leaf"))
            #expect(try tls.delete(id: "default"))
            #expect(try !tls.exists(id: "leaf") && !tls.exists(id: "default"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: tls.directory.path).sorted() == ["root.crt", "root.key", "root.name"])
            #expect(try tls.delete(id: "leaf") == false)
        }
    }

    // MARK: import from a path

    @Test("importFromPath reads files under an allowed directory, also through a symlinked directory")
    func importFromPath() async throws {
        try await withTemporaryDirectory { tmp in
            let tls = try TLSStore(directory: tmp.child("tls"))
            let allowed = tmp.child("certs")
            try FileManager.default.createDirectory(at: allowed.appendingPathComponent("sub"), withIntermediateDirectories: true)
            let pair = try SelfSignedCertificate.generate(domains: ["p.example"], days: 10)
            try Data(pair.certificatePEM.utf8).write(to: allowed.appendingPathComponent("sub/p.crt"))
            try Data(pair.privateKeyPEM.utf8).write(to: allowed.appendingPathComponent("p.key"))
            let info = try tls.importFromPath(
                id: "p", certificatePath: allowed.appendingPathComponent("sub/../sub/p.crt").path,
                keyPath: allowed.appendingPathComponent("p.key").path, allowedDirectories: [allowed])
            #expect(info.hasKey && info.subject == "p.example")

            // The allowed directory reached through a symlink, and a symlink staying inside.
            let link = tmp.child("certs-link")
            try FileManager.default.createSymbolicLink(at: link, withDestinationURL: allowed)
            try FileManager.default.createSymbolicLink(at: allowed.appendingPathComponent("inner.crt"), withDestinationURL: allowed.appendingPathComponent("sub/p.crt"))
            let again = try tls.importFromPath(id: "q", certificatePath: link.appendingPathComponent("inner.crt").path, allowedDirectories: [link])
            #expect(!again.hasKey && again.fingerprintSHA256 == info.fingerprintSHA256)
        }
    }

    @Test("importFromPath refuses paths outside the allowed directories, by .., by symlink, and when none is allowed")
    func importFromPathOutside() async throws {
        try await withTemporaryDirectory { tmp in
            let tls = try TLSStore(directory: tmp.child("tls"))
            let allowed = tmp.child("certs")
            try FileManager.default.createDirectory(at: allowed, withIntermediateDirectories: true)
            let pair = try SelfSignedCertificate.generate(domains: ["s.example"], days: 10)
            let secret = tmp.child("secret.crt")
            try Data(pair.certificatePEM.utf8).write(to: secret)
            try FileManager.default.createSymbolicLink(at: allowed.appendingPathComponent("escape.crt"), withDestinationURL: secret)
            try FileManager.default.createSymbolicLink(at: allowed.appendingPathComponent("escape-dir"), withDestinationURL: tmp.url)
            let sibling = tmp.child("certs-evil")
            try FileManager.default.createDirectory(at: sibling, withIntermediateDirectories: true)
            try Data(pair.certificatePEM.utf8).write(to: sibling.appendingPathComponent("c.crt"))

            let refused = [
                secret.path,
                allowed.path + "/../secret.crt",
                allowed.appendingPathComponent("escape.crt").path,
                allowed.appendingPathComponent("escape-dir/secret.crt").path,
                sibling.appendingPathComponent("c.crt").path,  // shares the prefix "certs" only
                "/etc/passwd",
                "/nonexistent/file.pem",  // outside and absent: refused the same way
            ]
            for path in refused {
                let error = try expectError("pathNotAllowed", field: "cert_path") {
                    try tls.importFromPath(id: "s", certificatePath: path, allowedDirectories: [allowed])
                }
                #expect(error.description.contains(allowed.path), "\(path)")
            }
            try expectError("pathNotAllowed", field: "key_path") {
                try tls.importFromPath(id: "s", certificatePath: sibling.appendingPathComponent("c.crt").path,
                                       keyPath: "/etc/shadow", allowedDirectories: [allowed, sibling])
            }
            let disabled = try expectError("pathNotAllowed", field: "cert_path") {
                try tls.importFromPath(id: "s", certificatePath: secret.path, allowedDirectories: [])
            }
            #expect(disabled.description.contains("disabled"))
            try expectError("invalidField", field: "cert_path") {
                try tls.importFromPath(id: "s", certificatePath: "certs/secret.crt", allowedDirectories: [allowed])
            }
            #expect(try tls.listCertificates().isEmpty)
        }
    }

    @Test("importFromPath refuses big files, directories, FIFOs and missing files inside, without hanging")
    func importFromPathFiles() async throws {
        try await withTemporaryDirectory { tmp in
            let tls = try TLSStore(directory: tmp.child("tls"))
            let allowed = tmp.child("certs")
            try FileManager.default.createDirectory(at: allowed.appendingPathComponent("dir"), withIntermediateDirectories: true)
            try Data(count: TLSStore.fileSizeLimit + 1).write(to: allowed.appendingPathComponent("big.crt"))
            let fifo = allowed.appendingPathComponent("fifo.crt").path
            #expect(mkfifo(fifo, 0o600) == 0)
            try Data("garbage".utf8).write(to: allowed.appendingPathComponent("garbage.crt"))

            try expectError("fileTooLarge", field: "cert_path") {
                try tls.importFromPath(id: "f", certificatePath: allowed.appendingPathComponent("big.crt").path, allowedDirectories: [allowed])
            }
            try expectError("unreadableFile", field: "cert_path") {
                try tls.importFromPath(id: "f", certificatePath: allowed.appendingPathComponent("dir").path, allowedDirectories: [allowed])
            }
            try expectError("unreadableFile", field: "cert_path") {
                try tls.importFromPath(id: "f", certificatePath: fifo, allowedDirectories: [allowed])
            }
            let missing = try expectError("unreadableFile", field: "cert_path") {
                try tls.importFromPath(id: "f", certificatePath: allowed.appendingPathComponent("none.crt").path, allowedDirectories: [allowed])
            }
            #expect(missing.description.contains("No such file"))
            try expectError("invalidCertificate", field: "cert") {
                try tls.importFromPath(id: "f", certificatePath: allowed.appendingPathComponent("garbage.crt").path, allowedDirectories: [allowed])
            }
        }
    }

    // MARK: helpers

    /// Expects `body` to throw a ``TLSStoreError`` with `code` and `field`; returns it.
    @discardableResult
    private func expectError(
        _ code: String, field: String?, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Any
    ) throws -> TLSStoreError {
        do {
            _ = try body()
        } catch let error as TLSStoreError {
            #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
            #expect(error.field == field, "\(error)", sourceLocation: sourceLocation)
            return error
        }
        Issue.record("expected \(code), nothing was thrown", sourceLocation: sourceLocation)
        throw NothingThrown()
    }

    private func mode(_ url: URL) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        return try #require((attributes[.posixPermissions] as? NSNumber)?.intValue)
    }
}

private struct NothingThrown: Error {}

