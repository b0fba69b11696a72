import Addressing
import CNftnl
public import LinuxNet

/// The requests of the kernel's WireGuard generic netlink family (`wireguard`, version 1), each
/// naming the device; what `wg` sends, one change at a time.
enum WireGuardNetlink {
    static let family = WG_GENL_NAME
    static let version = UInt8(WG_GENL_VERSION)
    static let getDevice = UInt8(WG_CMD_GET_DEVICE.rawValue)
    static let setDevice = UInt8(WG_CMD_SET_DEVICE.rawValue)

    /// `WG_CMD_GET_DEVICE` (a dump) of `device`.
    static func get(_ device: String) -> NetlinkAttributes.Builder {
        naming(device)
    }

    /// Sets the device's key and port; its peers are left alone.
    static func configure(_ device: String, _ spec: WireGuardSpec.DeviceSpec) -> NetlinkAttributes.Builder {
        var attributes = naming(device)
        attributes.add(UInt16(WGDEVICE_A_PRIVATE_KEY.rawValue), spec.privateKey.bytes)
        attributes.add(UInt16(WGDEVICE_A_LISTEN_PORT.rawValue), u16: spec.listenPort)
        return attributes
    }

    /// Adds `peer`, or replaces its allowed IPs and keepalive when it exists.
    static func set(_ device: String, _ peer: WireGuardSpec.PeerSpec) -> NetlinkAttributes.Builder {
        var entry = NetlinkAttributes.Builder()
        entry.add(UInt16(WGPEER_A_PUBLIC_KEY.rawValue), peer.publicKey.bytes)
        entry.add(UInt16(WGPEER_A_FLAGS.rawValue), u32: WGPEER_F_REPLACE_ALLOWEDIPS.rawValue)
        entry.add(UInt16(WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL.rawValue), u16: UInt16(clamping: peer.keepalive))
        var allowed = NetlinkAttributes.Builder()
        for (index, network) in peer.allowedIPs.enumerated() {
            var item = NetlinkAttributes.Builder()
            item.add(UInt16(WGALLOWEDIP_A_FAMILY.rawValue), u16: UInt16(network.address.isIPv4 ? AF_INET : AF_INET6))
            item.add(UInt16(WGALLOWEDIP_A_IPADDR.rawValue), network.address.bytes)
            item.add(UInt16(WGALLOWEDIP_A_CIDR_MASK.rawValue), u8: UInt8(network.prefixLength))
            allowed.add(UInt16(index), nested: item)
        }
        entry.add(UInt16(WGPEER_A_ALLOWEDIPS.rawValue), nested: allowed)
        return withPeer(entry, on: device)
    }

    /// Removes the peer with `key`; its sessions end at once.
    static func remove(_ device: String, _ key: WireGuardKey) -> NetlinkAttributes.Builder {
        var entry = NetlinkAttributes.Builder()
        entry.add(UInt16(WGPEER_A_PUBLIC_KEY.rawValue), key.bytes)
        entry.add(UInt16(WGPEER_A_FLAGS.rawValue), u32: WGPEER_F_REMOVE_ME.rawValue)
        return withPeer(entry, on: device)
    }

    private static func naming(_ device: String) -> NetlinkAttributes.Builder {
        var attributes = NetlinkAttributes.Builder()
        attributes.add(UInt16(WGDEVICE_A_IFNAME.rawValue), string: device)
        return attributes
    }

    private static func withPeer(_ entry: NetlinkAttributes.Builder, on device: String) -> NetlinkAttributes.Builder {
        var peers = NetlinkAttributes.Builder()
        peers.add(0, nested: entry)
        var attributes = naming(device)
        attributes.add(UInt16(WGDEVICE_A_PEERS.rawValue), nested: peers)
        return attributes
    }
}

extension WireGuardReport {
    /// Reads a `WG_CMD_GET_DEVICE` dump. A device with many peers comes in several messages, and
    /// a peer whose allowed IPs do not fit one message goes on in the next under the same key.
    ///
    /// - Throws: ``WireGuardError/device(_:)`` for a peer without a 32-byte key, or an allowed IP
    ///   or endpoint that does not read as one; attributes this code does not use are skipped.
    public init(netlink messages: [NetlinkAttributes]) throws(WireGuardError) {
        self.init()
        for message in messages {
            if let key = message[UInt16(WGDEVICE_A_PRIVATE_KEY.rawValue)] {
                privateKey = WireGuardKey(bytes: Array(key))
            }
            if let port = message.u16(UInt16(WGDEVICE_A_LISTEN_PORT.rawValue)) { listenPort = port }
            for (_, value) in message.nested(UInt16(WGDEVICE_A_PEERS.rawValue))?.elements ?? [] {
                let peer = try Self.peer(NetlinkAttributes(value))
                if let last = peers.last, last.publicKey == peer.publicKey {
                    peers[peers.count - 1].allowedIPs += peer.allowedIPs
                } else {
                    peers.append(peer)
                }
            }
        }
    }

    private static func peer(_ attributes: NetlinkAttributes) throws(WireGuardError) -> Peer {
        guard let raw = attributes[UInt16(WGPEER_A_PUBLIC_KEY.rawValue)], let key = WireGuardKey(bytes: Array(raw)) else {
            throw .device("the kernel reported a peer without a 32-byte public key")
        }
        var peer = Peer(publicKey: key)
        if let endpoint = attributes[UInt16(WGPEER_A_ENDPOINT.rawValue)] {
            guard let text = endpointText(endpoint) else { throw .device("peer \(key.base64): unreadable endpoint") }
            peer.endpoint = text
        }
        peer.keepalive = Int(attributes.u16(UInt16(WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL.rawValue)) ?? 0)
        // __kernel_timespec: seconds, then nanoseconds, both 64-bit.
        peer.lastHandshake = Int64(bitPattern: attributes.u64(UInt16(WGPEER_A_LAST_HANDSHAKE_TIME.rawValue)) ?? 0)
        peer.receivedBytes = attributes.u64(UInt16(WGPEER_A_RX_BYTES.rawValue)) ?? 0
        peer.sentBytes = attributes.u64(UInt16(WGPEER_A_TX_BYTES.rawValue)) ?? 0
        for (_, value) in attributes.nested(UInt16(WGPEER_A_ALLOWEDIPS.rawValue))?.elements ?? [] {
            let item = NetlinkAttributes(value)
            guard let raw = item[UInt16(WGALLOWEDIP_A_IPADDR.rawValue)], let address = IPAddress(bytes: Array(raw)),
                  let length = item.u8(UInt16(WGALLOWEDIP_A_CIDR_MASK.rawValue)),
                  let network = IPNetwork(address: address, prefixLength: Int(length)) else {
                throw .device("peer \(key.base64): unreadable allowed IP")
            }
            peer.allowedIPs.append(network)
        }
        return peer
    }

    /// `address:port` (`[address]:port` for IPv6) from a `sockaddr_in` or `sockaddr_in6`.
    private static func endpointText(_ bytes: ArraySlice<UInt8>) -> String? {
        let raw = Array(bytes)
        guard raw.count >= 8 else { return nil }
        let family = Int32(UInt16(raw[0]) | UInt16(raw[1]) << 8)
        let port = UInt16(raw[2]) << 8 | UInt16(raw[3])  // network order
        switch family {
        case AF_INET:
            return IPAddress(bytes: Array(raw[4..<8])).map { "\($0):\(port)" }
        case AF_INET6 where raw.count >= 24:
            return IPAddress(bytes: Array(raw[8..<24])).map { "[\($0)]:\(port)" }
        default:
            return nil
        }
    }
}
