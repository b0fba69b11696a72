import Addressing
import YAMLDocument

extension ConfigValidator {
    mutating func checkShadowsocks() {
        guard let ss = config.shadowsocks else { return }
        let base = YAMLPath(["ss"])
        if !ss.listen.isEmpty {
            checkListen(ss.listen, at: base.appending(key: "listen"))
        } else if ss.isEnabled {
            error(base.appending(key: "listen"), "listen is required when ss is enabled; \(ListenAddress.acceptedForm)")
        }
        checkEnum(ShadowsocksMethod.self, ss.method, at: base.appending(key: "method"), what: "Shadowsocks method")
        if ss.isEnabled, let method = ShadowsocksMethod(spelling: ss.method) { checkShadowsocks2022Keys(method) }
    }

    /// SIP022 methods take a key, not a password: every user who may use `ss` needs the base64 of
    /// exactly the method's key size as their `ss` password.
    private mutating func checkShadowsocks2022Keys(_ method: ShadowsocksMethod) {
        let size: Int
        switch method {
        case .blake3AES128GCM: size = 16
        case .blake3AES256GCM: size = 32
        default: return
        }
        for (i, user) in config.users.enumerated() where user.isEnabled && !user.disabledProtocols.contains(ProtocolKey.ss.rawValue) {
            guard Base64.decode(user.password(for: .ss))?.count != size else { continue }
            let path = (user.protocolPasswords[PasswordProtocolKey.ss.rawValue] ?? "").isEmpty ? YAMLPath(["users"]).appending(index: i).appending(key: "password")
                : YAMLPath(["users"]).appending(index: i).appending(key: "proxy_passwords").appending(key: "ss")
            error(path, "ss uses \(method.rawValue), which needs a key: the base64 of \(size) random bytes "
                + "(openssl rand -base64 \(size)); set it in proxy_passwords.ss, or add ss to proxy_disabled")
        }
    }

    mutating func checkL2TP() {
        guard let l2tp = config.l2tp else { return }
        let base = YAMLPath(["l2tp"])
        if !l2tp.listen.isEmpty, PortNumber.parse(l2tp.listen) == nil {
            error(base.appending(key: "listen"), "\(Self.quote(l2tp.listen)) is not a port; use a UDP port number from 1 to 65535, such as \"1701\"")
        }
        if !l2tp.pool.isEmpty {
            checkNetwork(l2tp.pool, at: base.appending(key: "pool"), what: "an address pool")
            if let pool = IPNetwork(l2tp.pool), !pool.address.isIPv4 || pool.prefixLength > 30 {
                // PPP's IPCP hands out IPv4 addresses only; the pool needs room for clients.
                error(base.appending(key: "pool"), "\(Self.quote(l2tp.pool)) is not an IPv4 pool with room for clients; use IPv4/PREFIX up to /30, as in 192.168.25.1/24")
            }
        } else if l2tp.isEnabled {
            error(base.appending(key: "pool"), "pool is required when l2tp is enabled; use IP/PREFIX, as in 192.168.25.1/24")
        }
        if l2tp.isEnabled, l2tp.preSharedKey.isEmpty {
            error(base.appending(key: "psk"), "psk is required when l2tp is enabled; use the IPsec pre-shared key")
        }
        if l2tp.isEnabled, let ikev2 = config.ikev2, ikev2.isEnabled, IKEv2Mode(spelling: ikev2.mode) == .psk,
           !l2tp.preSharedKey.isEmpty, !ikev2.preSharedKey.isEmpty, ikev2.preSharedKey != l2tp.preSharedKey {
            // One charon serves both, and neither kind of client names itself before the key is needed.
            error(base.appending(key: "psk"), "psk differs from ikev2.psk; with IKEv2 in psk mode both services share one IPsec key, so give them the same one")
        }
        checkOptionalPort(l2tp.proxyPort, at: base.appending(key: "proxy_port"))
        noticeUnusedProxyPort(l2tp.proxyPort, default: L2TPConfig.defaultProxyPort, at: base.appending(key: "proxy_port"))
        checkNonNegative(l2tp.mtu, at: base.appending(key: "mtu"))
    }

    mutating func checkIKEv2() {
        guard let ikev2 = config.ikev2 else { return }
        let base = YAMLPath(["ikev2"])
        checkEnum(IKEv2Mode.self, ikev2.mode, at: base.appending(key: "mode"), what: "IKEv2 mode")
        if !ikev2.pool.isEmpty {
            checkNetwork(ikev2.pool, at: base.appending(key: "pool"), what: "an address pool")
        } else if ikev2.isEnabled {
            error(base.appending(key: "pool"), "pool is required when ikev2 is enabled; use IP/PREFIX, as in 192.168.26.1/24")
        }
        if !ikev2.certificateID.isEmpty {
            checkCertificateID(ikev2.certificateID, at: base.appending(key: "cert_id"))
        }
        if ikev2.isEnabled {
            switch IKEv2Mode(spelling: ikev2.mode) {
            case .psk where ikev2.preSharedKey.isEmpty:
                error(base.appending(key: "psk"), "psk is required in psk mode")
            default:
                break
            }
        }
        if ikev2.isPSKUserMode {
            // A pre-shared key names no user: clients cannot be told apart, so none can be routed as a user.
            error(base.appending(key: "psk_user_mode"),
                  "psk_user_mode is not supported: PSK clients share one key and are anonymous; use mode mschapv2 for per-user routing, or set psk_user_mode to false")
        }
        checkExitPath(ikev2.defaultExit, at: base.appending(key: "default_exit"))
        checkEnum(ExitMode.self, ikev2.defaultExitMode, at: base.appending(key: "default_exit_mode"), what: "exit mode")
        checkOptionalPort(ikev2.proxyPort, at: base.appending(key: "proxy_port"))
        noticeUnusedProxyPort(ikev2.proxyPort, default: IKEv2Config.defaultProxyPort, at: base.appending(key: "proxy_port"))
        for (i, entry) in CommaList.splitCommasOrSpaces(ikev2.dns).enumerated() where IPAddress(entry) == nil {
            error(base.appending(key: "dns"), "\(Self.quote(entry)) (entry \(i + 1)) is not an IP address; list the DNS servers pushed to clients, separated by commas, or leave it empty for the global dns")
        }
        checkNonNegative(ikev2.mtu, at: base.appending(key: "mtu"))
    }

    /// v1.3 ran a proxy per VPN on this port; the node captures every VPN's flows with its one
    /// set of transparent listeners, so a port other than v1.3's default is said to do nothing.
    mutating func noticeUnusedProxyPort(_ port: Int, default defaultPort: Int, at path: YAMLPath) {
        guard port != 0, port != defaultPort else { return }
        notice(path, "proxy_port is not used: every VPN's flows go to the node's one pair of transparent listeners (127.0.0.1:12380 TCP, 12381 UDP); remove it")
    }

    mutating func checkWireGuard() {
        guard let wg = config.wireGuard else { return }
        let base = YAMLPath(["wireguard"])
        checkOptionalPort(wg.listenPort, at: base.appending(key: "listen_port"))
        if !wg.privateKey.isEmpty {
            if WireGuardKey.decode(wg.privateKey) == nil {
                error(base.appending(key: "private_key"), "private key is not a WireGuard key; \(WireGuardKey.acceptedForm)")
            }
        } else if wg.isEnabled {
            error(base.appending(key: "private_key"), "private_key is required when wireguard is enabled; \(WireGuardKey.acceptedForm)")
        }
        if !wg.address.isEmpty {
            checkNetwork(wg.address, at: base.appending(key: "address"), what: "a tunnel address")
        } else if wg.isEnabled {
            error(base.appending(key: "address"), "address is required when wireguard is enabled; use IP/PREFIX, as in 10.0.0.1/24")
        }
        checkNonNegative(wg.mtu, at: base.appending(key: "mtu"))
        for (i, peer) in wg.peers.enumerated() {
            let entry = base.appending(key: "peers").appending(index: i)
            checkName(peer.name, at: entry.appending(key: "name"), what: "WireGuard peer name")
            if peer.publicKey.isEmpty {
                error(entry.appending(key: "public_key"), "public_key is required; \(WireGuardKey.acceptedForm)")
            } else if WireGuardKey.decode(peer.publicKey) == nil {
                error(entry.appending(key: "public_key"), "\(Self.quote(peer.publicKey)) is not a WireGuard key; \(WireGuardKey.acceptedForm)")
            }
            if !peer.privateKey.isEmpty, WireGuardKey.decode(peer.privateKey) == nil {
                error(entry.appending(key: "private_key"), "private key is not a WireGuard key; \(WireGuardKey.acceptedForm)")
            }
            let allowed = peer.allowedIPEntries
            if allowed.isEmpty {
                error(entry.appending(key: "allowed_ips"), "allowed_ips is required; use comma-separated CIDRs, as in 10.0.0.2/32")
            }
            for item in allowed where IPNetwork(item) == nil {
                error(entry.appending(key: "allowed_ips"), "\(Self.quote(item)) is not a CIDR; use comma-separated IP/PREFIX entries, as in 10.0.0.2/32")
            }
            if !(0...65535).contains(peer.keepalive) {
                error(entry.appending(key: "keepalive"), "\(peer.keepalive) is not a keepalive interval; use seconds from 0 (off) to 65535")
            }
            checkExit(via: peer.exitVia, paths: peer.exitPaths, mode: peer.exitMode, at: entry)
            if !peer.user.isEmpty, !config.users.contains(where: { $0.username == peer.user }) {
                error(entry.appending(key: "user"), "no user is named \(Self.quote(peer.user)); name one of users[] by its username, or leave user out")
            }
        }
        let peerPaths = wg.peers.indices.map { base.appending(key: "peers").appending(index: $0) }
        checkWireGuardAddresses(wg, peerPaths: peerPaths)
        checkDuplicates(zip(wg.peers, peerPaths).map { ($0.name, $1.appending(key: "name")) }, what: "WireGuard peer name")
        checkDuplicates(zip(wg.peers, peerPaths).map { ($0.publicKey, $1.appending(key: "public_key")) }, what: "WireGuard public key")
    }

    /// A source address must name one peer: allowed IPs may not overlap between peers (the
    /// device would give the address to one of them, and the flows' identity with it), nor hold
    /// the node's own tunnel address.
    private mutating func checkWireGuardAddresses(_ wg: WireGuardConfig, peerPaths: [YAMLPath]) {
        let own = IPNetwork(wg.address)
        var seen: [(network: IPNetwork, peer: String)] = []
        for (peer, path) in zip(wg.peers, peerPaths) {
            for network in peer.allowedIPEntries.compactMap({ IPNetwork($0) }) {
                let at = path.appending(key: "allowed_ips")
                if let own, network.holds(own.address) {
                    error(at, "\(network) holds the server's own tunnel address \(own.address); give the peer addresses of its own, as in \(Self.suggestion(after: own))")
                }
                if let other = seen.first(where: { $0.network.overlaps(network) && $0.peer != peer.name }) {
                    error(at, "\(network) overlaps \(other.network) of peer \(Self.quote(other.peer)); each address may belong to one peer only")
                }
                seen.append((network, peer.name))
            }
        }
    }

    /// The enabled VPN services' client pools (WireGuard's tunnel network, IKEv2's and L2TP's
    /// pools) may not overlap: a client's address names the service and the user it came in by,
    /// and two services routing one network would each capture the other's clients.
    mutating func checkPoolsApart() {
        let pools: [(service: String, text: String, enabled: Bool)] = [
            ("wireguard", config.wireGuard?.address ?? "", config.wireGuard?.isEnabled == true),
            ("ikev2", config.ikev2?.pool ?? "", config.ikev2?.isEnabled == true),
            ("l2tp", config.l2tp?.pool ?? "", config.l2tp?.isEnabled == true),
        ]
        var seen: [(service: String, network: IPNetwork)] = []
        for pool in pools where pool.enabled {
            guard let network = IPNetwork(pool.text)?.masked else { continue }
            let key = pool.service == "wireguard" ? "address" : "pool"
            if let other = seen.first(where: { $0.network.overlaps(network) }) {
                error(YAMLPath([.key(pool.service), .key(key)]),
                      "\(network) overlaps \(other.service)'s client network \(other.network); give each VPN service a network of its own")
            }
            seen.append((pool.service, network))
        }
    }

    /// A host address after `network`'s own, for messages: `10.0.0.2/32` after `10.0.0.1/24`.
    private static func suggestion(after network: IPNetwork) -> String {
        var bytes = network.address.bytes
        if let last = bytes.indices.last { bytes[last] = bytes[last] &+ 1 }
        return "\(IPAddress(bytes: bytes).map { "\($0)" } ?? "\(network.address)")/\(network.address.bitCount)"
    }

    mutating func checkRules() {
        if let kept = clean?.allRules, kept == config.rules { return }
        let before = issues.count
        for (i, rule) in config.rules.enumerated() where clean?.rules.contains(rule) != true {
            let found = issues.count
            checkRule(rule, at: YAMLPath(["rules", .index(i)]))
            if issues.count == found { clean?.rules.insert(rule) }
        }
        checkDuplicates(config.rules.map(\.id), what: "rule id") { YAMLPath(["rules", .index($0), "id"]) }
        if issues.count == before { clean?.allRules = config.rules }
    }

    /// The checks of one rule, which read nothing but the rule and the node's names
    /// (``ValidationMemo``).
    private mutating func checkRule(_ rule: RoutingRule, at base: YAMLPath) {
        checkName(rule.id, at: base.appending(key: "id"), what: "rule id")
        let type = RuleType(spelling: rule.type)
        if rule.type.isEmpty {
            error(base.appending(key: "type"), "type is required; use \(RuleType.acceptedList)")
        } else {
            checkEnum(RuleType.self, rule.type, at: base.appending(key: "type"), what: "rule type")
        }
        if rule.targets.isEmpty {
            error(base.appending(key: "targets"), "at least one target is required")
        }
        for (j, target) in rule.targets.enumerated() {
            let path = base.appending(key: "targets").appending(index: j)
            switch type {
            case .ip: checkIPTarget(target, at: path)
            case .domain:
                if !DomainName.isValidRuleTarget(target) {
                    error(path, "\(Self.quote(target)) is not a domain name; use a name such as example.com or *.example.com")
                }
            case nil: break
            }
        }
        if rule.exitVia.isEmpty, !rule.exitPaths.contains(where: { !$0.isEmpty }) {
            error(base.appending(key: "exit_via"), "exit_via is required; use the exit path the rule's traffic leaves through, as in hk/tokyo")
        }
        checkExit(via: rule.exitVia, paths: rule.exitPaths, mode: rule.exitMode, at: base)
        checkFallback(rule.fallback, at: base.appending(key: "fallback"))
    }

    private mutating func checkIPTarget(_ target: String, at path: YAMLPath) {
        if IPAddress(target) != nil || IPNetwork(target) != nil { return }
        if target.contains("-") {
            if case .failure(let failure) = IPRange.check(target) {
                error(path, "\(Self.quote(target)) \(failure.reason)")
            }
            return
        }
        error(path, "\(Self.quote(target)) is not an IP target; use an IP address, a CIDR (10.0.0.0/8) or a range (10.0.0.1-10.0.0.9)")
    }
}
