import Addressing
import YAMLDocument

extension ConfigValidator {
    /// Caps above which the nested-discovery limits are clamped (reference-api §2.1, §2.15).
    static var nestedLimitCaps: [(key: String, keyPath: KeyPath<Config, Int>, cap: Int)] {
        [
        ("max_nested_depth", \.maxNestedDepth, NestedLimits.depthCap),
        ("max_response_nodes", \.maxResponseNodes, NestedLimits.responseNodesCap),
        ("max_cache_entries", \.maxCacheEntries, NestedLimits.cacheEntriesCap),
        ("max_response_bytes", \.maxResponseBytes, NestedLimits.responseBytesCap),
        ("max_fetch_fan_out", \.maxFetchFanOut, NestedLimits.fetchFanOutCap),
        ]
    }

    mutating func checkTopLevel() {
        if !config.name.isEmpty {
            if config.name.contains("/") || config.name.containsWhitespaceOrControl {
                error(["name"], "\(Self.quote(config.name)) is not a valid node name; use a name without /, spaces or control characters")
            }
        }
        if let nodeID = config.nodeID, nodeID.contains("/") || nodeID.containsWhitespaceOrControl {
            error(["node_id"], "\(Self.quote(nodeID)) is not a valid node id; use a name without /, spaces or control characters")
        }
        if !config.uiListen.isEmpty {
            checkListen(config.uiListen, at: ["ui_listen"])
        }
        if !config.uiBasePath.isEmpty,
           config.uiBasePath.containsWhitespaceOrControl || config.uiBasePath.contains(where: { "?#%\\".contains($0) }) {
            error(["ui_base_path"], "\(Self.quote(config.uiBasePath)) is not a base path; use a URL path such as /scale")
        }
        if !config.httpsCertificateID.isEmpty {
            checkCertificateID(config.httpsCertificateID, at: ["https_cert_id"])
        }
        if !AdminPassword.isStoredForm(config.webPassword) {
            // The value is never quoted: it is a secret, or close to one.
            error(["web_password"], "not a stored admin password (a pbkdf2-sha256$… hash or a 64-character hex SHA-256); \(AdminPassword.acceptedForm)")
        }
        if !(0...Config.maximumSessionTimeoutHours).contains(config.sessionTimeoutHours) {
            error(["session_timeout_h"], "\(config.sessionTimeoutHours) hours is not a session timeout; use 0 for the default (12) or up to \(Config.maximumSessionTimeoutHours) (ten years)")
        }
        for limit in Self.nestedLimitCaps {
            let value = config[keyPath: limit.keyPath]
            let path = YAMLPath([.key(limit.key)])
            if value < 0 {
                error(path, "\(value) is negative; use 0 for the default or a number up to \(limit.cap)")
            } else if value > limit.cap {
                notice(path, "\(value) is above the cap of \(limit.cap) and will be clamped to it")
            }
        }
        for (i, server) in CommaList.splitCommasOrSpaces(config.dns).enumerated() where DNSServer(server) == nil {
            error(["dns"], "\(Self.quote(server)) (entry \(i + 1)) is not a DNS server; use IP addresses, optionally with a port (1.1.1.1:53, [2606:4700::1111]:53), separated by commas")
        }
        let resolver = YAMLPath(["dns_resolver"])
        checkNonNegative(config.dnsResolver.cacheTTL, at: resolver.appending(key: "cache_ttl"))
        checkNonNegative(config.dnsResolver.negativeTTL, at: resolver.appending(key: "negative_ttl"))
        checkNonNegative(config.dnsResolver.cacheSize, at: resolver.appending(key: "cache_size"))
        checkNonNegative(config.dnsResolver.queryTimeoutMilliseconds, at: resolver.appending(key: "query_timeout_ms"))
        if !config.dnsResolver.listen.isEmpty {
            checkListen(config.dnsResolver.listen, at: resolver.appending(key: "listen"))
        }

        // DECISIONS #1: runtime facts move to the state directory.
        if config.legacyGraphLayout != nil {
            notice(["graph_layout"], "graph_layout is runtime state; it moves to the state directory and can be removed from the file")
        }
        if let tun = config.legacyTunMode {
            checkEnum(TunMode.self, tun.mode, at: ["tun_mode", "mode"], what: "TUN mode")
            if tun.isEnabled {
                notice(["tun_mode", "enabled"], "tun_mode is a hy2scale v1.3 setting; it is applied as use_tun: true on every ip rule, so write that instead")
            } else {
                notice(["tun_mode"], "tun_mode is a hy2scale v1.3 setting and has no effect; remove it")
            }
        }
        if config.legacySOCKS5 != nil {
            notice(["socks5"], "the top-level socks5 section is a hy2scale v1.3 leftover and is ignored; declare SOCKS5 listeners under proxies")
        }
    }

    mutating func checkServer() {
        guard let server = config.server else { return }
        let base = YAMLPath(["server"])
        if !server.listen.isEmpty {
            checkListen(server.listen, at: base.appending(key: "listen"), allowsPortHopping: true)
            // reference-api §6.2: at least 6 characters when the server listens.
            if server.password.isEmpty {
                // An empty password is filled in by `hy2scale serve` on start (DECISIONS #3).
                notice(base.appending(key: "password"), "empty: `hy2scale serve` generates a random password and writes it here")
            } else if server.password.count < 6 {
                error(base.appending(key: "password"), "server password is too short; use at least 6 characters")
            }
        }
        if let obfuscation = server.obfuscation {
            let path = base.appending(key: "obfs")
            if obfuscation.type != ObfuscationConfig.salamander {
                error(path.appending(key: "type"), "unknown obfuscation \(Self.quote(obfuscation.type)); the only one is salamander")
            }
            if obfuscation.password.utf8.count < 4 {
                error(path.appending(key: "password"), "the obfuscation password needs at least 4 characters; clients must use the same one")
            }
        }
        for (key, file) in [("tls_cert", server.tlsCertificatePath), ("tls_key", server.tlsKeyPath)] where !file.isEmpty {
            if !context.fileExists(file) {
                error(base.appending(key: key), "file \(Self.quote(file)) does not exist; use the path of a PEM file, or leave it empty for a generated certificate")
            }
        }
    }

    mutating func checkPeerFlags() {
        for key in config.peers.keys.sorted() {
            let path = YAMLPath(["peers", .key(key)])
            if key.isEmpty {
                error(path, "a peer key is empty; use a peer name or a path such as hk/tokyo")
            } else if case .failure(let failure) = ExitPath.parse(key, selfNames: selfNames) {
                error(path, "key \(Self.quote(key)) \(failure.reason)")
            }
        }
    }
}
