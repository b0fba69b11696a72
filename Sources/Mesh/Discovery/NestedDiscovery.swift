import MeshWire
import Logging
import NIOCore
import Synchronization

/// Nested discovery (§3.6): what the peers we marked `nested` report about their own peers,
/// cached by qualified path (`kr`, `kr/kr-r1`, …), refreshed in the background, and served back
/// to our own peers and the API. The API never waits on the network for it.
final class NestedDiscovery: Sendable {
    static let firstRefresh = Duration.seconds(2)
    static let refreshInterval = Duration.seconds(7)
    /// A list-peers answer must arrive within this (§3.6).
    static let fetchTimeout = Duration.seconds(3)

    /// What a peer reported about one of its peers.
    struct Sighting: Sendable, Equatable {
        var name: String
        var isExitNode: Bool
        var direction: PeerDirection
        var latencyMilliseconds: Int
        var isNative: Bool
        var version: String
        var isTUNCapable: Bool
        var isConnected: Bool
    }

    /// The peers each qualified path reported, in its answer's order.
    private let cache = Mutex<[String: [Sighting]]>([:])
    /// The running refresher's stop request and its end; `nil` when none runs.
    private let refresher = Mutex<(stop: Signal, ended: Signal)?>(nil)

    /// Starts the periodic refresh as a child of the node's work, unless it runs already.
    func start(node: MeshNode) {
        let started = refresher.withLock { refresher -> (stop: Signal, ended: Signal)? in
            guard refresher == nil else { return nil }
            refresher = (Signal(), Signal())
            return refresher
        }
        guard let (stop, ended) = started else { return }
        let accepted = node.work.submit { [clock = node.clock] in
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    var wait = Self.firstRefresh
                    while (try? await clock.sleep(for: wait)) != nil {  // cancelled: stopping
                        await self.refresh(node)
                        wait = Self.refreshInterval
                    }
                }
                group.addTask { await stop.wait() }
                await group.next()
                group.cancelAll()
            }
            ended.fire()
        }
        if !accepted { ended.fire() }
    }

    /// Stops the refresher and returns once it has ended.
    func stop() async {
        guard let (stop, ended) = refresher.withLock({ refresher in defer { refresher = nil }; return refresher }) else { return }
        stop.fire()
        await ended.wait()
    }

    /// Asks every connected, compatible, nested direct peer for its list, in parallel.
    func refresh(_ node: MeshNode) async {
        let settings = node.settings
        let asked = node.peers.primaries().filter { !$0.isNative && $0.isCompatible && settings.isNested($0.name) }
        var fresh: [String: [Sighting]] = [:]
        await withTaskGroup(of: (String, PeerList?).self) { group in
            for peer in asked {
                group.addTask {
                    do {
                        return (peer.name, try await self.fetch(from: peer, node: node, limits: settings.peerListLimits))
                    } catch {
                        node.logger.debug("peer list not refreshed", metadata: ["peer": "\(peer.name)", "reason": "\(error)"])
                        return (peer.name, nil)
                    }
                }
            }
            var unanswered: [String] = []
            for await (name, list) in group {
                guard let list else { unanswered.append(name); continue }
                store(list.entries, under: name, ancestors: [settings.name, settings.nodeID, name], into: &fresh)
            }
            // A peer that is still connected but missed one answer keeps what it said before,
            // so the topology does not flicker.
            let previous = cache.withLock { $0 }
            for name in unanswered {
                for (path, sightings) in previous where path == name || path.hasPrefix(name + "/") { fresh[path] = sightings }
            }
        }
        cache.withLock { $0 = fresh }
    }

    /// One list-peers exchange.
    func fetch(from peer: Peer, node: MeshNode, limits: PeerListLimits) async throws -> PeerList {
        try await node.work.firstWithin(Self.fetchTimeout, "peer list") {
            let (stream, leftover) = try await node.openStream(StreamAddress.listPeers.formatted, on: peer)
            var reader = StreamReader(stream, leftover: leftover)
            let body = try await reader.readToEnd("peer list", limit: limits.maximumBytes)
            return try PeerList(json: body.readableBytesView, limits: limits)
        }
    }

    /// Caches a peer's list and the children it embedded, dropping names already on the chain
    /// (rule 1: no loops).
    private func store(_ entries: [PeerListEntry], under path: String, ancestors: Set<String>, into cache: inout [String: [Sighting]]) {
        store(entries.map { (Sighting(entry: $0), $0.children) }, under: path, ancestors: ancestors, into: &cache)
    }

    private func store(_ reported: [(Sighting, [PeerListChild])], under path: String, ancestors: Set<String>,
                       into cache: inout [String: [Sighting]]) {
        let kept = reported.filter { !ancestors.contains($0.0.name) }
        cache[path] = kept.map(\.0)
        for (sighting, children) in kept where !children.isEmpty {
            store(children.map { (Sighting(child: $0), $0.children) }, under: path + "/" + sighting.name,
                  ancestors: ancestors.union([sighting.name]), into: &cache)
        }
    }

    /// What `path` reported, as list-peers children seen from here: latencies add up along the
    /// chain, only nested paths are descended, disabled ones are left out (§3.6).
    func children(of path: String, settings: MeshSettings, baseLatency: Int = 0, depth: Int = 2, budget: inout Int) -> [PeerListChild] {
        let sightings = cache.withLock { $0[path] } ?? []
        let via = path.split(separator: "/").last.map(String.init) ?? path
        var result: [PeerListChild] = []
        for sighting in sightings {
            let qualified = path + "/" + sighting.name
            guard budget > 0, !settings.isDisabled(qualified) else { continue }
            budget -= 1
            let latency = sighting.latencyMilliseconds > 0 ? max(baseLatency, 0) + sighting.latencyMilliseconds : sighting.latencyMilliseconds
            let nested = settings.isNested(qualified)
            let deeper = nested && depth < settings.peerListLimits.maximumDepth
                ? children(of: qualified, settings: settings, baseLatency: latency, depth: depth + 1, budget: &budget) : []
            result.append(PeerListChild(name: sighting.name, isExitNode: sighting.isExitNode, direction: sighting.direction, via: via,
                                        latencyMilliseconds: latency, isNested: nested, isNative: sighting.isNative,
                                        version: sighting.version, isTUNCapable: sighting.isTUNCapable,
                                        isConnected: sighting.isConnected, children: deeper))
        }
        return result
    }

    /// The list this node answers on `_relay_list_peers_:0`: its primary peers that are not
    /// disabled here (children for the nested ones), then configured clients that are offline.
    func peerList(of node: MeshNode) -> PeerList {
        let settings = node.settings
        var budget = settings.peerListLimits.maximumNodes
        var entries: [PeerListEntry] = []
        let live = node.peers.primaries()
        for peer in live where !settings.isDisabled(peer.name) {
            budget -= 1
            let rate = node.maximumRate(of: peer.clientLabel ?? peer.name)
            entries.append(PeerListEntry(
                name: peer.name, isExitNode: peer.isExitNode, direction: peer.direction, isNative: peer.isNative,
                latencyMilliseconds: peer.latencyMilliseconds, version: peer.metadata.version, nodeID: peer.metadata.nodeID,
                isIncompatible: !peer.isCompatible, isTUNCapable: peer.metadata.isTUNCapable, protocolVersion: peer.metadata.protocolVersion,
                isUnsupported: peer.isUnsupported, connected: true, maximumRate: rate,
                children: settings.isNested(peer.name)
                    ? children(of: peer.name, settings: settings, baseLatency: peer.latencyMilliseconds, budget: &budget) : []))
        }
        let liveNames = Set(live.map(\.name)).union(live.compactMap(\.clientLabel))
        for client in settings.clients where !liveNames.contains(client.name) && !settings.isDisabled(client.name) {
            entries.append(.offline(name: client.name, maximumRate: node.maximumRate(of: client.name)))
        }
        return PeerList(entries)
    }

    /// Discovered paths to `name` (§7.4): chains of nested qualified paths from a connected
    /// direct peer, at most five hops, without loops.
    func paths(to name: String, settings: MeshSettings) -> [[String]] {
        let snapshot = cache.withLock { $0 }
        var found: [[String]] = []
        for (path, sightings) in snapshot where sightings.contains(where: { $0.name == name && $0.isConnected }) {
            let hops = path.split(separator: "/").map(String.init)
            guard hops.count < 5, !hops.contains(name), !settings.isSelf(name) else { continue }
            let authorised = ExitPath.prefixes(of: hops).allSatisfy { settings.isNested($0) && !settings.isDisabled($0) }
            if authorised { found.append(hops + [name]) }
        }
        return found
    }
}

extension MeshNode {
    /// `max_rate` of a configured client: the larger of its bandwidth hints, bytes/s.
    func maximumRate(of clientName: String) -> UInt64 {
        guard let client = settings.clients.first(where: { $0.name == clientName }) else { return 0 }
        return UInt64(max(0, max(client.maxTransmitRate, client.maxReceiveRate)))
    }
}

extension NestedDiscovery.Sighting {
    init(entry: PeerListEntry) {
        self.init(name: entry.name, isExitNode: entry.isExitNode, direction: entry.direction, latencyMilliseconds: entry.latencyMilliseconds,
                  isNative: entry.isNative, version: entry.version, isTUNCapable: entry.isTUNCapable, isConnected: entry.isConnected)
    }

    init(child: PeerListChild) {
        self.init(name: child.name, isExitNode: child.isExitNode, direction: child.direction, latencyMilliseconds: child.latencyMilliseconds,
                  isNative: child.isNative, version: child.version, isTUNCapable: child.isTUNCapable, isConnected: child.isConnected)
    }
}
