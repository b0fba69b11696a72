import Assembly
import LinuxNet
import Routing
import RuleEngine
import ScaleConfig
import Testing

/// The desired kernel state of rules: pure functions of the config, checked without a kernel.
@Suite struct RulePlanTests {
    private static func config(_ rules: [RoutingRule], clients: [OutboundPeer] = [], legacyTun: Bool = false) -> Config {
        Config(clients: clients, rules: rules, legacyTunMode: legacyTun ? TunModeConfig(isEnabled: true) : nil)
    }

    private static let web = RoutingRule(id: "web", type: "ip", targets: ["10.9.0.0/24", "2001:db8::/64"], exitVia: "b",
                                         isEnabled: true, priority: 5)
    private static let site = RoutingRule(id: "site-1", type: "domain", targets: ["site.test"], exitVia: "b", isEnabled: true)
    private static let tunnel = RoutingRule(id: "tun", type: "ip", targets: ["10.8.0.1-10.8.0.6"], exitVia: "b",
                                            isEnabled: true, priority: 20, usesTun: true)

    @Test func noEnabledRuleAndNoTunnelMeansNoTableAndNoRoutes() throws {
        var off = Self.web
        off.isEnabled = false
        let plan = RulePlan(config: Self.config([off]), tunnelsAvailable: true)
        #expect(try plan.table(exitSlots: []) == nil)
        #expect(plan.routingEntries(exitSlots: []).isEmpty)
    }

    @Test func addressRulesShareOneSetPerFamilyAndEachDomainRuleHasItsOwn() throws {
        let peer = OutboundPeer(name: "b", address: "192.0.2.7:5565")
        let office = RoutingRule(id: "office", type: "ip", targets: ["10.9.0.128/25", "10.30.0.1"], exitVia: "b", isEnabled: true)
        let plan = RulePlan(config: Self.config([Self.site, Self.web, office], clients: [peer]), tunnelsAvailable: true)
        #expect(plan.captured.map(\.id) == ["web", "office", "site-1"])  // priority 5 before 0, then by id
        let table = try #require(try plan.table(exitSlots: []))
        let sets = Dictionary(uniqueKeysWithValues: table.sets.map { ($0.name, $0) })
        // Overlapping targets of two rules merge: the listener, not the set, tells the rules apart.
        #expect(sets["captured_v4"]?.elements.map(\.description) == ["10.9.0.0/24", "10.30.0.1"])
        #expect(sets["captured_v6"]?.elements.map(\.description) == ["2001:db8::/64"])
        #expect(!sets.keys.contains { $0.hasPrefix("r_web") || $0.hasPrefix("r_office") })
        // "site-1" is not a set name part as it stands: its safe characters and a hash are.
        let siteSets = sets.values.filter { $0.name.hasPrefix("r_site1_") }
        #expect(siteSets.count == 2 && siteSets.allSatisfy { $0.kind == .timeouts })
        #expect(sets["bypass_v4"]?.elements.map(\.description).contains("192.0.2.7") == true, "a peer is never captured")
        let prerouting = try #require(table.chains.first { $0.name == "prerouting" })
        #expect(prerouting.rules.first?.text == "ip daddr @bypass_v4 return")
        #expect(prerouting.rules.map(\.id).prefix(6) == ["bypass_v4", "bypass_v6", "captured_tcp4", "captured_udp4",
                                                          "captured_tcp6", "captured_udp6"])
        #expect(prerouting.rules.count == 2 + 4 + 4, "bypasses, the address set's four, the domain rule's four")
        #expect(prerouting.rules[2].text == "ip daddr @captured_v4 meta l4proto tcp tproxy ip to 127.0.0.1:12380 meta mark set 0x00006879 accept")
        #expect(prerouting.rules.last?.id.hasPrefix("site1_") == true)
        let output = try #require(table.chains.first { $0.name == "output" })
        #expect(output.rules.first?.text == "meta mark 0x00006878 return", "hy2scale's own sockets are never captured")
    }

    @Test func aWireGuardServerIsCapturedFirstByDeviceWithItsOwnAddressLeftAloneAndTheRestDropped() throws {
        let alice = WireGuardPeer(name: "alice", publicKey: "k", allowedIPs: "10.66.0.2/32, fd66::2/128", exitVia: "b")
        var config = Self.config([Self.web])
        config.wireGuard = WireGuardConfig(isEnabled: true, privateKey: "k", address: "10.66.0.1/24", peers: [alice])
        let plan = RulePlan(config: config, tunnelsAvailable: true)
        #expect(plan.gateways.map(\.device) == ["hy2wg0"])
        #expect(plan.gateways.first?.clients.map(\.exit) == [ExitRoute(paths: ["b"])])
        let table = try #require(try plan.table(exitSlots: []))
        #expect(table.sets.first { $0.name == "gw_hy2wg0_self4" }?.elements.map(\.description) == ["10.66.0.1"])
        let prerouting = try #require(table.chains.first { $0.name == "prerouting" })
        // Before the bypass: a mesh peer's address is no way around the gateway for its clients.
        #expect(prerouting.rules.prefix(6).map(\.text) == [
            "iifname \"hy2wg0\" ip daddr @gw_hy2wg0_self4 accept",
            "iifname \"hy2wg0\" meta l4proto tcp tproxy ip to 127.0.0.1:12380 meta mark set 0x00006879 accept",
            "iifname \"hy2wg0\" meta l4proto udp tproxy ip to 127.0.0.1:12381 meta mark set 0x00006879 accept",
            "iifname \"hy2wg0\" meta l4proto tcp tproxy ip6 to [::1]:12380 meta mark set 0x00006879 accept",
            "iifname \"hy2wg0\" meta l4proto udp tproxy ip6 to [::1]:12381 meta mark set 0x00006879 accept",
            "iifname \"hy2wg0\" drop",
        ])
        #expect(prerouting.rules[6].id == "bypass_v4")
        #expect(plan.captureEndpoints.count == 4, "a client with an IPv6 address needs the IPv6 listeners")

        // The gateway alone: listeners, the policy route and the table, without the rules' output chain.
        config.rules = []
        let alone = RulePlan(config: config, tunnelsAvailable: true)
        let aloneTable = try #require(try alone.table(exitSlots: []))
        #expect(aloneTable.chains.map(\.name) == ["prerouting"])
        #expect(!alone.routingEntries(exitSlots: []).isEmpty)
        config.wireGuard?.isEnabled = false
        #expect(try RulePlan(config: config, tunnelsAvailable: true).table(exitSlots: []) == nil)
    }

    @Test func tunRulesRouteAsCIDRBlocksAndStayOutOfCapture() throws {
        let plan = RulePlan(config: Self.config([Self.web, Self.tunnel]), tunnelsAvailable: true)
        #expect(plan.tunnelled.map(\.id) == ["tun"])
        let table = try #require(try plan.table(exitSlots: []))
        #expect(!table.sets.contains { $0.name.hasPrefix("r_tun") })
        #expect(table.sets.first { $0.name == "captured_v4" }?.elements.map(\.description) == ["10.9.0.0/24"])
        let rules = plan.routingEntries(exitSlots: []).compactMap { entry -> PolicyRule? in
            if case .rule(let rule) = entry, rule.table == OwnedNames.tunRouteTable { return rule }
            return nil
        }
        #expect(Set(rules.map(\.selector.description)) == ["to 10.8.0.1", "to 10.8.0.2/31", "to 10.8.0.4/31", "to 10.8.0.6"])
        #expect(Set(rules.map(\.priority)) == [OwnedNames.tunPriority(forRulePriority: 20)])
    }

    @Test func withoutTUNDevicesAUseTunRuleIsCapturedInstead() {
        let plan = RulePlan(config: Self.config([Self.tunnel]), tunnelsAvailable: false)
        #expect(plan.tunnelled.isEmpty)
        #expect(plan.captured.map(\.id) == ["tun"])
    }

    @Test func theLegacyTunModeSendsEveryIPRuleThroughTheDevice() {
        let plan = RulePlan(config: Self.config([Self.web, Self.site], legacyTun: true), tunnelsAvailable: true)
        #expect(plan.tunnelled.map(\.id) == ["web"])
        #expect(plan.captured.map(\.id) == ["site-1"])
    }

    @Test func anExitTunnelMarksItsConnectionsRoutesRepliesBackAndMasquerades() throws {
        let plan = RulePlan(config: Self.config([]), tunnelsAvailable: true)
        let table = try #require(try plan.table(exitSlots: [3]))
        #expect(table.sets.isEmpty)
        let prerouting = try #require(table.chains.first { $0.name == "prerouting" })
        #expect(prerouting.rules.map(\.text) == [
            "iifname \"hy2exit3\" ct mark set 0x00006903 accept", "ct mark 0x00006903 meta mark set 0x00006903",
        ])
        #expect(table.chains.first { $0.name == "postrouting" }?.rules.map(\.text) == ["iifname \"hy2exit3\" masquerade"])
        let entries = plan.routingEntries(exitSlots: [3]).map(\.description)
        #expect(entries.contains("route 0.0.0.0/0 dev hy2exit3 table 6903"))
        #expect(entries.contains("rule 6899: fwmark 0x6903 lookup 6903 (ipv4)"))
    }

    @Test func tunPrioritiesFollowRulePriorityInsideTheBand() {
        let numbers = [-100, -1, 0, 1, 48, 1000].map(OwnedNames.tunPriority(forRulePriority:))
        #expect(numbers == numbers.sorted(by: >), "a higher rule priority is consulted first")
        #expect(numbers.allSatisfy { OwnedNames.rulePriorities.contains($0) && $0 != OwnedNames.capturePriority && $0 != OwnedNames.exitPriority })
    }

    @Test func anEditOutsideTheRulesKeepsThePlanAndItsArraysSoWhatWasInstalledComparesAtOnce() throws {
        let plans = RulePlans()
        var config = Self.config([Self.web, Self.site])
        let first = plans.plan(for: config, tunnelsAvailable: true)
        config.webPassword = "rehashed"
        let second = plans.plan(for: config, tunnelsAvailable: true)
        #expect(second == first)
        #expect(Self.storage(of: second.captured) == Self.storage(of: first.captured),
                "the same array, not an equal copy: the capture driver compares its installed rules with it")
        config.rules[0].targets.append("10.10.0.1")
        let third = plans.plan(for: config, tunnelsAvailable: true)
        #expect(third != first, "a changed rule makes a new plan")
    }

    private static func storage<T>(of array: [T]) -> UnsafeRawPointer? {
        array.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
    }
}
