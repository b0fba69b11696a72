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
    /// The VPN devices of `config` whose clients' traffic is captured: the WireGuard server's,
    /// the IKEv2 server's and the L2TP server's, when they are on.
    public static func all(in config: Config) -> [GatewayCapture] {
        [wireGuard(in: config), ikev2(in: config), l2tp(in: config)].compactMap { $0 }
    }

    /// The L2TP server's clients: its pool, whose holders are the users pppd authenticated;
    /// their flows leave by the user's exit, else directly.
    private static func l2tp(in config: Config) -> GatewayCapture? {
        guard let server = config.l2tp, server.isEnabled, let pool = IPNetwork(server.pool),
              let own = try? AddressRange(address: pool.address.bytes),
              let range = try? AddressRange(network: pool.masked.address.bytes, prefixLength: pool.prefixLength) else { return nil }
        let client = GatewayClient(name: "l2tp", inbound: .l2tp, addresses: [range], exit: ExitRoute(via: "", paths: [], mode: ""), isPool: true)
        return GatewayCapture(device: L2TPGateway.deviceName, ownAddresses: [own], clients: [client],
                              ipsecOnlyPorts: server.effectivePort.map { [UInt16(clamping: $0)] } ?? [])
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
        return GatewayCapture(device: IPsecGateway.deviceName, ownAddresses: [own], clients: [client])
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

extension L2TPSpec {
    /// The L2TP server `config` declares; `nil` when it is off or its pool does not read. Every
    /// enabled user may call, with the main password (as v1.3 did).
    public init?(config: Config) {
        guard let server = config.l2tp, server.isEnabled, let port = server.effectivePort,
              let gateway = IPNetwork(server.pool), gateway.address.isIPv4 else { return nil }
        self.init(server: Server(port: UInt16(clamping: port), gateway: gateway, mtu: server.effectiveMTU,
                                 dns: config.effectiveDNSServers.map(\.address)),
                  secrets: config.users.filter(\.isEnabled).map { ChapSecret(username: $0.username, password: $0.password) })
    }
}

extension IPsecSpec {
    /// What the IKEv2 and L2TP/IPsec servers `config` declares want of charon; `nil` when both
    /// are off. In the IKEv2 certificate mode the certificate and key come from the TLS store
    /// (`cert_id`; a store without them leaves IKEv2 out, with the reason in `problem`), or, when
    /// `cert_id` is empty, from the node's CA for `local_id` (else the node's id).
    public init?(config: Config, tlsStore: TLSStore?, problem: ((String) -> Void)? = nil) {
        var secrets: [Secret] = []
        var transport: Transport?
        if let l2tp = config.l2tp, l2tp.isEnabled, let port = l2tp.effectivePort {
            transport = Transport(port: UInt16(clamping: port))
            secrets.append(Secret(kind: .ike, owner: nil, data: l2tp.preSharedKey))
        }
        var connection: Connection?, pool: Pool?
        if let server = config.ikev2, server.isEnabled, let network = IPNetwork(server.pool),
           let authentication = Self.authentication(of: server, config: config, tlsStore: tlsStore, secrets: &secrets, problem: problem) {
            connection = Connection(authentication: authentication, localID: server.localID.isEmpty ? nil : server.localID,
                                    remoteID: server.remoteID.isEmpty ? nil : server.remoteID)
            // The section's own dns, when given, else the node's.
            let own = CommaList.splitCommasOrSpaces(server.dns).compactMap { IPAddress($0) }
            pool = Pool(network: network, dns: own.isEmpty ? config.effectiveDNSServers.map(\.address) : own,
                        mtu: UInt32(clamping: server.mtu > 0 ? server.mtu : IKEv2Config.defaultMTU))
        }
        guard connection != nil || transport != nil else { return nil }
        self.init(connection: connection, pool: pool, transport: transport, secrets: secrets)
    }

    /// The IKEv2 server's authentication, adding the secrets it needs.
    private static func authentication(of server: IKEv2Config, config: Config, tlsStore: TLSStore?, secrets: inout [Secret],
                                       problem: ((String) -> Void)?) -> Connection.Authentication? {
        switch IKEv2Mode(spelling: server.mode) ?? .mschapv2 {
        case .psk:
            secrets.append(Secret(kind: .ike, owner: nil, data: server.preSharedKey))
            return .preSharedKey
        case .mschapv2 where server.certificateID.isEmpty:
            secrets += eapSecrets(in: config)
            return .issuedCertificateAndEAP(identity: server.localID.isEmpty ? config.nodeID ?? "hy2scale" : server.localID)
        case .mschapv2:
            guard let tlsStore, let certificate = try? tlsStore.pem(id: server.certificateID),
                  let keyURL = try? tlsStore.keyURL(id: server.certificateID),
                  let key = try? String(contentsOf: keyURL, encoding: .utf8) else {
                problem?("ikev2: certificate \(server.certificateID) or its key is not in the TLS store")
                return nil
            }
            secrets += eapSecrets(in: config)
            return .certificateAndEAP(certificate: certificate, privateKey: key)
        }
    }

    /// Each enabled user's EAP password: `proxy_passwords.ikev2`, else the main one.
    private static func eapSecrets(in config: Config) -> [Secret] {
        config.users.filter(\.isEnabled).map { Secret(kind: .eap, owner: $0.username, data: $0.password(for: .ikev2)) }
    }
}
