import Addressing
import Testing
@testable import VPN

@Suite("The userspace API's answers, read")
struct WireGuardReportTests {
    static let privateHex = String(repeating: "a0", count: 32)
    static let peerHex = String(repeating: "5c", count: 32)

    @Test("a device with a peer: keys, port, endpoint, allowed IPs, handshake and bytes; unknown keys skipped")
    func device() throws {
        let report = try WireGuardReport.parse(uapi: """
            private_key=\(Self.privateHex)
            listen_port=51820
            fwmark=0
            public_key=\(Self.peerHex)
            preshared_key=\(String(repeating: "0", count: 64))
            protocol_version=1
            endpoint=198.18.0.2:42754
            last_handshake_time_sec=1700000000
            last_handshake_time_nsec=12
            tx_bytes=476
            rx_bytes=564
            persistent_keepalive_interval=25
            allowed_ip=10.66.0.2/32
            allowed_ip=fd00::2/128
            errno=0


            """)
        #expect(report.privateKey?.bytes == [UInt8](repeating: 0xA0, count: 32))
        #expect(report.listenPort == 51820)
        let peer = try #require(report.peers.first)
        #expect(report.peers.count == 1)
        #expect(peer.publicKey.bytes == [UInt8](repeating: 0x5C, count: 32))
        #expect(peer.endpoint == "198.18.0.2:42754")
        #expect(peer.allowedIPs == [IPNetwork("10.66.0.2/32"), IPNetwork("fd00::2/128")].compactMap { $0 })
        #expect(peer.lastHandshake == 1_700_000_000 && peer.keepalive == 25)
        #expect(peer.receivedBytes == 564 && peer.sentBytes == 476)
    }

    @Test("several peers, each its own")
    func peers() throws {
        let other = String(repeating: "01", count: 32)
        let report = try WireGuardReport.parse(uapi: "public_key=\(Self.peerHex)\nrx_bytes=5\npublic_key=\(other)\nallowed_ip=10.0.0.3/32\nerrno=0\n\n")
        #expect(report.peers.map(\.receivedBytes) == [5, 0])
        #expect(report.peers[1].allowedIPs.map(\.description) == ["10.0.0.3/32"])
        #expect(report.privateKey == nil && report.listenPort == 0)
    }

    @Test("bad answers are refused with the line and what is wrong", arguments: [
        ("listen_port=51820\n\n", "no errno line"),
        ("errno=1\n\n", "errno 1"),
        ("errno=0\nlisten_port=1\n\n", "line 2: a line after errno"),
        ("listen_port\nerrno=0\n\n", "line 1: not key=value"),
        ("listen_port=70000\nerrno=0\n\n", "line 1: listen_port: not a port"),
        ("private_key=abc\nerrno=0\n\n", "line 1: private_key: not 64 hex digits"),
        ("private_key=\(String(repeating: "g", count: 64))\nerrno=0\n\n", "not 64 hex digits"),
        ("rx_bytes=1\nerrno=0\n\n", "line 1: rx_bytes: before any public_key"),
        ("public_key=\(WireGuardReportTests.peerHex)\nallowed_ip=10.0.0.0\nerrno=0\n\n", "line 2: allowed_ip: not ip/prefix"),
        ("public_key=\(WireGuardReportTests.peerHex)\ntx_bytes=-1\nerrno=0\n\n", "line 2: tx_bytes: not a number"),
        ("public_key=\(WireGuardReportTests.peerHex)\nlast_handshake_time_sec=x\nerrno=0\n\n", "not a number"),
        ("errno=zero\n\n", "errno: not a number"),
    ])
    func refused(answer: String, reason: String) {
        #expect {
            try WireGuardReport.parse(uapi: answer)
        } throws: { error in
            "\(error)".contains(reason)
        }
    }

    @Test("requests: a peer's allowed IPs are replaced, never added to; removal names only the key")
    func requests() throws {
        let key = try #require(WireGuardKey(base64: "XFxcXFxcXFxcXFxcXFxcXFxcXFxcXFxcXFxcXFxcXFw="))
        let peer = WireGuardSpec.PeerSpec(publicKey: key, allowedIPs: [IPNetwork("10.66.0.9/24")!, IPNetwork("10.66.1.2/32")!],
                                          keepalive: 25)
        #expect(UAPIRequest.set(peer) == """
            set=1
            public_key=\(Self.peerHex)
            replace_allowed_ips=true
            allowed_ip=10.66.0.0/24
            allowed_ip=10.66.1.2/32
            persistent_keepalive_interval=25


            """)
        #expect(UAPIRequest.remove(key) == "set=1\npublic_key=\(Self.peerHex)\nremove=true\n\n")
    }
}

@Suite("WireGuard keys and specs")
struct WireGuardSpecTests {
    @Test("base64 and hex read the same 32 bytes; anything else is refused")
    func keys() throws {
        let key = try #require(WireGuardKey(base64: "oKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKA="))
        #expect(WireGuardKey(hex: WireGuardReportTests.privateHex) == key)
        #expect(WireGuardKey(hex: WireGuardReportTests.privateHex.uppercased()) == key)
        #expect(key.hex == WireGuardReportTests.privateHex)
        #expect(WireGuardKey(base64: "oKCg") == nil && WireGuardKey(base64: "not base64!") == nil)
        #expect(WireGuardKey(hex: String(repeating: "a", count: 63)) == nil)
    }

    @Test("a private key is held clamped, as the device reports it, and named by its public key")
    func clamped() throws {
        let raw = try #require(WireGuardKey(bytes: [UInt8](repeating: 0xFF, count: 32)))
        let device = WireGuardSpec.DeviceSpec(privateKey: raw, listenPort: 51820, addresses: [IPNetwork("10.66.0.1/24")!], mtu: 1420)
        #expect(device.privateKey.bytes.first == 0xF8 && device.privateKey.bytes.last == 0x7F)
        // RFC 7748's test vector: Alice's private key and public key.
        let alice = try #require(WireGuardKey(base64: "dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo="))
        #expect(alice.publicKey?.base64 == "hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo=")
        let line = WireGuardResource.device(device).description
        #expect(!line.contains(raw.base64) && !line.contains(device.privateKey.base64) && line.contains("port 51820"), "\(line)")
    }

    @Test("allowed IPs are compared as the device keeps them: host bits cleared, sorted")
    func peers() throws {
        let key = try #require(WireGuardKey(bytes: [UInt8](repeating: 7, count: 32)))
        let written = WireGuardSpec.PeerSpec(publicKey: key, allowedIPs: [IPNetwork("10.0.1.5/24")!, IPNetwork("10.0.0.2/32")!], keepalive: -3)
        let reported = WireGuardSpec.PeerSpec(publicKey: key, allowedIPs: [IPNetwork("10.0.0.2/32")!, IPNetwork("10.0.1.0/24")!], keepalive: 0)
        #expect(written == reported)
    }
}

@Suite("Peer traffic from the device's counters")
struct PeerTrafficMeterTests {
    private func peer(_ byte: UInt8, received: UInt64, sent: UInt64) -> WireGuardReport.Peer {
        var peer = WireGuardReport.Peer(publicKey: WireGuardKey(bytes: [UInt8](repeating: byte, count: 32))!)
        peer.receivedBytes = received
        peer.sentBytes = sent
        return peer
    }

    @Test("increments add up to the bytes moved, across a counter that starts again")
    func increments() {
        var meter = PeerTrafficMeter()
        #expect(meter.increments([peer(1, received: 100, sent: 40)]).map(\.received) == [100])
        #expect(meter.increments([peer(1, received: 100, sent: 40)]).isEmpty, "nothing moved")
        let next = meter.increments([peer(1, received: 150, sent: 90), peer(2, received: 7, sent: 0)])
        #expect(next.map { [$0.received, $0.sent] } == [[50, 50], [7, 0]])
        // The engine started again: its counters are below the last reading.
        #expect(meter.increments([peer(1, received: 30, sent: 5)]).map { [$0.received, $0.sent] } == [[30, 5]])
        // A peer that was gone counts from zero when it is back.
        #expect(meter.increments([peer(1, received: 30, sent: 5), peer(2, received: 3, sent: 1)]).map(\.received) == [3])
    }
}
