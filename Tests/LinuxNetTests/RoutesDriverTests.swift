import LinuxNet
import Reconciler
import TestSupport
import Testing

/// The routes driver against a real kernel, in a throwaway namespace.
@Suite(.enabled(if: NetworkNamespaces.areAvailable, "needs root and `ip netns`"))
struct RoutesDriverTests {
    private static let capture: [RoutingEntry] = [
        .route(Route(kind: .local, table: OwnedNames.captureRouteTable, destination: .any(.ipv4), device: "lo")),
        .route(Route(kind: .local, table: OwnedNames.captureRouteTable, destination: .any(.ipv6), device: "lo")),
        .rule(PolicyRule(family: .ipv4, priority: OwnedNames.capturePriority,
                         selector: .mark(OwnedNames.captureMark), table: OwnedNames.captureRouteTable)),
        .rule(PolicyRule(family: .ipv6, priority: OwnedNames.capturePriority,
                         selector: .mark(OwnedNames.captureMark), table: OwnedNames.captureRouteTable)),
    ]

    private func withHost(_ body: (NetworkNamespaces, AnyDriver<[RoutingEntry]>) async throws -> Void) async throws {
        try await NetworkNamespaces.with(hosts: ["gw"]) { hosts in
            let netlink = try Rtnetlink(namespacePath: hosts.path("gw"))
            try await body(hosts, AnyDriver(RoutesDriver(netlink: netlink, wanted: { $0 })))
        }
    }

    @Test func capturesMarkedPacketsAndConvergesOnce() async throws {
        try await withHost { hosts, driver in
            let first = await driver.reconcile(towards: Self.capture)
            #expect(first.failed.isEmpty)
            #expect(first.applied.count == 4)
            let rules = try await hosts.exec(in: "gw", "ip", ["-4", "rule", "show"])
            #expect(rules.contains("6800:\tfrom all fwmark 0x6879 lookup 6879"))
            let routes = try await hosts.exec(in: "gw", "ip", ["-6", "route", "show", "table", "6879"])
            #expect(routes.contains("local default dev lo"))
            #expect(try await driver.plan(for: Self.capture).isEmpty)
        }
    }

    @Test func repairsAManualDeletionAndLeavesForeignRulesAlone() async throws {
        try await withHost { hosts, driver in
            _ = await driver.reconcile(towards: Self.capture)
            try await hosts.exec(in: "gw", "ip", ["-4", "rule", "del", "priority", "6800"])
            try await hosts.exec(in: "gw", "ip", ["-4", "rule", "add", "fwmark", "0x1", "lookup", "100", "priority", "100"])
            try await hosts.exec(in: "gw", "ip", ["-4", "route", "add", "local", "10.1.0.0/16", "dev", "lo", "table", "100"])
            #expect(try await driver.plan(for: Self.capture) == ["+ rule 6800: fwmark 0x6879 lookup 6879 (ipv4)"])
            #expect(await driver.reconcile(towards: Self.capture).failed.isEmpty)
            #expect(try await driver.plan(for: Self.capture).isEmpty)

            let teardown = await driver.reconcile(towards: nil)
            #expect(teardown.applied.count == 4)
            let rules = try await hosts.exec(in: "gw", "ip", ["-4", "rule", "show"])
            #expect(!rules.contains("6879"))
            #expect(rules.contains("100:\tfrom all fwmark 0x1 lookup 100"))
            #expect(try await hosts.exec(in: "gw", "ip", ["-4", "route", "show", "table", "100"]).contains("10.1.0.0/16"))
        }
    }

    @Test func aRouteToAMissingDeviceFailsAndIsRetried() async throws {
        try await withHost { _, driver in
            let tun = [RoutingEntry.route(Route(kind: .unicast, table: OwnedNames.tunRouteTable,
                                                destination: .any(.ipv4), device: "hy2tun0"))]
            let report = await driver.reconcile(towards: tun)
            #expect(report.failed.count == 1)
            #expect(report.failed.first?.contains("no interface hy2tun0") == true)
            let retried = try await driver.plan(for: tun)
            #expect(retried.count == 1)
        }
    }
}
