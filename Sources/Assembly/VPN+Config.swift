import Addressing
import Foundation
import LinuxNet
public import NodeState
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
    /// The VPN devices of `config` whose clients' traffic is captured: the WireGuard server's
    /// and the IKEv2 server's, when they are on.
    public static func all(in config: Config) -> [GatewayCapture] {
        [wireGuard(in: config), ikev2(in: config)].compactMap { $0 }
    }

    /// The IKEv2 server's clients: its pool, whose holders are known while connected (EAP
    /// identities, which are users), or anonymous in the pre-shared key mode; their flows leave
    /// by `default_exit`.
    private static func ikev2(in config: Config) -> GatewayCapture? {
        guard let server = config.ikev2, server.isEnabled, let pool = IPNetwork(server.pool),
              let own = try? AddressRange(address: pool.address.bytes),
              let range = try? AddressRange(network: pool.masked.address.bytes, prefixLength: pool.prefixLength) else { return nil }
        let eap = (IKEv2Mode(spelling: server.mode) ?? .mschapv2) == .mschapv2
        let client = GatewayClient(name: "ikev2", inbound: .ikev2, addresses: [range],
                                   exit: ExitRoute(via: server.defaultExit, paths: [], mode: server.defaultExitMode), isPool: eap)
        return GatewayCapture(device: IKEv2Gateway.deviceName, ownAddresses: [own], clients: [client])
    }

    private static func wireGuard(in config: Config) -> GatewayCapture? {
        guard let server = config.wireGuard, server.isEnabled, let address = IPNetwork(server.address),
              let own = try? AddressRange(address: address.address.bytes) else { return nil }
        let clients = server.peers.map { peer in
            GatewayClient(name: peer.name, inbound: .wireguard,
                          addresses: peer.allowedIPEntries.compactMap { IPNetwork($0) }.compactMap {
                              try? AddressRange(network: $0.address.bytes, prefixLength: $0.prefixLength)
                          },
                          exit: ExitRoute(via: peer.exitVia, paths: peer.exitPaths, mode: peer.exitMode),
                          username: peer.user.isEmpty ? nil : peer.user)
        }
        return GatewayCapture(device: WireGuardGateway.deviceName, ownAddresses: [own], clients: clients)
    }
}

extension IKEv2Spec {
    /// The IKEv2 server `config` declares; `nil` when it is off or its pool does not read. In
    /// the certificate mode the certificate and key come from the TLS store (`cert_id`); a store
    /// without them gives `nil` too, with the reason in `problem`.
    public init?(config: Config, tlsStore: TLSStore?, problem: ((String) -> Void)? = nil) {
        guard let server = config.ikev2, server.isEnabled, let network = IPNetwork(server.pool) else { return nil }
        let authentication: Connection.Authentication
        var secrets: [Secret] = []
        switch IKEv2Mode(spelling: server.mode) ?? .mschapv2 {
        case .psk:
            authentication = .preSharedKey
            secrets.append(Secret(kind: .ike, owner: nil, data: server.preSharedKey))
        case .mschapv2:
            guard let tlsStore, let certificate = try? tlsStore.pem(id: server.certificateID),
                  let keyURL = try? tlsStore.keyURL(id: server.certificateID),
                  let key = try? String(contentsOf: keyURL, encoding: .utf8) else {
                problem?("ikev2: certificate \(server.certificateID) or its key is not in the TLS store")
                return nil
            }
            authentication = .certificateAndEAP(certificate: certificate, privateKey: key)
            secrets += config.users.filter(\.isEnabled).map { user in
                let own = user.protocolPasswords[PasswordProtocolKey.ikev2.rawValue] ?? ""
                return Secret(kind: .eap, owner: user.username, data: own.isEmpty ? user.password : own)
            }
        }
        self.init(connection: Connection(authentication: authentication, localID: server.localID.isEmpty ? nil : server.localID,
                                         remoteID: server.remoteID.isEmpty ? nil : server.remoteID),
                  pool: Pool(network: network, dns: config.effectiveDNSServers.map(\.address)),
                  secrets: secrets)
    }
}
