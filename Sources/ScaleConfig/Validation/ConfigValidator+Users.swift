import Addressing
import YAMLDocument

extension ConfigValidator {
    mutating func checkUsers() {
        func check(_ user: User, _ i: Int) -> Bool {
            let found = issues.count
            checkUser(user, at: YAMLPath(["users", .index(i)]))
            return issues.count == found
        }
        if var kept = clean?.users {
            clean?.users = .init()  // not a second reference: the update is in place
            kept.update(to: config.users) { check($0, $1) }
            clean?.users = kept
            guard kept.ids.repeated > 0 || kept.usernames.repeated > 0 else { return }
        } else {
            for (i, user) in config.users.enumerated() { _ = check(user, i) }
        }
        checkDuplicates(config.users.map(\.id), what: "user id") { YAMLPath(["users", .index($0), "id"]) }
        checkDuplicates(config.users.map(\.username), what: "username") { YAMLPath(["users", .index($0), "username"]) }
    }

    /// The checks of one user that read nothing but the user, the server password and the
    /// node's names (``ValidationMemo``).
    private mutating func checkUser(_ user: User, at base: YAMLPath) {
        let serverPassword = config.server?.password ?? ""
        checkName(user.id, at: base.appending(key: "id"), what: "user id")
        if user.username.isEmpty {
            error(base.appending(key: "username"), "username is required")
        } else if user.username.containsControl {
            error(base.appending(key: "username"), "username contains a control character; use printable characters only")
        }
        if user.password.isEmpty {
            error(base.appending(key: "password"), "password is required")
        } else if !serverPassword.isEmpty, user.password == serverPassword {
            // reference-api §6.2: peers log in with the server password; a user may not share it.
            error(base.appending(key: "password"), "user password equals the hy2 server password; pick a different password")
        }
        for key in user.protocolPasswords.keys.sorted() {
            let path = base.appending(key: "proxy_passwords").appending(key: key)
            checkEnum(PasswordProtocolKey.self, key, at: path, what: "proxy_passwords key")
            // reference-api §9 item 13: the v1.3 check missed the per-protocol hy2 password.
            if key == PasswordProtocolKey.hy2.rawValue, !serverPassword.isEmpty,
               user.protocolPasswords[key] == serverPassword {
                error(path, "the hy2 password equals the hy2 server password; pick a different password")
            }
        }
        for (j, key) in user.disabledProtocols.enumerated() {
            checkEnum(ProtocolKey.self, key, at: base.appending(key: "proxy_disabled").appending(index: j), what: "protocol")
        }
        checkExit(via: user.exitVia, paths: user.exitPaths, mode: user.exitMode, at: base)
        checkFallback(user.fallback, at: base.appending(key: "fallback"))

        let quotaPath = base.appending(key: user.quotaKey)
        if user.trafficLimitBytes < 0 {
            error(quotaPath, "the traffic limit is negative; use 0 for unlimited or a positive number")
        }
        if user.quotaSpelling == .bytes {
            notice(quotaPath, "traffic_limit (bytes) is the hy2scale v1.3 spelling; traffic_limit_gb (GiB) is preferred")
        }
        let expiryPath = base.appending(key: user.expiryKey)
        if !user.expiry.isEmpty, ExpiryDate.parse(user.expiry) == nil {
            error(expiryPath, "\(Self.quote(user.expiry)) is not a date; \(ExpiryDate.acceptedForm)")
        }
        if user.expirySpelling == .expiryDate {
            notice(expiryPath, "expiry_date is the hy2scale v1.3 spelling; expiry is preferred")
        }
        for key in user.shadowedAliasKeys {
            let canonical = key == "traffic_limit" ? "traffic_limit_gb" : "expiry"
            error(base.appending(key: key), "both \(canonical) and \(key) are set; keep only \(canonical)")
        }
        if user.legacyTrafficUsed != nil {
            notice(base.appending(key: "traffic_used"), "traffic_used is runtime state; it moves to the state directory and can be removed from the file")
        }
    }

    mutating func checkProxies() {
        for (i, proxy) in config.proxies.enumerated() {
            let base = YAMLPath(["proxies", .index(i)])
            checkName(proxy.id, at: base.appending(key: "id"), what: "proxy id")
            checkEnum(ProxyProtocol.self, proxy.protocolName, at: base.appending(key: "protocol"), what: "proxy protocol")
            checkEnum(ProxyAuthMode.self, proxy.auth, at: base.appending(key: "auth"), what: "proxy auth mode")
            if proxy.listen.isEmpty {
                error(base.appending(key: "listen"), "listen is required; \(ListenAddress.acceptedForm)")
            } else {
                checkListen(proxy.listen, at: base.appending(key: "listen"))
            }
            if !proxy.tlsCertificateID.isEmpty {
                checkCertificateID(proxy.tlsCertificateID, at: base.appending(key: "tls_cert"))
            }
            checkExit(via: proxy.exitVia, paths: proxy.exitPaths, mode: proxy.exitMode, at: base)
        }
        checkDuplicates(config.proxies.enumerated().map { ($0.element.id, YAMLPath(["proxies", .index($0.offset), "id"])) }, what: "proxy id")
    }

    mutating func checkClients() {
        var addresses: [(String, YAMLPath)] = []
        for (i, client) in config.clients.enumerated() {
            let base = YAMLPath(["clients", .index(i)])
            checkName(client.name, at: base.appending(key: "name"), what: "peer name")
            if selfNames.contains(client.name) {
                error(base.appending(key: "name"), "\(Self.quote(client.name)) is this node's own name; use the remote node's name")
            }
            if client.address.isEmpty {
                error(base.appending(key: "addr"), "addr is required; use HOST:PORT")
            } else {
                checkListen(client.address, at: base.appending(key: "addr"), allowsPortHopping: true, requiresHost: true)
                addresses.append((client.address, base.appending(key: "addr")))
            }
            for (j, address) in client.addresses.enumerated() {
                checkListen(address, at: base.appending(key: "addrs").appending(index: j), allowsPortHopping: true, requiresHost: true)
            }
            if client.password.isEmpty {
                error(base.appending(key: "password"), "password is required; use the remote node's server password")
            }
            checkEnum(BBRProfile.self, client.bbrProfile, at: base.appending(key: "bbr_profile"), what: "BBR profile")
            let counters: [(String, Int)] = [
                ("max_tx", client.maxTransmitRate), ("max_rx", client.maxReceiveRate),
                ("init_stream_window", client.initialStreamWindow), ("max_stream_window", client.maxStreamWindow),
                ("init_conn_window", client.initialConnectionWindow), ("max_conn_window", client.maxConnectionWindow),
            ]
            for (key, value) in counters { checkNonNegative(value, at: base.appending(key: key)) }
        }
        checkDuplicates(config.clients.enumerated().map { ($0.element.name, YAMLPath(["clients", .index($0.offset), "name"])) }, what: "peer name")
        checkDuplicates(addresses, what: "peer address")
    }
}
