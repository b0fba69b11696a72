import Addressing
import Inbounds
import LinuxNet
import RuleEngine
import Routing
import ScaleConfig
import Testing

@Suite struct CaptureTableTests {
    private func address(_ text: String) throws -> IPAddress { try #require(IPAddress(text)) }

    private static let rules = [
        CaptureRule(id: "narrow", priority: 10, targets: .addresses([try! AddressRange(parsing: "10.0.0.5")]),
                    exit: ExitRoute(paths: ["jp"])),
        CaptureRule(id: "site", priority: 5, targets: .domains(["site.test"]), exit: ExitRoute(paths: ["us"])),
        CaptureRule(id: "wide", priority: 0, targets: .addresses([try! AddressRange(parsing: "10.0.0.0/8")]),
                    exit: ExitRoute(paths: ["hk"])),
    ]

    @Test func theFirstRuleInPrecedenceHoldingTheDestinationWins() throws {
        let table = CaptureTable()
        #expect(table.route(to: try address("10.0.0.5")) == nil, "nothing before a reconcile installs rules")
        table.install(Self.rules)
        #expect(table.route(to: try address("10.0.0.5"))?.ruleID == "narrow")
        #expect(table.route(to: try address("10.0.0.6"))?.exit == ExitRoute(paths: ["hk"]))
        #expect(table.route(to: try address("192.0.2.1")) == nil)
    }

    @Test func aDomainRuleHoldsWhatDNSTaughtItAndForgetsItWithTheRule() throws {
        let table = CaptureTable()
        table.install(Self.rules)
        table.learn(ruleID: "site", addresses: [try address("10.0.0.9"), try address("2001:db8::9")], ttl: 60)
        #expect(table.route(to: try address("10.0.0.9"))?.ruleID == "site", "site outranks wide")
        #expect(table.route(to: try address("2001:db8::9"))?.ruleID == "site")
        table.learn(ruleID: "gone", addresses: [try address("192.0.2.9")], ttl: 60)
        #expect(table.route(to: try address("192.0.2.9")) == nil, "a rule that is not installed learns nothing")
        table.install(Array(Self.rules.filter { $0.id != "site" }))
        #expect(table.route(to: try address("2001:db8::9")) == nil)
        table.learn(ruleID: "wide", addresses: [try address("192.0.2.8")], ttl: 0)
        #expect(table.route(to: try address("192.0.2.8")) == nil, "an address rule's targets are its ranges only")
    }

    @Test func aNamedHostPicksItsDomainRuleAndIsDialledByName() throws {
        let table = CaptureTable()
        table.install(Self.rules)
        let named = table.route(to: try address("10.0.0.6"), host: "www.site.test")
        #expect(named?.ruleID == "site" && named?.dialsHost == true, "site outranks wide, and its name is dialled")
        let narrow = table.route(to: try address("10.0.0.5"), host: "www.site.test")
        #expect(narrow?.ruleID == "narrow" && narrow?.dialsHost == false, "a higher-priority address rule still wins")
        let other = table.route(to: try address("10.0.0.6"), host: "other.test")
        #expect(other?.ruleID == "wide" && other?.dialsHost == false)
    }

    @Test func anExpiredAnswerNoLongerHolds() throws {
        let table = CaptureTable()
        table.install(Self.rules)
        table.learn(ruleID: "site", addresses: [try address("192.0.2.10")], ttl: 0)
        #expect(table.route(to: try address("192.0.2.10")) == nil)
        table.uninstall()
        #expect(table.installedRules == nil)
    }

    @Test func aGatewayClientsFlowGoesByARuleThatHoldsItsDestinationElseByItsOwnExit() throws {
        let table = CaptureTable()
        let alice = GatewayClient(name: "alice", inbound: .wireguard, addresses: [try AddressRange(parsing: "10.66.0.2")],
                                  exit: ExitRoute(paths: ["us"]))
        let lan = GatewayClient(name: "lan", inbound: .wireguard, addresses: [try AddressRange(parsing: "192.168.9.0/24")],
                                exit: .direct)
        table.install(Self.rules, clients: [alice, lan])
        let own = table.route(from: try address("10.66.0.2"), to: try address("192.0.2.1"), host: nil)
        #expect(own?.exit == ExitRoute(paths: ["us"]) && own?.ruleID == "" && own?.client?.name == "alice")
        #expect(own?.label == "wireguard peer alice")
        let byRule = table.route(from: try address("10.66.0.2"), to: try address("10.0.0.5"), host: nil)
        #expect(byRule?.ruleID == "narrow" && byRule?.client?.name == "alice", "a rule steers VPN clients' traffic too")
        #expect(table.route(from: try address("192.168.9.77"), to: try address("192.0.2.1"), host: nil)?.client?.name == "lan",
                "a routed network behind a peer is that peer")
        #expect(table.route(from: try address("10.66.0.3"), to: try address("192.0.2.1"), host: nil) == nil,
                "an address no peer has goes nowhere")
        #expect(table.route(from: try address("10.66.0.3"), to: try address("10.0.0.5"), host: nil)?.client == nil)
        table.install(Self.rules)
        #expect(table.route(from: try address("10.66.0.2"), to: try address("192.0.2.1"), host: nil) == nil, "a removed peer is no one")
    }

    /// A pool's holders as a VPN daemon would report them: here, a fixed list.
    private struct Holders: GatewayDirectory {
        var users: [String: String]
        func username(at address: IPAddress, of inbound: InboundKind) -> String? {
            inbound == .ikev2 ? users["\(address)"] : nil
        }
    }

    @Test func aPoolsFlowIsTheUserWhoHoldsTheAddressNowAndNoOneElse() throws {
        let table = CaptureTable()
        let pool = GatewayClient(name: "ikev2", inbound: .ikev2, addresses: [try AddressRange(parsing: "10.77.0.0/24")],
                                 exit: ExitRoute(paths: ["default"]), isPool: true)
        table.install(Self.rules, clients: [pool])
        #expect(table.route(from: try address("10.77.0.2"), to: try address("192.0.2.1"), host: nil) == nil,
                "without a directory nobody holds an address")
        table.attach(Holders(users: ["10.77.0.2": "alice"]))
        let route = try #require(table.route(from: try address("10.77.0.2"), to: try address("192.0.2.1"), host: nil))
        #expect(route.client?.username == "alice" && route.client?.name == "alice" && route.label == "ikev2 peer alice")
        #expect(route.client?.addresses == [try AddressRange(parsing: "10.77.0.2")] && route.client?.followsUserExit == true)
        #expect(route.exit == ExitRoute(paths: ["default"]), "the service's default exit until the user's account says otherwise")
        #expect(table.route(from: try address("10.77.0.3"), to: try address("192.0.2.1"), host: nil) == nil,
                "an address nobody holds goes nowhere")
    }
}
