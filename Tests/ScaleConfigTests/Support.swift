import Foundation
import ScaleConfig
import YAMLDocument

/// A config that validates without any issue; tests change one thing at a time.
func cleanConfig() -> Config {
    var config = Config(
        nodeID: "ea1b2adb",
        name: "home",
        server: ServerConfig(listen: "0.0.0.0:5565", password: "server-secret", tlsCertificatePath: "/tls/default.crt", tlsKeyPath: "/tls/default.key"),
        clients: [OutboundPeer(name: "hk", address: "hk.example.com:5565", password: "hk-secret")],
        peers: ["hk": PeerFlags(isNested: true)],
        users: [User(id: "u1", username: "alice", password: "alice-pass", exitVia: "hk", isEnabled: true)],
        proxies: [Proxy(id: "socks", protocolName: "socks5", listen: "0.0.0.0:1080", isEnabled: true)],
        wireGuard: WireGuardConfig(
            isEnabled: true, listenPort: 51820, privateKey: zeroKey, address: "10.0.0.1/24",
            peers: [WireGuardPeer(name: "phone", publicKey: oneKey, allowedIPs: "10.0.0.2/32")]),
        rules: [RoutingRule(id: "r1", type: "ip", targets: ["10.1.0.0/16"], exitVia: "hk", isEnabled: true)]
    )
    config.webPassword = AdminPassword.hash(AdminPassword.clientDigest(of: "admin-secret"))
    return config
}

/// Base64 of 32 zero bytes.
let zeroKey = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
/// Base64 of 32 bytes 0x01.
let oneKey = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE="

let testContext = ValidationContext(tlsCertificateIDs: ["default", "vpn-ca"], nodeID: nil, fileExists: { $0.hasPrefix("/tls/") })

/// Validates with the test context.
func check(_ config: Config) -> [ConfigIssue] { validate(config, context: testContext) }

/// The issues of a config at one printed path.
func issues(_ config: Config, at path: String) -> [ConfigIssue] {
    check(config).filter { $0.path.description == path }
}

/// Decodes a config from JSON text (same keys as the YAML file).
func decode(_ json: String) throws -> Config {
    try JSONDecoder().decode(Config.self, from: Data(json.utf8))
}
