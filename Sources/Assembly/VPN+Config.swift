import Addressing
import LinuxNet
import Routing
public import RuleEngine
public import ScaleConfig
public import VPN

extension WireGuardSpec {
    /// The WireGuard server `config` declares; `nil` when it is off. Keys and addresses were
    /// validated; a peer whose key does not read is left out.
    public init?(config: Config) {
        guard let server = config.wireGuard, server.isEnabled, let key = VPN.WireGuardKey(base64: server.privateKey),
              let address = IPNetwork(server.address) else { return nil }
        var users: [VPN.WireGuardKey: String] = [:]
        let peers = server.peers.compactMap { peer -> PeerSpec? in
            guard let publicKey = VPN.WireGuardKey(base64: peer.publicKey) else { return nil }
            if !peer.user.isEmpty { users[publicKey] = peer.user }
            return PeerSpec(publicKey: publicKey, allowedIPs: peer.allowedIPEntries.compactMap { IPNetwork($0) }, keepalive: peer.keepalive)
        }
        self.init(device: DeviceSpec(privateKey: key, listenPort: UInt16(clamping: server.effectiveListenPort),
                                     addresses: [address], mtu: UInt32(clamping: server.effectiveMTU)),
                  peers: peers, users: users)
    }
}

extension GatewayCapture {
    /// The VPN devices of `config` whose clients' traffic is captured: the WireGuard server's,
    /// when it is on.
    public static func all(in config: Config) -> [GatewayCapture] {
        guard let server = config.wireGuard, server.isEnabled, let address = IPNetwork(server.address),
              let own = try? AddressRange(address: address.address.bytes) else { return [] }
        let clients = server.peers.map { peer in
            GatewayClient(name: peer.name, inbound: .wireguard,
                          addresses: peer.allowedIPEntries.compactMap { IPNetwork($0) }.compactMap {
                              try? AddressRange(network: $0.address.bytes, prefixLength: $0.prefixLength)
                          },
                          exit: ExitRoute(via: peer.exitVia, paths: peer.exitPaths, mode: peer.exitMode),
                          username: peer.user.isEmpty ? nil : peer.user)
        }
        return [GatewayCapture(device: WireGuardGateway.deviceName, ownAddresses: [own], clients: clients)]
    }
}
