import Foundation
import LinuxNet
import Reconciler
import TestSupport

/// A throwaway network namespace with a netlink socket and an nftables driver inside it.
struct NftNamespace {
    let namespaces: NetworkNamespaces
    let socket: NetlinkSocket
    let driver: NftablesDriver<NftTable?>

    /// Runs `body` in a fresh namespace and removes the namespace afterwards, failed or not.
    static func with(_ body: (NftNamespace) async throws -> Void) async throws {
        try await NetworkNamespaces.with(hosts: ["nft"]) { namespaces in
            let socket = try NetlinkSocket.netfilter(namespacePath: namespaces.path("nft"))
            try await body(NftNamespace(namespaces: namespaces, socket: socket, driver: NftablesDriver(socket: socket) { $0 }))
        }
    }

    /// The plan towards `table` (nil: no table).
    func plan(_ table: NftTable?) async throws -> Plan<NftResource> {
        diff(desired: driver.desired(for: table), observed: try await driver.observe())
    }

    /// Observes, diffs and applies towards `table`; the outcomes of the applied plan.
    @discardableResult
    func reconcile(_ table: NftTable?) async throws -> [Outcome<NftResource>] {
        await driver.apply(try await plan(table))
    }

    /// Runs the real `nft` inside the namespace.
    @discardableResult
    func nft(_ arguments: String...) async throws -> String {
        try await namespaces.exec(in: "nft", "nft", arguments)
    }

    /// `nft -j list table inet hy2scale`, as JSON objects: each item of the `nftables` array.
    func listing() async throws -> [[String: Any]] {
        let text = try await nft("-j", "list", "table", "inet", "hy2scale")
        let json = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        return (json?["nftables"] as? [[String: Any]]) ?? []
    }

    /// The elements of `set` as nft prints them (`10.0.0.0/8`, `1.2.3.4`, `1.2.3.4-1.2.3.9`).
    func elements(of set: String) async throws -> [String] {
        let found = try await listing().compactMap { $0["set"] as? [String: Any] }.first { $0["name"] as? String == set }
        return ((found?["elem"] as? [Any]) ?? []).map { element in
            if let text = element as? String { return text }
            if let object = element as? [String: Any] {
                if let prefix = object["prefix"] as? [String: Any] { return "\(prefix["addr"] ?? "?")/\(prefix["len"] ?? "?")" }
                if let range = object["range"] as? [Any] { return range.map { "\($0)" }.joined(separator: "-") }
            }
            return "\(element)"
        }
    }
}
