public import MeshWire
import Synchronization

/// A live peer as the API shows it (reference-api §5.3-5.4).
public struct MeshPeerStatus: Sendable, Equatable {
    public var name: String
    /// `outbound` (we dialled it) or `inbound`.
    public var direction: String
    public var isExitNode: Bool
    public var latencyMilliseconds: Int
    public var version: String
    public var isNative: Bool
    public var isIncompatible: Bool
    public var isUnsupported: Bool
    public var isTUNCapable: Bool
    public var sentBytes: UInt64
    public var receivedBytes: UInt64
    /// Bytes per second since the previous look.
    public var transmitRate: UInt64
    public var receiveRate: UInt64
    /// The `clients[]` name it was dialled under, when that differs from its own.
    public var clientLabel: String?
    /// The configured address its session connected to (outbound peers).
    public var address: String?
    /// Other addresses with a live extra connection, and their latency.
    public var extraLatencies: [String: Int]
    /// What nested discovery sees behind it (empty unless it is marked nested).
    public var children: [PeerListChild]
}

/// Mesh totals (reference-api §5.2).
public struct MeshTotals: Sendable, Equatable {
    public var sentBytes: UInt64
    public var receivedBytes: UInt64
    public var transmitRate: UInt64
    public var receiveRate: UInt64
    /// Inbound primary peers ("exit clients").
    public var inboundPeers: Int
}

extension MeshNode {
    /// The primary peers, by name, with their discovered subtrees.
    public func peerStatuses() -> [MeshPeerStatus] {
        let settings = self.settings
        var budget = settings.peerListLimits.maximumNodes
        return peers.primaries().map { peer in
            let sent = peer.sentBytes.load(ordering: .relaxed), received = peer.receivedBytes.load(ordering: .relaxed)
            let rates = rateMeter.rates(of: peer.name, sent: sent, received: received)
            return MeshPeerStatus(
                name: peer.name, direction: peer.direction.rawValue, isExitNode: peer.isExitNode,
                latencyMilliseconds: peer.latencyMilliseconds, version: peer.metadata.version, isNative: peer.isNative,
                isIncompatible: !peer.isCompatible, isUnsupported: peer.isUnsupported, isTUNCapable: peer.metadata.isTUNCapable,
                sentBytes: sent, receivedBytes: received, transmitRate: rates.sent, receiveRate: rates.received,
                clientLabel: peer.clientLabel == peer.name ? nil : peer.clientLabel,
                address: peer.address, extraLatencies: peer.extraLatencies,
                children: settings.isNested(peer.name)
                    ? discovery.children(of: peer.name, settings: settings, baseLatency: peer.latencyMilliseconds, budget: &budget) : [])
        }
    }

    /// Traffic of every peer session, alternates included.
    public func totals() -> MeshTotals {
        let all = peers.all()
        let sent = all.reduce(0) { $0 &+ $1.sentBytes.load(ordering: .relaxed) }
        let received = all.reduce(0) { $0 &+ $1.receivedBytes.load(ordering: .relaxed) }
        let rates = rateMeter.rates(of: "", sent: sent, received: received)
        return MeshTotals(sentBytes: sent, receivedBytes: received, transmitRate: rates.sent, receiveRate: rates.received,
                          inboundPeers: peers.primaries().filter { $0.direction == .inbound }.count)
    }

    /// Asks a direct peer for its peer list now (`GET /api/peers/{name}/peers`).
    /// - Throws: when it is not connected, is blocked, or does not answer within 3 s.
    public func askPeerList(of name: String) async throws -> PeerList {
        guard let peer = peers.primary(name) ?? peerByClientLabel(name) else { throw MeshRouteError.notConnected(name) }
        guard !peer.isNative else { throw MeshRouteError.blocked(name, reason: "a plain Hysteria 2 server has no peer list") }
        return try await discovery.fetch(from: peer, node: self, limits: settings.peerListLimits)
    }
}

/// Byte rates from counters sampled when asked: the rate over the time since the previous
/// sample, at least a second apart, so no timer runs for it.
final class RateMeter: Sendable {
    private struct Sample {
        var at: MeshClock.Instant
        var sent: UInt64
        var received: UInt64
        var rates: (sent: UInt64, received: UInt64)
    }

    private let samples = Mutex<[String: Sample]>([:])
    private let clock: MeshClock

    init(clock: MeshClock) {
        self.clock = clock
    }

    func rates(of key: String, sent: UInt64, received: UInt64) -> (sent: UInt64, received: UInt64) {
        let now = clock.now
        return samples.withLock { samples in
            guard let last = samples[key] else {
                samples[key] = Sample(at: now, sent: sent, received: received, rates: (0, 0))
                return (0, 0)
            }
            let elapsed = now - last.at
            guard elapsed >= .seconds(1) else { return last.rates }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            // A counter that went back (a session replaced) starts over rather than wrapping.
            let rates = (UInt64(Double(sent >= last.sent ? sent - last.sent : 0) / seconds),
                         UInt64(Double(received >= last.received ? received - last.received : 0) / seconds))
            samples[key] = Sample(at: now, sent: sent, received: received, rates: rates)
            return rates
        }
    }
}
