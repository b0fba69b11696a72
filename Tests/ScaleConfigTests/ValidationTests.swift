import ScaleConfig
import Testing
import YAMLDocument

/// Expects exactly one error at `path` whose message contains `text`.
func expectError(_ config: Config, at path: String, containing text: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let found = issues(config, at: path).errors
    #expect(found.count == 1, "errors at \(path): \(found); all: \(check(config))", sourceLocation: sourceLocation)
    #expect(found.contains { $0.message.contains(text) }, "errors at \(path): \(found)", sourceLocation: sourceLocation)
}

@Suite("validation")
struct ValidationTests {
    @Test("the clean config has no issues")
    func clean() {
        #expect(check(cleanConfig()) == [])
    }

    @Test("Shadowsocks 2022 needs a base64 key of the method's size for every user who may use ss")
    func shadowsocks2022Keys() {
        var c = cleanConfig()
        c.shadowsocks = ShadowsocksConfig(listen: "0.0.0.0:8388", isEnabled: true, method: "2022-blake3-aes-128-gcm")
        c.users = [User(id: "a", username: "a", password: "plain-password", isEnabled: true)]
        expectError(c, at: "users[0].password", containing: "the base64 of 16 random bytes")
        c.users[0].protocolPasswords = ["ss": "AAECAwQFBgcICQoLDA0ODw=="]
        #expect(issues(c, at: "users[0].password").errors.isEmpty)
        c.shadowsocks?.method = "2022-blake3-aes-256-gcm"
        expectError(c, at: "users[0].proxy_passwords.ss", containing: "the base64 of 32 random bytes")
        c.users[0].disabledProtocols = ["ss"]
        #expect(check(c).filter { $0.path.description.hasPrefix("users") } == [])
    }

    @Test("server.obfs must be salamander with a key of at least 4 bytes; it decodes from the file and stays optional")
    func serverObfuscation() throws {
        var c = cleanConfig()
        c.server?.obfuscation = ObfuscationConfig(password: "abcd")
        #expect(check(c) == [])
        c.server?.obfuscation = ObfuscationConfig(type: "gecko", password: "abc")
        expectError(c, at: "server.obfs.type", containing: "the only one is salamander")
        expectError(c, at: "server.obfs.password", containing: "at least 4 characters")
        let decoded = try decode(#"{"server": {"listen": "0.0.0.0:5565", "password": "server-secret", "obfs": {"password": "obfs-key"}}}"#)
        #expect(decoded.server?.obfuscation == ObfuscationConfig(type: "salamander", password: "obfs-key"))
        #expect(try decode(#"{"server": {"listen": "0.0.0.0:5565", "password": "server-secret"}}"#).server?.obfuscation == nil)
    }

    @Test("web_password holds a stored form or nothing, and is never quoted back")
    func webPassword() {
        var c = cleanConfig()
        c.webPassword = String(repeating: "ab", count: 32)  // a v1.3 digest
        #expect(check(c) == [])
        c.webPassword = ""  // serve generates one
        #expect(check(c) == [])
        for stored in ["hunter2-in-plain-text", "pbkdf2-sha256$100000$c2FsdA==$c2hvcnQ=", String(repeating: "g", count: 64)] {
            c.webPassword = stored
            expectError(c, at: "web_password", containing: "hy2scale passwd")
            #expect(!check(c).contains { $0.message.contains(stored) })
        }
    }

    @Test("an address to bind may ask for any free port with port 0; one to dial may not")
    func anyFreePort() {
        var c = cleanConfig()
        c.server?.listen = "127.0.0.1:0"
        c.uiListen = "127.0.0.1:0"
        c.proxies[0].listen = ":0"
        c.proxies.append(Proxy(id: "http", protocolName: "http", listen: ":0", isEnabled: true))
        #expect(check(c) == [], "two listeners on port 0 never clash: each gets its own port")
        c.server?.listen = "127.0.0.1:0,44000-45000"
        expectError(c, at: "server.listen", containing: "or HOST:0 for any free port")
        c = cleanConfig()
        c.clients[0].address = "hk.example.com:0"
        expectError(c, at: "clients[0].addr", containing: "is not a listen address")
    }

    @Test("listen addresses")
    func listenAddresses() {
        var c = cleanConfig()
        c.server?.listen = "0.0.0.0:99999"
        expectError(c, at: "server.listen", containing: "\"0.0.0.0:99999\" is not a listen address; use HOST:PORT")
        c = cleanConfig()
        c.server?.listen = "[::]:5565,44000-45000"
        #expect(check(c) == [])
        c.uiListen = "localhost"
        expectError(c, at: "ui_listen", containing: "has no port; use HOST:PORT with a port from 1 to 65535")
        c = cleanConfig()
        c.proxies[0].listen = ":::1080"
        expectError(c, at: "proxies[0].listen", containing: "in brackets")
        c = cleanConfig()
        c.proxies[0].listen = ""
        expectError(c, at: "proxies[0].listen", containing: "listen is required")
        c = cleanConfig()
        c.shadowsocks = ShadowsocksConfig(listen: "0.0.0.0:8388,9000", isEnabled: true)
        expectError(c, at: "ss.listen", containing: "use HOST:PORT")
        c.shadowsocks = ShadowsocksConfig(listen: "", isEnabled: true)
        expectError(c, at: "ss.listen", containing: "listen is required when ss is enabled")
        c = cleanConfig()
        c.l2tp = L2TPConfig(listen: "0.0.0.0:1701", pool: "192.168.25.1/24")
        expectError(c, at: "l2tp.listen", containing: "use a UDP port number from 1 to 65535")
        c = cleanConfig()
        c.wireGuard?.listenPort = 70000
        expectError(c, at: "wireguard.listen_port", containing: "use a number from 1 to 65535")
        c = cleanConfig()
        c.clients[0].address = "hk.example.com:5565,44000-45000"
        #expect(check(c) == [])
        c.clients[0].addresses = ["hk.example.com:5565", ":5565"]
        expectError(c, at: "clients[0].addrs[1]", containing: "has no host")
    }

    @Test("port clashes honour the transport and the host")
    func portClashes() {
        var c = cleanConfig()
        // UI (TCP 5565) and hy2 server (UDP 5565) do not clash.
        #expect(check(c) == [])
        c.proxies.append(Proxy(id: "http", protocolName: "http", listen: "127.0.0.1:1080", isEnabled: true))
        expectError(c, at: "proxies[1].listen", containing: "TCP port 1080 of proxy \"http\" clashes with proxy \"socks\" at proxies[0].listen")
        c.proxies[1].isEnabled = false
        #expect(check(c) == [])
        c = cleanConfig()
        c.proxies[0].listen = "10.0.0.1:1080"
        c.proxies.append(Proxy(id: "http", protocolName: "http", listen: "10.0.0.2:1080", isEnabled: true))
        #expect(check(c) == [])
        c = cleanConfig()
        c.shadowsocks = ShadowsocksConfig(listen: ":5565", isEnabled: true)
        let ssIssues = issues(c, at: "ss.listen").errors
        // TCP clashes with the web UI, UDP with the hy2 server.
        #expect(ssIssues.count == 2)
        #expect(ssIssues.contains { $0.message.contains("TCP port 5565 of Shadowsocks clashes with the web UI at ui_listen") })
        #expect(ssIssues.contains { $0.message.contains("UDP port 5565 of Shadowsocks clashes with the hy2 server at server.listen") })
        c = cleanConfig()
        c.wireGuard?.listenPort = 5565
        expectError(c, at: "wireguard.listen_port", containing: "UDP port 5565 of WireGuard clashes with the hy2 server at server.listen")
    }

    @Test("L2TP and IKEv2 share strongSwan; others may not use 500 or 4500")
    func ipsecPorts() {
        var c = cleanConfig()
        c.l2tp = L2TPConfig(isEnabled: true, pool: "192.168.25.1/24", preSharedKey: "shared-psk")
        c.ikev2 = IKEv2Config(isEnabled: true, mode: "psk", pool: "192.168.26.1/24", preSharedKey: "shared-psk")
        #expect(check(c) == [])
        c.wireGuard?.listenPort = 4500
        expectError(c, at: "wireguard.listen_port", containing: "UDP port 4500 of WireGuard clashes with L2TP's IPsec")
    }

    @Test("duplicates are reported on the second occurrence, naming the first")
    func duplicates() {
        var c = cleanConfig()
        c.users.append(User(id: "u1", username: "alice", password: "other-pass"))
        expectError(c, at: "users[1].id", containing: "duplicate user id \"u1\"; first used at users[0].id")
        expectError(c, at: "users[1].username", containing: "duplicate username \"alice\"; first used at users[0].username")
        c = cleanConfig()
        c.proxies.append(Proxy(id: "socks", listen: "0.0.0.0:1081"))
        expectError(c, at: "proxies[1].id", containing: "duplicate proxy id")
        c = cleanConfig()
        c.rules.append(c.rules[0])
        expectError(c, at: "rules[1].id", containing: "duplicate rule id")
        c = cleanConfig()
        c.clients.append(OutboundPeer(name: "hk", address: "hk.example.com:5565", password: "x"))
        expectError(c, at: "clients[1].name", containing: "duplicate peer name")
        expectError(c, at: "clients[1].addr", containing: "duplicate peer address")
        c = cleanConfig()
        c.wireGuard?.peers.append(WireGuardPeer(name: "phone", publicKey: oneKey, allowedIPs: "10.0.0.3/32"))
        expectError(c, at: "wireguard.peers[1].name", containing: "duplicate WireGuard peer name")
        expectError(c, at: "wireguard.peers[1].public_key", containing: "duplicate WireGuard public key")
    }

    @Test("required fields")
    func requiredFields() {
        var c = cleanConfig()
        c.users.append(User(id: "u2"))
        expectError(c, at: "users[1].username", containing: "username is required")
        expectError(c, at: "users[1].password", containing: "password is required")
        c = cleanConfig()
        c.proxies.append(Proxy())
        expectError(c, at: "proxies[1].id", containing: "proxy id is required")
        c = cleanConfig()
        c.clients.append(OutboundPeer())
        expectError(c, at: "clients[1].name", containing: "peer name is required")
        expectError(c, at: "clients[1].addr", containing: "addr is required")
        expectError(c, at: "clients[1].password", containing: "password is required")
        c = cleanConfig()
        c.rules.append(RoutingRule(id: "r2"))
        expectError(c, at: "rules[1].type", containing: "type is required; use \"ip\" or \"domain\"")
        expectError(c, at: "rules[1].targets", containing: "at least one target")
        expectError(c, at: "rules[1].exit_via", containing: "exit_via is required")
        c = cleanConfig()
        c.rules[0].exitVia = ""
        c.rules[0].exitPaths = ["hk"]
        #expect(check(c) == [])
        c = cleanConfig()
        c.wireGuard?.peers.append(WireGuardPeer())
        expectError(c, at: "wireguard.peers[1].name", containing: "WireGuard peer name is required")
        expectError(c, at: "wireguard.peers[1].public_key", containing: "public_key is required")
        expectError(c, at: "wireguard.peers[1].allowed_ips", containing: "allowed_ips is required")
    }

    @Test("unknown enum values list the accepted spellings")
    func enums() {
        var c = cleanConfig()
        c.proxies[0].protocolName = "socks4"
        expectError(c, at: "proxies[0].protocol", containing: "\"socks4\" is not a valid proxy protocol; use \"socks5\" or \"http\"")
        c = cleanConfig()
        c.proxies[0].auth = "open"
        expectError(c, at: "proxies[0].auth", containing: "use \"users\" or \"none\"")
        c = cleanConfig()
        c.shadowsocks = ShadowsocksConfig(method: "rc4-md5")
        expectError(c, at: "ss.method", containing: "\"aes-128-gcm\", \"aes-256-gcm\", \"chacha20-ietf-poly1305\"")
        c = cleanConfig()
        c.users[0].exitMode = "fastest"
        expectError(c, at: "users[0].exit_mode", containing: "use \"\", \"quality\" or \"aggregate\"")
        c = cleanConfig()
        c.ikev2 = IKEv2Config(mode: "eap")
        expectError(c, at: "ikev2.mode", containing: "use \"mschapv2\" or \"psk\"")
        c = cleanConfig()
        c.rules[0].type = "cidr"
        expectError(c, at: "rules[0].type", containing: "use \"ip\" or \"domain\"")
        c = cleanConfig()
        c.clients[0].bbrProfile = "fast"
        expectError(c, at: "clients[0].bbr_profile", containing: "\"standard\", \"conservative\" or \"aggressive\"")
        c = cleanConfig()
        c.legacyTunMode = TunModeConfig(mode: "half")
        expectError(c, at: "tun_mode.mode", containing: "use \"mixed\" or \"full\"")
        c = cleanConfig()
        c.users[0].disabledProtocols = ["ss", "wireguard"]
        expectError(c, at: "users[0].proxy_disabled[1]", containing: "\"hy2\", \"ss\", \"socks5\", \"http\", \"l2tp\" or \"ikev2\"")
        c = cleanConfig()
        c.users[0].protocolPasswords = ["socks5": "x"]
        expectError(c, at: "users[0].proxy_passwords.socks5", containing: "use \"hy2\", \"ss\" or \"ikev2\"")
        c = cleanConfig()
        c.users[0].fallback = "retry"
        expectError(c, at: "users[0].fallback", containing: "use \"none\" or \"direct\"")
    }

    @Test("rule targets by type")
    func ruleTargets() {
        var c = cleanConfig()
        c.rules[0].targets = ["10.0.0.1", "2001:db8::/32", "10.0.0.1-10.0.0.9", "example.com"]
        expectError(c, at: "rules[0].targets[3]", containing: "is not an IP target; use an IP address, a CIDR")
        c.rules[0].targets = ["10.0.0.9-10.0.0.1"]
        expectError(c, at: "rules[0].targets[0]", containing: "put the lower address first")
        c.rules[0].targets = ["10.0.0.1-::9"]
        expectError(c, at: "rules[0].targets[0]", containing: "same family")
        c.rules[0].targets = ["10.0.0.0/40"]
        expectError(c, at: "rules[0].targets[0]", containing: "is not an IP target")
        c.rules[0].type = "domain"
        c.rules[0].targets = ["netflix.com", "*.example.org", "-bad-.com"]
        expectError(c, at: "rules[0].targets[2]", containing: "is not a domain name")
    }

    @Test("WireGuard addresses, allowed IPs and pools are CIDRs")
    func cidrs() {
        var c = cleanConfig()
        c.wireGuard?.address = "10.0.0.1"
        expectError(c, at: "wireguard.address", containing: "use IP/PREFIX")
        c = cleanConfig()
        c.wireGuard?.peers[0].allowedIPs = "10.0.0.2/32, fd00::2/128,10.0.0.300/32"
        expectError(c, at: "wireguard.peers[0].allowed_ips", containing: "\"10.0.0.300/32\" is not a CIDR")
        c = cleanConfig()
        c.l2tp = L2TPConfig(pool: "192.168.25.0/33")
        expectError(c, at: "l2tp.pool", containing: "use IP/PREFIX")
        c.ikev2 = IKEv2Config(pool: "pool")
        expectError(c, at: "ikev2.pool", containing: "use IP/PREFIX")
    }

    @Test("exit paths everywhere")
    func exitPaths() {
        var c = cleanConfig()
        c.users[0].exitVia = "hk//tokyo"
        expectError(c, at: "users[0].exit_via", containing: "has an empty hop; use peer names joined by /")
        c = cleanConfig()
        c.proxies[0].exitPaths = ["hk", "hk/tokyo/hk"]
        expectError(c, at: "proxies[0].exit_paths[1]", containing: "visits \"hk\" twice")
        c = cleanConfig()
        c.rules[0].exitVia = "hk/home"
        expectError(c, at: "rules[0].exit_via", containing: "loops back through this node")
        c.rules[0].exitVia = "home/hk"
        #expect(check(c) == [])
        c = cleanConfig()
        c.rules[0].exitVia = "hk/ea1b2adb"
        expectError(c, at: "rules[0].exit_via", containing: "loops back")
        c = cleanConfig()
        c.wireGuard?.peers[0].exitVia = "hk tokyo"
        expectError(c, at: "wireguard.peers[0].exit_via", containing: "contains whitespace")
        c = cleanConfig()
        c.ikev2 = IKEv2Config(defaultExit: "/hk")
        expectError(c, at: "ikev2.default_exit", containing: "empty hop")
        c = cleanConfig()
        c.peers["hk//x"] = PeerFlags(isNested: true)
        expectError(c, at: "peers[\"hk//x\"]", containing: "empty hop")
    }

    @Test("aggregate mode needs a common last hop")
    func aggregate() {
        var c = cleanConfig()
        c.users[0].exitMode = "aggregate"
        c.users[0].exitPaths = ["hk/tokyo", "sg/tokyo"]
        #expect(check(c) == [])
        c.users[0].exitPaths = ["hk/tokyo", "sg/osaka"]
        expectError(c, at: "users[0].exit_mode", containing: "aggregate mode requires all paths to reach the same exit node")
        c.users[0].exitMode = "speed"
        expectError(c, at: "users[0].exit_mode", containing: "aggregate mode requires")
        c.users[0].exitMode = "quality"
        #expect(check(c).errors == [])
    }

    @Test("a WireGuard source address names one peer: no overlap between peers, none holding the server's address")
    func wireGuardAddressesBelongToOnePeer() {
        var c = cleanConfig()
        let twoKey = "AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI="
        c.wireGuard?.peers.append(WireGuardPeer(name: "laptop", publicKey: twoKey, allowedIPs: "10.0.1.0/24, 10.0.0.2/31"))
        expectError(c, at: "wireguard.peers[1].allowed_ips", containing: "10.0.0.2/31 overlaps 10.0.0.2/32 of peer \"phone\"")
        c = cleanConfig()
        c.wireGuard?.peers[0].allowedIPs = "10.0.0.0/24"
        expectError(c, at: "wireguard.peers[0].allowed_ips", containing: "holds the server's own tunnel address 10.0.0.1; give the peer addresses of its own, as in 10.0.0.2/32")
        c = cleanConfig()
        c.wireGuard?.peers.append(WireGuardPeer(name: "laptop", publicKey: twoKey, allowedIPs: "10.0.0.3/32, fd00::3/128"))
        #expect(check(c) == [])
    }

    @Test("IKEv2's psk_user_mode is refused: a shared key names no user")
    func pskUserModeRefused() {
        var c = cleanConfig()
        c.ikev2 = IKEv2Config(isEnabled: true, mode: "psk", pool: "192.168.26.1/24", preSharedKey: "ike-psk", isPSKUserMode: true)
        expectError(c, at: "ikev2.psk_user_mode", containing: "psk_user_mode is not supported")
        c.ikev2?.isPSKUserMode = false
        #expect(check(c).errors == [])
    }

    @Test("L2TP's pool is IPv4 with room for clients, and its PSK is IKEv2's when both use one")
    func l2tpPoolAndKey() {
        var c = cleanConfig()
        c.l2tp = L2TPConfig(isEnabled: true, pool: "fd00:25::1/64", preSharedKey: "l2tp-psk")
        expectError(c, at: "l2tp.pool", containing: "is not an IPv4 pool with room for clients")
        c.l2tp?.pool = "192.168.25.1/32"
        expectError(c, at: "l2tp.pool", containing: "is not an IPv4 pool with room for clients")
        c.l2tp?.pool = "192.168.25.1/24"
        #expect(check(c).errors == [])
        c.ikev2 = IKEv2Config(isEnabled: true, mode: "psk", pool: "192.168.26.1/24", preSharedKey: "ike-psk")
        expectError(c, at: "l2tp.psk", containing: "psk differs from ikev2.psk")
        c.ikev2?.preSharedKey = "l2tp-psk"
        #expect(check(c).errors == [])
    }

    @Test("IKEv2's own dns must be addresses; a proxy_port other than v1.3's default is said to do nothing")
    func ikev2DNSAndProxyPort() {
        var c = cleanConfig()
        c.ikev2 = IKEv2Config(isEnabled: true, mode: "psk", pool: "192.168.26.1/24", preSharedKey: "k", dns: "10.0.0.53, resolver")
        expectError(c, at: "ikev2.dns", containing: "\"resolver\" (entry 2) is not an IP address")
        c.ikev2?.dns = "10.0.0.53, 2001:db8::53"
        c.ikev2?.proxyPort = IKEv2Config.defaultProxyPort
        #expect(check(c) == [])
        c.ikev2?.proxyPort = 20000
        #expect(check(c).contains { $0.path.description == "ikev2.proxy_port" && $0.message.contains("proxy_port is not used") })
        #expect(check(c).errors == [])
    }

    @Test("the enabled VPN services' client networks do not overlap")
    func vpnPoolsApart() {
        var c = cleanConfig()
        c.l2tp = L2TPConfig(isEnabled: true, pool: "10.0.0.128/25", preSharedKey: "l2tp-psk")
        expectError(c, at: "l2tp.pool", containing: "10.0.0.128/25 overlaps wireguard's client network 10.0.0.0/24; give each VPN service a network of its own")
        c.l2tp?.pool = "192.168.25.1/24"
        c.ikev2 = IKEv2Config(isEnabled: true, mode: "psk", pool: "192.168.25.200/29", preSharedKey: "ike-psk")
        expectError(c, at: "l2tp.pool", containing: "192.168.25.0/24 overlaps ikev2's client network 192.168.25.200/29")
        c.ikev2?.isEnabled = false
        #expect(check(c).errors == [])
    }

    @Test("WireGuard keys are base64 of 32 bytes; secrets stay out of messages")
    func wireGuardKeys() {
        var c = cleanConfig()
        c.wireGuard?.privateKey = "not-a-key-secret"
        expectError(c, at: "wireguard.private_key", containing: "use standard base64 of 32 bytes")
        #expect(!check(c).contains { $0.message.contains("not-a-key-secret") })
        c = cleanConfig()
        c.wireGuard?.peers[0].publicKey = "AAAA"
        expectError(c, at: "wireguard.peers[0].public_key", containing: "is not a WireGuard key")
        c = cleanConfig()
        c.wireGuard?.peers[0].privateKey = "AAAA"
        expectError(c, at: "wireguard.peers[0].private_key", containing: "is not a WireGuard key")
        c = cleanConfig()
        c.wireGuard?.privateKey = ""
        expectError(c, at: "wireguard.private_key", containing: "private_key is required when wireguard is enabled")
    }

    @Test("expiry dates")
    func expiry() {
        var c = cleanConfig()
        c.users[0].expiry = "2025-13-01"
        expectError(c, at: "users[0].expiry", containing: "\"2025-13-01\" is not a date; use RFC 3339 or YYYY-MM-DD")
        c.users[0].expirySpelling = .expiryDate
        expectError(c, at: "users[0].expiry_date", containing: "is not a date")
        c.users[0].expiry = "2025-12-01"
        #expect(check(c).errors == [])
    }

    @Test("TLS references")
    func tlsReferences() {
        var c = cleanConfig()
        c.proxies[0].tlsCertificateID = "missing"
        expectError(c, at: "proxies[0].tls_cert", containing: "no TLS certificate has id \"missing\"; use an id from the TLS store (\"default\", \"vpn-ca\")")
        c.proxies[0].tlsCertificateID = "../../etc/passwd"
        expectError(c, at: "proxies[0].tls_cert", containing: "is not a certificate id; use letters, digits")
        c.proxies[0].tlsCertificateID = ".hidden"
        expectError(c, at: "proxies[0].tls_cert", containing: "is not a certificate id")
        c.proxies[0].tlsCertificateID = "default"
        #expect(check(c) == [])
        c.httpsCertificateID = "nope"
        expectError(c, at: "https_cert_id", containing: "no TLS certificate")
        c = cleanConfig()
        // An empty cert_id is the certificate the node issues from its own CA.
        c.ikev2 = IKEv2Config(isEnabled: true, mode: "mschapv2", pool: "192.168.26.1/24")
        #expect(check(c) == [])
        c.ikev2?.certificateID = "vpn-ca"
        #expect(check(c) == [])
        c = cleanConfig()
        c.server?.tlsKeyPath = "/nowhere/key.pem"
        expectError(c, at: "server.tls_key", containing: "file \"/nowhere/key.pem\" does not exist")
    }

    @Test("server password rules")
    func passwords() {
        var c = cleanConfig()
        c.server?.password = "abc"
        expectError(c, at: "server.password", containing: "use at least 6 characters")
        #expect(!check(c).contains { $0.message.contains("\"abc\"") })
        c.server?.listen = ""
        #expect(check(c) == [])
        c = cleanConfig()
        c.users[0].password = "server-secret"
        expectError(c, at: "users[0].password", containing: "equals the hy2 server password")
        c = cleanConfig()
        c.users[0].protocolPasswords = ["hy2": "server-secret", "ss": "ss-pass"]
        expectError(c, at: "users[0].proxy_passwords.hy2", containing: "equals the hy2 server password")
        #expect(!check(c).contains { $0.message.contains("server-secret") })
    }

    @Test("limits and numbers")
    func limits() {
        var c = cleanConfig()
        c.sessionTimeoutHours = -1
        expectError(c, at: "session_timeout_h", containing: "is not a session timeout")
        c.sessionTimeoutHours = Int.max / 1000  // once overflowed the session's seconds and stopped the node
        expectError(c, at: "session_timeout_h", containing: "up to 87600")
        c.sessionTimeoutHours = 87_600
        #expect(issues(c, at: "session_timeout_h").isEmpty)
        c = cleanConfig()
        c.maxNestedDepth = 20
        let found = issues(c, at: "max_nested_depth")
        #expect(found.count == 1 && found[0].severity == .notice && found[0].message.contains("clamped to it"))
        c.maxCacheEntries = -5
        expectError(c, at: "max_cache_entries", containing: "is negative")
        c = cleanConfig()
        c.clients[0].maxTransmitRate = -1
        expectError(c, at: "clients[0].max_tx", containing: "is negative")
        c = cleanConfig()
        c.users[0].trafficLimitBytes = -1
        expectError(c, at: "users[0].traffic_limit_gb", containing: "is negative")
        c = cleanConfig()
        c.dnsResolver.cacheTTL = -3
        expectError(c, at: "dns_resolver.cache_ttl", containing: "is negative")
    }

    @Test("dns entries are IP addresses")
    func dns() {
        var c = cleanConfig()
        c.dns = "1.1.1.1, 8.8.8.8:53 [2606:4700::1111]:53"
        #expect(check(c) == [])
        c.dns = "1.1.1.1,dns.google"
        expectError(c, at: "dns", containing: "\"dns.google\" (entry 2) is not a DNS server; use IP addresses")
    }

    @Test("names and ids: no slash, no control characters")
    func names() {
        var c = cleanConfig()
        c.clients[0].name = "hk/1"
        c.peers = [:]
        c.users[0].exitVia = ""
        c.rules[0].exitVia = "x"
        expectError(c, at: "clients[0].name", containing: "use a name without /")
        c = cleanConfig()
        c.users[0].id = "a\u{7}"
        expectError(c, at: "users[0].id", containing: "control character")
        c = cleanConfig()
        c.rules[0].id = "a/b"
        expectError(c, at: "rules[0].id", containing: "without /")
        c = cleanConfig()
        c.wireGuard?.peers[0].name = "a/b"
        expectError(c, at: "wireguard.peers[0].name", containing: "without /")
        c = cleanConfig()
        c.proxies[0].id = ""
        expectError(c, at: "proxies[0].id", containing: "proxy id is required")
    }

    @Test("a config with many problems reports all of them")
    func manyErrors() throws {
        let config = try decode(#"""
        {
          "name": "home",
          "server": {"listen": "0.0.0.0:5565", "password": "abc"},
          "ui_listen": "0.0.0.0:70000",
          "users": [
            {"id": "u1", "username": "alice", "password": "p1", "expiry": "2025-13-01", "exit_mode": "fast"},
            {"id": "u1", "username": "alice", "traffic_limit": 100}
          ],
          "proxies": [{"id": "p", "protocol": "socks4", "listen": "0.0.0.0:1080", "enabled": true, "tls_cert": "../x"}],
          "rules": [{"id": "r", "type": "ip", "targets": ["10.0.0.9-10.0.0.1"], "exit_via": "a//b"}],
          "wireguard": {"enabled": true, "private_key": "short", "address": "10.0.0.1", "peers": [{"name": "x"}]}
        }
        """#)
        let all = check(config)
        let errorPaths = Set(all.errors.map(\.path.description))
        let expected: Set<String> = [
            "server.password", "ui_listen", "users[0].expiry", "users[0].exit_mode", "users[1].password",
            "users[1].id", "users[1].username", "proxies[0].protocol", "proxies[0].tls_cert",
            "rules[0].targets[0]", "rules[0].exit_via", "wireguard.private_key", "wireguard.address",
            "wireguard.peers[0].public_key", "wireguard.peers[0].allowed_ips",
        ]
        #expect(errorPaths == expected, "\(all)")
        #expect(all.notices.map(\.path.description) == ["users[1].traffic_limit"])
        #expect(ConfigIssue(path: ["users", 2, "expiry"], message: "m").description == "users[2].expiry: m")
    }
}
