public import LinuxNet

extension RulePlan {
    /// Chains of table `inet hy2scale`, at the mangle priority so capture decides before
    /// anything routes, and srcnat for the exit tunnels' masquerade.
    static let preroutingHook = NftChain.BaseHook(type: .filter, hook: .prerouting, priority: -150)
    static let outputHook = NftChain.BaseHook(type: .route, hook: .output, priority: -150)
    static let postroutingHook = NftChain.BaseHook(type: .nat, hook: .postrouting, priority: 100)

    /// Addresses never captured: loopback, link-local, multicast and broadcast, so the host's own
    /// plumbing keeps working whatever a rule's targets say.
    static let neverCaptured: [String] = [
        "0.0.0.0/8", "127.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4", "255.255.255.255", "::1", "fe80::/10", "ff00::/8",
    ]

    /// The address the transparent listeners of `family` are bound to.
    static func loopback(_ family: IPFamily) -> [UInt8] {
        family == .ipv4 ? [127, 0, 0, 1] : [UInt8](repeating: 0, count: 15) + [1]
    }

    /// A VPN device's capture, first in prerouting so no other rule (the bypass of peers'
    /// addresses included) lets its clients' packets be forwarded: traffic to the node's own
    /// tunnel addresses is accepted, TCP and UDP go to the transparent listeners, the rest is
    /// dropped; before all that, packets to the gateway's IPsec-only ports that came out of no
    /// SA are dropped. Ids and set names end in `4`/`6`, never `_v4_tcp` like a rule's, so no rule id
    /// can collide with them.
    static func capture(_ gateway: GatewayCapture, sets: inout [NftSet], prerouting: inout [NftRule]) throws(NftModelError) {
        let device = gateway.device, part = "gw_\(NftName.part(for: gateway.device))"
        for port in gateway.ipsecOnlyPorts {
            prerouting.append(try NftRule(id: "\(part)_clear\(port)", [.destinationPort(.udp, port), .ipsecMissing, .verdict(.drop)]))
        }
        for family in IPFamily.allCases {
            let own = gateway.ownAddresses.filter { $0.family == family }
            guard !own.isEmpty else { continue }
            let name = "\(part)_self\(family == .ipv4 ? 4 : 6)"
            sets.append(try .intervals(name, of: family, own))
            prerouting.append(try NftRule(id: name, [.inputInterface(device), .destinationIn(set: name, family: family), .verdict(.accept)]))
        }
        for family in IPFamily.allCases {
            for transport in [NftStatement.TransportProtocol.tcp, .udp] {
                // A tproxy of the other family does not match (the kernel breaks the rule), so
                // each packet meets the rule of its own family.
                let port = transport == .tcp ? CaptureEndpoint.tcpPort : CaptureEndpoint.udpPort
                prerouting.append(try NftRule(id: "\(part)_\(transport.rawValue)\(family == .ipv4 ? 4 : 6)", [
                    .inputInterface(device), .transport(transport), .tproxy(address: loopback(family), port: port),
                    .setMark(OwnedNames.captureMark), .verdict(.accept),
                ]))
            }
        }
        prerouting.append(try NftRule(id: "\(part)_drop", [.inputInterface(device), .verdict(.drop)]))
    }

    /// The chain rules that capture TCP and UDP to the addresses of `set`: TPROXY to the
    /// transparent listener in prerouting, the capture mark in output. Their ids are
    /// `<prefix><transport><suffix>`.
    static func capture(set name: String, _ family: IPFamily, ids prefix: String, _ suffix: String,
                        prerouting: inout [NftRule], output: inout [NftRule]) throws(NftModelError) {
        for transport in [NftStatement.TransportProtocol.tcp, .udp] {
            let id = "\(prefix)\(transport.rawValue)\(suffix)"
            let port = transport == .tcp ? CaptureEndpoint.tcpPort : CaptureEndpoint.udpPort
            prerouting.append(try NftRule(id: id, [
                .destinationIn(set: name, family: family), .transport(transport),
                .tproxy(address: loopback(family), port: port), .setMark(OwnedNames.captureMark), .verdict(.accept),
            ]))
            output.append(try NftRule(id: id, [
                .destinationIn(set: name, family: family), .transport(transport),
                .setMark(OwnedNames.captureMark), .verdict(.accept),
            ]))
        }
    }

    /// The name of a domain rule's set for one family: `r_<id>_v4`.
    static func setName(ofRule id: String, _ family: IPFamily) -> String {
        "r_\(NftName.part(for: id))_\(family == .ipv4 ? "v4" : "v6")"
    }

    /// The set of every captured address rule's targets of one family: `captured_v4`. No rule's
    /// set is named so (theirs begin with `r_`).
    static func addressSetName(_ family: IPFamily) -> String {
        "captured_\(family == .ipv4 ? "v4" : "v6")"
    }

    /// Table `inet hy2scale` for the plan and the live exit tunnels; `nil` when neither needs
    /// one, so a node without rules or tunnels has no table at all.
    ///
    /// - prerouting: packets to a captured rule's addresses are handed by TPROXY to the
    ///   transparent listener of their transport and marked, so policy routing delivers them
    ///   locally; a tunnel's packets mark their connection, and replies get its mark.
    /// - output: this host's own packets to those addresses are marked, so they are routed back
    ///   in through loopback and meet prerouting; sockets of hy2scale carry the bypass mark.
    /// - postrouting: what the exit tunnels forward is masqueraded.
    ///
    /// Every captured packet meets the same statement whichever rule it belongs to (the
    /// transparent listener finds the rule), so the address rules' targets make one interval set
    /// per family and four chain rules in all: ten thousand rules of ten targets load in a
    /// fraction of a second and cost a packet one set look-up, not a walk through forty thousand
    /// chain rules. A domain rule keeps a set of its own, which the DNS forwarder fills.
    public func table(exitSlots: Set<Int>) throws(NftModelError) -> NftTable? {
        guard capturesAnything || !exitSlots.isEmpty else { return nil }
        var sets: [NftSet] = []
        var prerouting: [NftRule] = []
        var output: [NftRule] = []
        for gateway in gateways {
            try Self.capture(gateway, sets: &sets, prerouting: &prerouting)
        }
        if !captured.isEmpty {
            output.append(try NftRule(id: "own", [.markEquals(OwnedNames.bypassMark), .verdict(.return)]))
            let never = try Self.neverCaptured.map { entry throws(NftModelError) in try AddressRange(parsing: entry) } + bypass
            for family in IPFamily.allCases {
                let name = "bypass_\(family == .ipv4 ? "v4" : "v6")"
                sets.append(try .intervals(name, of: family, never.filter { $0.family == family }))
                let skip = try NftRule(id: name, [.destinationIn(set: name, family: family), .verdict(.return)])
                prerouting.append(skip)
                output.append(skip)
            }
        }
        let addresses = captured.flatMap { rule -> [AddressRange] in
            if case .addresses(let ranges) = rule.targets { return ranges }
            return []
        }
        for family in IPFamily.allCases {
            let own = addresses.filter { $0.family == family }
            guard !own.isEmpty else { continue }
            let name = Self.addressSetName(family)
            sets.append(try .intervals(name, of: family, own))
            try Self.capture(set: name, family, ids: "captured_", "\(family == .ipv4 ? 4 : 6)",
                             prerouting: &prerouting, output: &output)
        }
        for rule in captured where rule.isDomainRule {
            for family in IPFamily.allCases {
                let name = Self.setName(ofRule: rule.id, family)
                sets.append(try .timeouts(name, of: family))
                try Self.capture(set: name, family, ids: "\(name.dropFirst(2))_", "", prerouting: &prerouting, output: &output)
            }
        }
        var postrouting: [NftRule] = []
        for slot in exitSlots.sorted() {
            let device = TunnelExits.deviceName(slot), mark = OwnedNames.exitMark(slot)
            prerouting.append(try NftRule(id: "exit\(slot)_in", [.inputInterface(device), .setConnectionMark(mark), .verdict(.accept)]))
            prerouting.append(try NftRule(id: "exit\(slot)_back", [.connectionMarkEquals(mark), .setMark(mark)]))
            postrouting.append(try NftRule(id: "exit\(slot)_nat", [.inputInterface(device), .masquerade]))
        }
        var chains = [try NftChain(name: "prerouting", hook: Self.preroutingHook, rules: prerouting)]
        if !output.isEmpty { chains.append(try NftChain(name: "output", hook: Self.outputHook, rules: output)) }
        if !postrouting.isEmpty { chains.append(try NftChain(name: "postrouting", hook: Self.postroutingHook, rules: postrouting)) }
        return try NftTable(sets: sets, chains: chains)
    }
}
