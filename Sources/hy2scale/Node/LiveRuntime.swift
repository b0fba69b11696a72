import Access
import MeshWire
import AdminAPI
import Foundation
import Inbounds
import Mesh
import RuleEngine
import Routing
import VPN

/// What the API reports about the running node: the mesh's peers and traffic, and the
/// inbounds' device sessions, which it may kick.
struct LiveRuntime: NodeRuntime {
    let gate: InboundGate
    let mesh: MeshNode
    let tunnels: TunnelEntrySlot
    let wireGuardGateway: WireGuardGateway
    let ipsecGateway: IPsecGateway
    let l2tpGateway: L2TPGateway

    func tunnelledRules() async -> Set<String> { tunnels.activeRuleIDs }

    func stats() async -> RuntimeStats {
        let totals = mesh.totals()
        var stats = RuntimeStats()
        stats.conns = gate.sessions().reduce(0) { $0 + $1.flowCount }
        stats.exit_clients = totals.inboundPeers
        stats.tx_bytes = totals.sentBytes
        stats.rx_bytes = totals.receivedBytes
        stats.tx_rate = totals.transmitRate
        stats.rx_rate = totals.receiveRate
        return stats
    }

    func livePeers() async -> [LivePeer] {
        mesh.peerStatuses().map { status in
            var peer = LivePeer(name: status.name, direction: status.direction, exit_node: status.isExitNode,
                                latency_ms: status.latencyMilliseconds, version: status.version.isEmpty ? nil : status.version,
                                tx_rate: status.transmitRate, rx_rate: status.receiveRate)
            peer.native = status.isNative ? true : nil
            peer.incompatible = status.isIncompatible ? true : nil
            peer.unsupported = status.isUnsupported ? true : nil
            peer.tun_capable = status.isTUNCapable ? true : nil
            peer.client_name = status.clientLabel
            peer.address = status.address
            peer.extra_latencies = status.extraLatencies.isEmpty ? nil : status.extraLatencies
            peer.children = status.children.isEmpty ? nil : status.children.map(LivePeer.init(child:))
            return peer
        }
    }

    func peers(of name: String) async throws -> [LivePeer] {
        let list: PeerList
        do {
            list = try await mesh.askPeerList(of: name)
        } catch {
            throw PeerQueryFailed(description: "\(error)")
        }
        return list.entries.map { entry in
            var peer = LivePeer(name: entry.name, direction: entry.direction.rawValue, exit_node: entry.isExitNode,
                                latency_ms: entry.latencyMilliseconds, version: entry.version.isEmpty ? nil : entry.version,
                                tx_rate: 0, rx_rate: 0)
            peer.connected = entry.isConnected
            peer.native = entry.isNative ? true : nil
            peer.tun_capable = entry.isTUNCapable ? true : nil
            return peer
        }
    }

    func sessions() async -> [DeviceSession] {
        let now = Int(gate.now)  // the clock sessions were registered on
        return gate.sessions().map { device in
            DeviceSession(key: device.key, username: device.username, remote_ip: device.clientAddress,
                          protocol: device.inbound.rawValue, connect_at: Int(device.connectedAt),
                          duration: max(0, now - Int(device.connectedAt)), conn_count: device.flowCount,
                          tx_bytes: device.bytesToClient, rx_bytes: device.bytesFromClient)
        }
    }

    func kick(sessionKey: String) async -> Bool { gate.kick(sessionKey: sessionKey) }

    func activePaths() async -> [String: String] { mesh.activePaths }

    func ikev2() async -> DaemonRuntime {
        let status = ipsecGateway.status(of: .ikev2)
        return DaemonRuntime(isRunning: status.isRunning, reason: status.reason)
    }

    /// Running when xl2tpd and charon both are; the first reason of the two otherwise.
    func l2tp() async -> DaemonRuntime {
        let daemon = l2tpGateway.status(), ipsec = ipsecGateway.status(of: .l2tp)
        return DaemonRuntime(isRunning: daemon.isRunning && ipsec.isRunning, reason: daemon.reason ?? ipsec.reason)
    }

    func wireGuard() async -> WireGuardRuntime {
        let status = wireGuardGateway.status()
        return WireGuardRuntime(backend: status.backend, isRunning: status.isRunning, reason: status.reason, peers: status.peers.map {
            WireGuardRuntime.Peer(publicKey: $0.publicKey.base64, endpoint: $0.endpoint, lastHandshake: $0.lastHandshake,
                                  receivedBytes: $0.receivedBytes, sentBytes: $0.sentBytes)
        })
    }
}

/// A peer that could not be asked for its list; the text says why.
struct PeerQueryFailed: Error, CustomStringConvertible {
    var description: String
}

extension LivePeer {
    /// A peer seen through nested discovery.
    init(child: PeerListChild) {
        self.init(name: child.name, direction: child.direction.rawValue, exit_node: child.isExitNode,
                  latency_ms: child.latencyMilliseconds, version: child.version.isEmpty ? nil : child.version,
                  tx_rate: child.transmitRate, rx_rate: child.receiveRate)
        connected = child.isConnected
        nested = child.isNested
        via = child.via
        native = child.isNative ? true : nil
        tun_capable = child.isTUNCapable ? true : nil
        children = child.children.isEmpty ? nil : child.children.map(LivePeer.init(child:))
    }
}
