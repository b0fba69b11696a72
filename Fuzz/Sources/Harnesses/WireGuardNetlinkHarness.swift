import LinuxNet
import VPN

/// The kernel's WireGuard `WG_CMD_GET_DEVICE` dump as the node reads it: attributes nested three
/// deep (peers, allowed IPs) from a kernel the node trusts but whose lengths it still checks.
///
/// Input: up to three messages' attributes, each preceded by a length byte.
enum WireGuardNetlinkHarness: FuzzHarness {
    static let name = "wireguard-netlink"
    static let summary = "WireGuardReport(netlink:): no trap; a peer split across messages reads as one"

    static func run(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        var messages: [NetlinkAttributes] = []
        for _ in 0..<3 where !input.isAtEnd {
            messages.append(NetlinkAttributes(ArraySlice(input.bytes(count: Int(input.byte())))))
        }
        guard let report = try? WireGuardReport(netlink: messages) else { return }
        let keys = report.peers.map(\.publicKey)
        require(zip(keys, keys.dropFirst()).allSatisfy { $0 != $1 }, "\(clip(report)) repeats a peer back to back")
    }

    static var seeds: [(label: String, bytes: [UInt8])] {
        let key = [UInt8](repeating: 0x5C, count: 32)
        var allowed = NetlinkAttributes.Builder()
        allowed.add(1, u16: 2)  // AF_INET
        allowed.add(2, [10, 66, 0, 2])
        allowed.add(3, u8: 32)
        var allowedList = NetlinkAttributes.Builder()
        allowedList.add(0, nested: allowed)
        var peer = NetlinkAttributes.Builder()
        peer.add(1, key)  // public key
        peer.add(4, [2, 0, 0xCA, 0x6C, 198, 18, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0])  // endpoint
        peer.add(6, [UInt8](repeating: 0, count: 16))  // last handshake
        peer.add(7, [1, 0, 0, 0, 0, 0, 0, 0])  // rx bytes
        peer.add(9, nested: allowedList)
        var peers = NetlinkAttributes.Builder()
        peers.add(0, nested: peer)
        var device = NetlinkAttributes.Builder()
        device.add(6, u16: 51820)  // listen port
        device.add(8, nested: peers)
        let message = device.bytes
        return [
            ("device", [UInt8(message.count)] + message),
            ("split-peer", [UInt8(message.count)] + message + [UInt8(message.count)] + message),
            ("empty", [0]),
        ]
    }
}
