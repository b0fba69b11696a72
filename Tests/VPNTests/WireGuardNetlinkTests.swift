import Addressing
import CNftnl
import LinuxNet
import TestSupport
import Testing
@testable import VPN

@Suite("The kernel's WireGuard netlink messages, written and read")
struct WireGuardNetlinkTests {
    static let key = WireGuardKey(bytes: [UInt8](repeating: 0x5C, count: 32))!
    static let other = WireGuardKey(bytes: [UInt8](repeating: 0x01, count: 32))!

    @Test("what the node sets reads back as the device and peer it meant")
    func setsReadBack() throws {
        let device = WireGuardSpec.DeviceSpec(privateKey: WireGuardKey(bytes: [UInt8](repeating: 0xA0, count: 32))!,
                                              listenPort: 51820, addresses: [], mtu: 1420)
        let peer = WireGuardSpec.PeerSpec(publicKey: Self.key, allowedIPs: [IPNetwork("10.66.0.2/32")!, IPNetwork("fd00::/64")!],
                                          keepalive: 25)
        let report = try WireGuardReport(netlink: [Self.read(WireGuardNetlink.configure("hy2wg0", device)),
                                                   Self.read(WireGuardNetlink.set("hy2wg0", peer))])
        #expect(report.privateKey == device.privateKey && report.listenPort == 51820)
        #expect(report.peers.map(\.publicKey) == [Self.key])
        #expect(report.peers.first?.allowedIPs == peer.allowedIPs && report.peers.first?.keepalive == 25)
        let named = Self.read(WireGuardNetlink.get("hy2wg0"))
        #expect(named.string(UInt16(WGDEVICE_A_IFNAME.rawValue)) == "hy2wg0")
    }

    @Test("a set replaces the peer's allowed IPs; a removal names only the key and the flag")
    func flags() throws {
        let set = try #require(Self.peers(in: WireGuardNetlink.set("hy2wg0", WireGuardSpec.PeerSpec(publicKey: Self.key, allowedIPs: [],
                                                                                                   keepalive: 0))).first)
        #expect(set.u32(UInt16(WGPEER_A_FLAGS.rawValue)) == WGPEER_F_REPLACE_ALLOWEDIPS.rawValue)
        let removal = try #require(Self.peers(in: WireGuardNetlink.remove("hy2wg0", Self.key)).first)
        #expect(removal.u32(UInt16(WGPEER_A_FLAGS.rawValue)) == WGPEER_F_REMOVE_ME.rawValue)
        #expect(removal[UInt16(WGPEER_A_PUBLIC_KEY.rawValue)].map(Array.init) == Self.key.bytes)
        #expect(removal[UInt16(WGPEER_A_ALLOWEDIPS.rawValue)] == nil)
    }

    @Test("the kernel's figures: endpoints of both families, handshake, bytes; a peer split across messages is one")
    func kernelDump() throws {
        var first = NetlinkAttributes.Builder(), second = NetlinkAttributes.Builder()
        first.add(UInt16(WGDEVICE_A_LISTEN_PORT.rawValue), u16: 51820)
        first.add(UInt16(WGDEVICE_A_PEERS.rawValue), nested: Self.list([
            Self.peer(Self.other, endpoint: [2, 0, 0xA6, 0xFA, 198, 18, 0, 2] + [UInt8](repeating: 0, count: 8),
                      allowed: ["10.66.0.3/32"], handshake: 1_700_000_000, bytes: (564, 476)),
            Self.peer(Self.key, endpoint: [10, 0, 0xCA, 0x6C, 0, 0, 0, 0] + IPAddress("fd00::2")!.bytes + [0, 0, 0, 0],
                      allowed: ["10.66.0.2/32"]),
        ]))
        second.add(UInt16(WGDEVICE_A_LISTEN_PORT.rawValue), u16: 51820)
        second.add(UInt16(WGDEVICE_A_PEERS.rawValue), nested: Self.list([Self.peer(Self.key, allowed: ["fd00::2/128"])]))
        let report = try WireGuardReport(netlink: [Self.read(first), Self.read(second)])
        #expect(report.listenPort == 51820 && report.privateKey == nil)
        #expect(report.peers.map(\.publicKey) == [Self.other, Self.key])
        #expect(report.peers[0].endpoint == "198.18.0.2:42746")
        #expect(report.peers[0].lastHandshake == 1_700_000_000)
        #expect(report.peers[0].receivedBytes == 564 && report.peers[0].sentBytes == 476)
        #expect(report.peers[1].endpoint == "[fd00::2]:51820")
        #expect(report.peers[1].allowedIPs.map(\.description) == ["10.66.0.2/32", "fd00::2/128"])
    }

    @Test("a peer without a key, or an allowed IP or endpoint that does not read, is an error naming it")
    func malformed() {
        var keyless = NetlinkAttributes.Builder()
        keyless.add(UInt16(WGDEVICE_A_PEERS.rawValue), nested: Self.list([NetlinkAttributes.Builder()]))
        #expect(throws: WireGuardError.device("the kernel reported a peer without a 32-byte public key")) {
            try WireGuardReport(netlink: [Self.read(keyless)])
        }
        var badEndpoint = Self.peer(Self.key)
        badEndpoint.add(UInt16(WGPEER_A_ENDPOINT.rawValue), [99, 0, 1, 2, 3, 4, 5, 6])
        var message = NetlinkAttributes.Builder()
        message.add(UInt16(WGDEVICE_A_PEERS.rawValue), nested: Self.list([badEndpoint]))
        #expect(throws: WireGuardError.self) { try WireGuardReport(netlink: [Self.read(message)]) }
        var badPrefix = NetlinkAttributes.Builder()
        badPrefix.add(UInt16(WGDEVICE_A_PEERS.rawValue), nested: Self.list([Self.peer(Self.key, allowed: [], rawAllowed: [(IPAddress("10.0.0.1")!, 33)])]))
        #expect(throws: WireGuardError.self) { try WireGuardReport(netlink: [Self.read(badPrefix)]) }
    }

    @Test("random answers never trap")
    func random() {
        var random = SplitMix64(seed: 0x7767)
        for _ in 0..<20_000 {
            let count = Int(random.next() % 160)
            let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            _ = try? WireGuardReport(netlink: [NetlinkAttributes(ArraySlice(bytes))])
        }
    }

    // MARK: helpers

    static func read(_ builder: NetlinkAttributes.Builder) -> NetlinkAttributes { NetlinkAttributes(ArraySlice(builder.bytes)) }

    static func peers(in builder: NetlinkAttributes.Builder) -> [NetlinkAttributes] {
        read(builder).nested(UInt16(WGDEVICE_A_PEERS.rawValue))?.elements.map { NetlinkAttributes($0.value) } ?? []
    }

    static func list(_ items: [NetlinkAttributes.Builder]) -> NetlinkAttributes.Builder {
        var list = NetlinkAttributes.Builder()
        for (index, item) in items.enumerated() { list.add(UInt16(index), nested: item) }
        return list
    }

    /// A peer as the kernel reports it.
    static func peer(_ key: WireGuardKey, endpoint: [UInt8]? = nil, allowed: [String] = [], rawAllowed: [(IPAddress, UInt8)] = [],
                     handshake: Int64 = 0, bytes: (UInt64, UInt64) = (0, 0)) -> NetlinkAttributes.Builder {
        var peer = NetlinkAttributes.Builder()
        peer.add(UInt16(WGPEER_A_PUBLIC_KEY.rawValue), key.bytes)
        if let endpoint { peer.add(UInt16(WGPEER_A_ENDPOINT.rawValue), endpoint) }
        peer.add(UInt16(WGPEER_A_LAST_HANDSHAKE_TIME.rawValue), littleEndian(UInt64(bitPattern: handshake)) + littleEndian(UInt64(5)))
        peer.add(UInt16(WGPEER_A_RX_BYTES.rawValue), littleEndian(bytes.0))
        peer.add(UInt16(WGPEER_A_TX_BYTES.rawValue), littleEndian(bytes.1))
        let entries = allowed.map { (IPNetwork($0)!.address, UInt8(IPNetwork($0)!.prefixLength)) } + rawAllowed
        peer.add(UInt16(WGPEER_A_ALLOWEDIPS.rawValue), nested: list(entries.map { address, length in
            var item = NetlinkAttributes.Builder()
            item.add(UInt16(WGALLOWEDIP_A_FAMILY.rawValue), u16: UInt16(address.isIPv4 ? 2 : 10))
            item.add(UInt16(WGALLOWEDIP_A_IPADDR.rawValue), address.bytes)
            item.add(UInt16(WGALLOWEDIP_A_CIDR_MASK.rawValue), u8: length)
            return item
        }))
        return peer
    }

    static func littleEndian(_ value: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
}
