import Foundation
@testable import LinuxNet
import Reconciler
import Testing
import TestSupport

@Suite(.enabled(if: NetworkNamespaces.areAvailable, "needs root and `ip netns` to run nftables in a throwaway namespace"))
struct NftablesDriverTests {
    @Test("from empty, one reconcile builds the table; observing gives back what was wanted; a second plan is empty")
    func createFromEmpty() async throws {
        try await NftNamespace.with { ns in
            let table = try NftSamples.table()
            #expect(try await ns.driver.observe().isEmpty)
            let outcomes = try await ns.reconcile(table)
            #expect(!outcomes.isEmpty && outcomes.allSatisfy { !$0.isFailure }, "\(outcomes)")
            let observed = try await ns.driver.observe()
            #expect(Set(observed) == Set(table.resources))
            #expect(try await ns.plan(table).isEmpty)
            #expect(try await ns.reconcile(table).isEmpty)
        }
    }

    @Test("nft itself lists our sets, elements, chains and every rule with its comment, in nft's words")
    func nftListing() async throws {
        try await NftNamespace.with { ns in
            let table = try NftSamples.table()
            try await ns.reconcile(table)
            for set in table.sets where set.kind == .intervals {
                #expect(try await ns.elements(of: set.name) == set.elements.map(\.description))
            }
            let items = try await ns.listing()
            let sets = items.compactMap { $0["set"] as? [String: Any] }
            #expect(Set(sets.compactMap { $0["name"] as? String }) == ["r_web_v4", "r_web_v6", "d_media_v4"])
            #expect(sets.first { $0["name"] as? String == "d_media_v4" }?["flags"] as? [String] == ["timeout"])
            let chains = items.compactMap { $0["chain"] as? [String: Any] }
            let prerouting = try #require(chains.first { $0["name"] as? String == "prerouting" })
            #expect(prerouting["hook"] as? String == "prerouting" && prerouting["prio"] as? Int == -150)
            let comments = items.compactMap { ($0["rule"] as? [String: Any])?["comment"] as? String }
            #expect(comments == table.chains.flatMap { chain in chain.rules.map(table.comment(for:)) }
                .sorted { a, b in comments.firstIndex(of: a) ?? 0 < comments.firstIndex(of: b) ?? 0 })
            let text = try await ns.nft("list", "table", "inet", "hy2scale")
            for chain in table.chains {
                for rule in chain.rules {
                    #expect(text.contains("\(rule.text) comment \"\(table.comment(for: rule))\""), "nft shows rule \(rule.id) differently:\n\(text)")
                }
            }
        }
    }

    @Test("a one-element change sends only that element and leaves the others in place")
    func elementLevelUpdate() async throws {
        try await NftNamespace.with { ns in
            try await ns.reconcile(try NftSamples.table())
            let changed = try NftSamples.table(web: NftSamples.web.filter { $0 != "172.16.0.1" } + ["10.20.0.0/16"])
            let plan = try await ns.plan(changed)
            #expect(plan.changes.map(\.description) == ["~ set r_web_v4: +1 -1 (+10.20.0.0/16, -172.16.0.1)"])
            #expect(NftOperation.operations(for: plan).count == 2)
            #expect(try await ns.reconcile(changed).allSatisfy { !$0.isFailure })
            #expect(try await ns.elements(of: "r_web_v4") == ["10.9.0.0/23", "10.20.0.0/16", "192.168.5.1-192.168.5.20"])
            #expect(try await ns.plan(changed).isEmpty)
            // A range that grows over a neighbour: the old one goes and the merged one comes, in one batch.
            let grown = try NftSamples.table(web: ["10.9.0.0/22", "10.20.0.0/16", "192.168.5.1-192.168.5.20"])
            #expect(try await ns.reconcile(grown).allSatisfy { !$0.isFailure })
            #expect(try await ns.elements(of: "r_web_v4") == ["10.9.0.0/22", "10.20.0.0/16", "192.168.5.1-192.168.5.20"])
            #expect(try await ns.plan(grown).isEmpty)
        }
    }

    @Test("what the driver remembers after its own batches is what the kernel lists, rule handles included")
    func rememberedTableIsTheKernels() async throws {
        try await NftNamespace.with { ns in
            let tables = [
                try NftSamples.table(),
                try NftSamples.table(web: NftSamples.web + ["10.30.0.0/16"]),
                try NftSamples.table(web: ["10.9.0.0/22"], webKind: .timeouts),
                try NftSamples.table(),
            ]
            for table in tables {
                #expect(try await ns.reconcile(table).allSatisfy { !$0.isFailure })
                let remembered = try await ns.driver.observe()
                let read = try NftTableReader(socket: ns.socket).read()
                #expect(Set(remembered) == Set(read))
                // Rules compare by comment; the handles a later deletion needs must match too.
                func handles(_ resources: [NftResource]) -> [String: [UInt64?]] {
                    Dictionary(uniqueKeysWithValues: resources.compactMap {
                        if case .chain(let chain) = $0 { (chain.name, chain.rules.map(\.handle)) } else { nil }
                    })
                }
                #expect(handles(remembered) == handles(read))
                #expect(handles(read).values.allSatisfy { $0.allSatisfy { $0 != nil } })
                #expect(try await ns.plan(table).isEmpty)
            }
            try await ns.reconcile(nil)
            #expect(try await ns.driver.observe().isEmpty)
        }
    }

    @Test("edits made by hand inside the table are seen and repaired by one reconcile",
          arguments: [
              ["add", "rule", "inet", "hy2scale", "prerouting", "meta", "mark", "7", "accept"],
              ["delete", "element", "inet", "hy2scale", "r_web_v4", "{ 172.16.0.1 }"],
              ["flush", "set", "inet", "hy2scale", "r_web_v4"],
              ["add", "element", "inet", "hy2scale", "r_web_v4", "{ 10.99.0.0/16 }"],
              ["flush", "chain", "inet", "hy2scale", "output"],
              ["delete", "chain", "inet", "hy2scale", "helper"],
          ])
    func manualEditRepaired(edit: [String]) async throws {
        try await NftNamespace.with { ns in
            let table = try NftSamples.table()
            try await ns.reconcile(table)
            try await ns.namespaces.exec(in: "nft", "nft", edit)
            let plan = try await ns.plan(table)
            #expect(!plan.isEmpty, "nft \(edit.joined(separator: " ")) went unnoticed")
            let outcomes = try await ns.reconcile(table)
            #expect(outcomes.allSatisfy { !$0.isFailure }, "\(outcomes)")
            #expect(try await ns.plan(table).isEmpty)
            #expect(try await ns.elements(of: "r_web_v4") == table.sets[1].elements.map(\.description))
        }
    }

    @Test("a rule edited by hand loses its comment and is replaced")
    func editedRuleReplaced() async throws {
        try await NftNamespace.with { ns in
            let table = try NftSamples.table()
            try await ns.reconcile(table)
            let rules = try await ns.listing().compactMap { $0["rule"] as? [String: Any] }
            let own = try #require(rules.first { ($0["comment"] as? String)?.hasPrefix("own ") == true })
            let handle = try #require(own["handle"] as? Int)
            try await ns.nft("replace", "rule", "inet", "hy2scale", "output", "handle", "\(handle)", "meta", "mark", "0x6878", "accept")
            let plan = try await ns.plan(table)
            #expect(plan.changes.map(\.description) == ["~ chain output: 2 rules -> 2 (+own, -handle \(handle))"]
                    || plan.changes.count == 1, "\(plan)")
            try await ns.reconcile(table)
            #expect(try await ns.plan(table).isEmpty)
        }
    }

    @Test("a set changing kind and a chain changing hook are re-created in the same batch")
    func replacements() async throws {
        try await NftNamespace.with { ns in
            try await ns.reconcile(try NftSamples.table())
            let changed = try NftSamples.table(webKind: .timeouts)
            #expect(try await ns.reconcile(changed).allSatisfy { !$0.isFailure })
            #expect(try await ns.plan(changed).isEmpty)
            let moved = try NftTable(sets: [], chains: [try NftChain(name: "output", hook: .init(type: .filter, hook: .output, priority: 10), rules: [])])
            #expect(try await ns.reconcile(moved).allSatisfy { !$0.isFailure })
            #expect(try await ns.plan(moved).isEmpty)
        }
    }

    @Test("teardown removes our table in one message and leaves another table alone")
    func teardown() async throws {
        try await NftNamespace.with { ns in
            try await ns.nft("add", "table", "inet", "other")
            try await ns.nft("add", "set", "inet", "other", "keep", "{ type ipv4_addr; flags interval; }")
            try await ns.nft("add", "element", "inet", "other", "keep", "{ 10.0.0.0/8 }")
            try await ns.reconcile(try NftSamples.table())
            let plan = try await ns.plan(nil)
            #expect(NftOperation.operations(for: plan) == [.deleteTable])
            #expect(try await ns.reconcile(nil).allSatisfy { !$0.isFailure })
            let tables = try await ns.nft("list", "tables")
            #expect(!tables.contains("hy2scale") && tables.contains("table inet other"))
            #expect(try await ns.nft("list", "set", "inet", "other", "keep").contains("10.0.0.0/8"))
            #expect(try await ns.driver.observe().isEmpty)
            #expect(try await ns.plan(nil).isEmpty)
        }
    }

    @Test("a batch the kernel refuses fails every change with the kernel's reason and changes nothing")
    func kernelRefusalIsAtomic() async throws {
        try await NftNamespace.with { ns in
            let good = try NftSamples.table()
            try await ns.reconcile(good)
            let before = try await ns.nft("list", "table", "inet", "hy2scale")
            // tproxy is only allowed in prerouting; this also adds an element and a chain change.
            let bad = try NftSamples.table(web: NftSamples.web + ["10.50.0.1"], tproxyChainHook: .output)
            let outcomes = try await ns.reconcile(bad)
            #expect(!outcomes.isEmpty && outcomes.allSatisfy(\.isFailure))
            let reason = outcomes.first.map(\.description) ?? ""
            #expect(reason.contains("Operation not supported") && reason.contains("add rule to chain prerouting"), "\(reason)")
            #expect(try await ns.nft("list", "table", "inet", "hy2scale") == before)
            #expect(try await ns.plan(good).isEmpty)
        }
    }

    @Test("a timeout set is filled at runtime, listed back, and left alone by the reconciler")
    func runtimeSet() async throws {
        try await NftNamespace.with { ns in
            let table = try NftSamples.table()
            try await ns.reconcile(table)
            let media = try NftRuntimeSet(name: "d_media_v4", socket: ns.socket)
            try media.add([[10, 7, 0, 1], [10, 7, 0, 2]], timeout: .seconds(300))
            let elements = try media.elements()
            #expect(Set(elements.map(\.address)) == [[10, 7, 0, 1], [10, 7, 0, 2]])
            #expect(elements.allSatisfy { $0.timeout == .seconds(300) && ($0.expiresIn ?? .zero) > .seconds(200) })
            #expect(try await ns.plan(table).isEmpty)
            #expect(throws: NftBatchError.self) { try media.add([[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]], timeout: .seconds(5)) }
            #expect(throws: NftModelError.self) { try media.add([[1, 2, 3]], timeout: .seconds(5)) }
            #expect(throws: NetlinkError.self) { try NftRuntimeSet(name: "missing", socket: ns.socket).elements() }
        }
    }

    @Test("a socket cannot be opened in a namespace that does not exist, and the error says where")
    func missingNamespace() {
        do {
            _ = try NetlinkSocket.netfilter(namespacePath: "/run/netns/hy2t-no-such-namespace")
            Issue.record("opened a socket in a missing namespace")
        } catch {
            #expect("\(error)".contains("/run/netns/hy2t-no-such-namespace"))
        }
    }
}
