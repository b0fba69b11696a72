import Foundation
import Hummingbird
import ScaleConfig
import YAMLDocument

/// Per-peer flags, the `peers` map (reference §2.4, §5.3): `nested` and `disabled` for a peer
/// name or a qualified path such as `us/us-east` (sent as `us%2Fus-east`).
///
/// An entry whose flags are all false is removed. Turning `nested` off for `a` also turns it off
/// for every `a/...` key (v1.3 deleted those keys; here their `disabled` flags survive).
struct PeersFlagsController {
    let deps: AdminDependencies

    func addRoutes(to group: RouterGroup<AdminRequestContext>) {
        group.put("peers/{name}/nested", use: nested)
        group.put("peers/{name}/disable", use: disable)
    }

    struct Nested: Decodable { var enabled: Bool }
    struct Disable: Decodable { var disabled: Bool }

    @Sendable func nested(_ request: Request, context: AdminRequestContext) async throws -> MutationResult {
        let raw = try context.parameters.requireDecoded("name")
        let body = try await request.decodeJSON(as: Nested.self, context: context)
        let (_, result) = try await deps.configStore.edit(expectedRevision: request.expectedRevision) { [deps] edit in
            let key = try edit.config.peerKey(raw, stateNodeID: deps.nodeID)
            var keys = [key]
            if !body.enabled {
                keys += edit.config.peers.keys.filter { $0.hasPrefix(key + "/") && edit.config.peers[$0]?.isNested == true }.sorted()
            }
            for key in keys {
                var flags = edit.config.peers[key] ?? PeerFlags()
                flags.isNested = body.enabled
                try edit.setPeerFlags(key, flags, changed: "nested")
            }
        }
        return result
    }

    @Sendable func disable(_ request: Request, context: AdminRequestContext) async throws -> MutationResult {
        let raw = try context.parameters.requireDecoded("name")
        let body = try await request.decodeJSON(as: Disable.self, context: context)
        let (_, result) = try await deps.configStore.edit(expectedRevision: request.expectedRevision) { [deps] edit in
            let key = try edit.config.peerKey(raw, stateNodeID: deps.nodeID)
            var flags = edit.config.peers[key] ?? PeerFlags()
            flags.isDisabled = body.disabled
            try edit.setPeerFlags(key, flags, changed: "disabled")
        }
        return result
    }
}

extension Config {
    /// A `peers` key from a path parameter: a leading segment naming this node (its name or id)
    /// is dropped; empty hops are a 400.
    func peerKey(_ raw: String, stateNodeID: String) throws -> String {
        var hops = raw.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let selfNames = Set([name, nodeID ?? stateNodeID].filter { !$0.isEmpty })
        if hops.count > 1, selfNames.contains(hops[0]) { hops.removeFirst() }
        guard !hops.contains(where: \.isEmpty) else {
            throw APIError.badRequest("\"\(raw)\" is not a peer name or path; use peer names joined by /, as in us/us-east", field: "name")
        }
        return hops.joined(separator: "/")
    }
}

extension ConfigEdit {
    /// Writes one `peers` entry: removed when every flag is false, else only the changed flag
    /// is written (a new entry gets only its true flags).
    mutating func setPeerFlags(_ key: String, _ flags: PeerFlags, changed: String) throws {
        let path: YAMLPath = ["peers", .key(key)]
        if !flags.isNested && !flags.isDisabled {
            try remove(path)
        } else if editor.document.root?.node(at: path) == nil || editor.document.root?.node(at: path)?.value == .null {
            var pairs: [YAMLValue.Pair] = []
            if flags.isNested { pairs.append(.init("nested", .bool(true))) }
            if flags.isDisabled { pairs.append(.init("disabled", .bool(true))) }
            try set(path, to: YAMLValue.mapping(pairs))
        } else {
            try setFlag(path.appending(key: changed), to: changed == "nested" ? flags.isNested : flags.isDisabled)
        }
    }
}
