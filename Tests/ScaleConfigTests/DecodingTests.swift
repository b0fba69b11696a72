import Foundation
import ScaleConfig
import Testing
import YAMLDocument

@Suite("decoding and encoding")
struct DecodingTests {
    @Test("absent keys take the v1.3 zero defaults")
    func defaults() throws {
        let config = try decode(#"{"users": [{"username": "a"}], "proxies": [{"id": "p"}]}"#)
        #expect(config.nodeID == nil)
        #expect(config.isExitNode)
        #expect(config.server == nil)
        #expect(config.clients.isEmpty && config.peers.isEmpty && config.rules.isEmpty)
        #expect(config.users[0].isEnabled == false)
        #expect(config.users[0].trafficLimitBytes == 0)
        #expect(config.users[0].quotaSpelling == .gibibytes)
        #expect(config.proxies[0].effectiveProtocol == .socks5)
        #expect(config.effectiveUIListen == "0.0.0.0:5565")
        #expect(config.effectiveUIBasePath == "/scale")
        #expect(config.effectiveWebUsername == "admin")
        #expect(config.effectiveSessionTimeoutHours == 12)
        #expect(config.nestedLimits.depth == 5)
        #expect(config.nestedLimits.responseBytes == 1_048_576)
        #expect(config.dnsResolver.isEffectivelyEnabled)
        #expect(config.dnsResolver.effectiveCacheTTL == 300)
        #expect(config.effectiveDNSServers.map(\.description) == ["1.1.1.1:53", "8.8.8.8:53"])
    }

    @Test("server: null and wireguard peers: null decode as absent")
    func nulls() throws {
        let config = try decode(#"{"server": null, "wireguard": {"enabled": false, "peers": null}}"#)
        #expect(config.server == nil)
        #expect(config.wireGuard?.peers == [])
        #expect(config.wireGuard?.effectiveListenPort == 51820)
    }

    @Test("limits are defaulted and clamped; the base path is normalised")
    func effectiveValues() {
        var config = Config(uiBasePath: "admin/", maxNestedDepth: 50, maxFetchFanOut: 3)
        #expect(config.nestedLimits.depth == 10)
        #expect(config.nestedLimits.fetchFanOut == 3)
        #expect(config.effectiveUIBasePath == "/admin")
        config.uiBasePath = "/"
        #expect(config.effectiveUIBasePath == "")
    }

    @Test("canonical user keys decode and are remembered")
    func canonicalUserKeys() throws {
        let config = try decode(#"{"users": [{"id": "u", "username": "a", "password": "p", "traffic_limit_gb": 1.5, "expiry": "2026-12-31T00:00:00Z", "exit_mode": "direct", "enabled": true}]}"#)
        let user = config.users[0]
        #expect(user.trafficLimitBytes == 1_610_612_736)
        #expect(user.quotaSpelling == .gibibytes)
        #expect(user.expirySpelling == .expiry)
        #expect(user.expiryInstant == 1_798_675_200)
        #expect(check(config).notices.isEmpty)
    }

    @Test("v1.3 aliases decode, keep their spelling, and give notices")
    func aliases() throws {
        let config = try decode(#"{"users": [{"id": "u", "username": "a", "password": "p", "traffic_limit": 1073741824, "traffic_used": 5, "expiry_date": "2025-06-01", "exit_mode": "speed"}]}"#)
        let user = config.users[0]
        #expect(user.trafficLimitBytes == 1_073_741_824)
        #expect(user.trafficLimitGiB == 1)
        #expect(user.quotaSpelling == .bytes)
        #expect(user.quotaKey == "traffic_limit")
        #expect(user.expirySpelling == .expiryDate)
        #expect(user.expiryKey == "expiry_date")
        #expect(user.legacyTrafficUsed == 5)
        #expect(user.hasExpired(at: 1_748_736_000))
        #expect(!user.hasExpired(at: 1_748_735_999))
        let notices = check(config).notices.map(\.path.description)
        #expect(notices.contains("users[0].traffic_limit"))
        #expect(notices.contains("users[0].expiry_date"))
        #expect(notices.contains("users[0].traffic_used"))
        #expect(notices.contains("users[0].exit_mode"))
        #expect(check(config).errors.isEmpty)
    }

    @Test("both a canonical key and its alias is an error at the alias")
    func shadowedAlias() throws {
        let config = try decode(#"{"users": [{"id": "u", "username": "a", "password": "p", "traffic_limit_gb": 1, "traffic_limit": 5}]}"#)
        #expect(config.users[0].quotaSpelling == .gibibytes)
        let found = issues(config, at: "users[0].traffic_limit")
        #expect(found.contains { $0.severity == .error && $0.message.contains("keep only traffic_limit_gb") })
    }

    @Test("runtime and legacy top-level keys are kept apart and reported")
    func legacyTopLevel() throws {
        let config = try decode(#"{"graph_layout": {"a": {"x": 1, "y": 2}}, "tun_mode": {"enabled": true, "mode": "mixed"}, "socks5": {"listen": ":1080"}}"#)
        #expect(config.legacyGraphLayout?["a"] == GraphPosition(x: 1, y: 2))
        #expect(config.legacyTunModeRequestsTun)
        let notices = check(config).notices.map(\.path.description)
        #expect(notices.contains("graph_layout"))
        #expect(notices.contains("tun_mode.enabled"))
        #expect(notices.contains("socks5"))
    }

    @Test("encoding writes canonical keys only and drops runtime fields")
    func encoding() throws {
        let config = try decode(#"{"node_id": "n1", "graph_layout": {"a": {"x": 1, "y": 2}}, "users": [{"id": "u", "username": "a", "password": "p", "traffic_limit": 2147483648, "traffic_used": 9, "expiry_date": "2025-06-01", "enabled": true}], "ss": {"listen": ":8388", "enabled": true}}"#)
        let data = try JSONEncoder().encode(config)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"traffic_limit_gb\":2"))
        #expect(text.contains("\"expiry\":\"2025-06-01\""))
        #expect(!text.contains("traffic_used"))
        #expect(!text.contains("expiry_date"))
        #expect(!text.contains("\"traffic_limit\""))
        #expect(!text.contains("graph_layout"))
        #expect(text.contains("\"ss\":{"))
        // Round trip: same model except the spelling and the runtime fields.
        let again = try JSONDecoder().decode(Config.self, from: data)
        #expect(again.users[0].trafficLimitBytes == config.users[0].trafficLimitBytes)
        #expect(again.users[0].expiry == "2025-06-01")
        #expect(again.shadowsocks == config.shadowsocks)
    }

    @Test("descriptions never print secrets")
    func redaction() {
        let config = cleanConfig()
        let printed = [
            "\(config)", "\(config.server!)", "\(config.users[0])", "\(config.clients[0])",
            "\(config.wireGuard!)", "\(L2TPConfig(preSharedKey: "l2tp-psk"))", "\(IKEv2Config(preSharedKey: "ike-psk"))",
        ].joined()
        for secret in ["server-secret", "alice-pass", "hk-secret", zeroKey, "l2tp-psk", "ike-psk"] {
            #expect(!printed.contains(secret))
        }
    }

    @Test("a fractional or huge GiB quota is handled")
    func quotaRange() throws {
        #expect(try decode(#"{"users": [{"traffic_limit_gb": 0.5}]}"#).users[0].trafficLimitBytes == 536_870_912)
        #expect(throws: DecodingError.self) { try decode(#"{"users": [{"traffic_limit_gb": 1e300}]}"#) }
    }
}
