import Addressing
import Foundation
import Testing
@testable import VPN

@Suite("The VICI requests of the IKEv2 and L2TP/IPsec servers, and charon's settings")
struct IPsecRequestsTests {
    @Test("the pool hands out the addresses after the server's own, up to the last but one", arguments: [
        ("10.77.0.1/24", "10.77.0.2-10.77.0.254"),
        ("192.168.26.1/24", "192.168.26.2-192.168.26.254"),
        ("10.0.0.0/16", "10.0.0.1-10.0.255.254"),
        ("10.9.9.5/30", "10.9.9.6-10.9.9.6"),
        ("fd00::1/64", "fd00::/64"),
    ])
    func poolAddresses(own: String, expected: String) throws {
        #expect(IPsecRequests.addresses(after: try #require(IPNetwork(own))) == expected)
    }

    @Test("L2TP's IPsec: IKEv1 with the pre-shared key, transport mode for the L2TP port only, always UDP-encapsulated")
    func transportConnection() throws {
        let message = try #require(IPsecRequests.loadTransport(IPsecSpec.Transport(port: 1701)).section(IPsecGateway.transportName))
        #expect(message.string("version") == "1" && message.string("encap") == "yes")
        #expect(message.section("local")?.string("auth") == "psk" && message.section("remote")?.string("auth") == "psk")
        #expect(message.strings("pools") == nil, "L2TP's addresses come from PPP, not from an IKE pool")
        let child = try #require(message.section("children")?.section(IPsecGateway.transportName))
        #expect(child.string("mode") == "transport")
        #expect(child.strings("local_ts") == ["dynamic[udp/1701]"] && child.strings("remote_ts") == ["dynamic[udp]"])
        // The groups and ciphers the built-in clients of Windows and older phones still offer.
        #expect(message.strings("proposals")?.contains("3des-sha1-modp1024") == true)
    }

    @Test("both services' pre-shared keys are one secret in charon")
    func sharedKeyOnce() {
        let key = IPsecSpec.Secret(kind: .ike, owner: nil, data: "k")
        let spec = IPsecSpec(connection: nil, pool: nil, transport: IPsecSpec.Transport(port: 1701), secrets: [key, key])
        #expect(spec.secrets == [key])
    }

    @Test("certificate mode: the server proves its certificate, clients EAP-MSCHAPv2; a full tunnel from the pool")
    func certificateConnection() throws {
        let connection = IPsecSpec.Connection(authentication: .certificateAndEAP(certificate: "CERT", privateKey: "KEY"),
                                              localID: "vpn.test", remoteID: nil)
        let message = try #require(IPsecRequests.loadConnection(connection, certificate: "CERT", userspaceESP: true).section(IPsecGateway.name))
        #expect(message.string("version") == "2" && message.strings("pools") == [IPsecGateway.name])
        #expect(message.string("encap") == "yes")
        #expect(message.section("local")?.string("auth") == "pubkey" && message.section("local")?.string("id") == "vpn.test")
        #expect(message.section("local")?.strings("certs") == ["CERT"])
        #expect(message.section("remote")?.string("auth") == "eap-mschapv2" && message.section("remote")?.string("eap_id") == "%any")
        let child = try #require(message.section("children")?.section(IPsecGateway.name))
        #expect(child.strings("local_ts") == ["0.0.0.0/0", "::/0"] && child.string("if_id_in") == nil)
        #expect(!"\(IPsecResource.connection(connection))".contains("KEY"))
    }

    @Test("with the kernel's ESP the SAs are bound to the node's xfrm interface, without forced encapsulation")
    func kernelConnection() throws {
        let connection = IPsecSpec.Connection(authentication: .preSharedKey, localID: nil, remoteID: "client")
        let message = try #require(IPsecRequests.loadConnection(connection, certificate: nil, userspaceESP: false).section(IPsecGateway.name))
        #expect(message.string("encap") == "no")
        #expect(message.section("local")?.string("auth") == "psk" && message.section("remote")?.string("id") == "client")
        let child = try #require(message.section("children")?.section(IPsecGateway.name))
        #expect(child.string("if_id_in") == "\(IPsecGateway.interfaceID)" && child.string("if_id_out") == "\(IPsecGateway.interfaceID)")
    }

    @Test("a secret is named by its owner and never shows its data")
    func secrets() {
        let secret = IPsecSpec.Secret(kind: .eap, owner: "alice", data: "alice-password")
        let message = IPsecRequests.loadSecret(secret)
        #expect(message.string("id") == "hy2-eap-alice" && message.string("type") == "EAP" && message.strings("owners") == ["alice"])
        #expect(message.string("data") == "alice-password")
        #expect("\(IPsecResource.secret(secret))" == "ipsec secret hy2-eap-alice")
        let psk = IPsecSpec.Secret(kind: .ike, owner: nil, data: "k")
        #expect(psk.id == "hy2-ike-any" && IPsecRequests.loadSecret(psk).strings("owners") == nil)
    }

    @Test("charon loads kernel-libipsec before kernel-netlink (the first IPsec backend wins), and only with userspace ESP")
    func pluginOrder() {
        let userspace = CharonSettings(userspaceESP: true).strongswanConf(viciSocket: "/s")
        let load = userspace.split(separator: "\n").first { $0.contains("load = ") } ?? ""
        let libipsec = load.range(of: "kernel-libipsec"), netlink = load.range(of: "kernel-netlink")
        #expect(libipsec != nil && netlink != nil && libipsec!.lowerBound < netlink!.lowerBound, "\(load)")
        #expect(userspace.contains("socket = unix:///s") && userspace.contains("install_routes = yes"))
        let kernel = CharonSettings(userspaceESP: false).strongswanConf(viciSocket: "/s")
        let kernelLoad = kernel.split(separator: "\n").first { $0.contains("load = ") } ?? ""
        #expect(!kernelLoad.contains("kernel-libipsec") && kernelLoad.contains("kernel-netlink") && kernel.contains("install_routes = no"))
    }
}
