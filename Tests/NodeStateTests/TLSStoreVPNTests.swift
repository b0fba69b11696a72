import Foundation
import NodeState
import TestSupport
import Testing

@Suite("The node's VPN CA and the IKEv2 server certificate it issues")
struct TLSStoreVPNTests {
    static let now = Date(timeIntervalSince1970: 1_750_000_000)

    @Test("the CA is made once; the certificate is kept while its name and validity hold, and issued again when not")
    func issuesAndRenews() async throws {
        try await withTemporaryDirectory { tmp in
            let tls = try TLSStore(directory: tmp.child("tls"))
            let first = try tls.vpnServerCertificate(for: "vpn.example.org", now: Self.now)
            let ca = try tls.certificateInfo(id: TLSStore.vpnCAID)
            #expect(ca.isCA && ca.hasKey)
            let leaf = try tls.certificateInfo(id: TLSStore.ikev2CertificateID)
            #expect(leaf.domains == ["vpn.example.org"] && leaf.caID == TLSStore.vpnCAID && !leaf.isCA)
            #expect(leaf.notAfter.timeIntervalSince(Self.now) == 825 * 86_400)
            let stored = try tls.pem(id: TLSStore.ikev2CertificateID)
            #expect(first.keyPEM.contains("PRIVATE KEY") && first.certificatePEM == stored)

            #expect(try tls.vpnServerCertificate(for: "vpn.example.org", now: Self.now.addingTimeInterval(86_400)) == first)
            let renamed = try tls.vpnServerCertificate(for: "vpn2.example.org", now: Self.now)
            #expect(renamed.certificatePEM != first.certificatePEM)
            #expect(try tls.certificateInfo(id: TLSStore.ikev2CertificateID).domains == ["vpn2.example.org"])
            let late = Self.now.addingTimeInterval(800 * 86_400)
            #expect(try tls.vpnServerCertificate(for: "vpn2.example.org", now: late) != renamed, "a certificate 25 days from its end is issued again")
            #expect(try tls.certificateInfo(id: TLSStore.vpnCAID) == ca, "the CA is made once")
        }
    }
}
