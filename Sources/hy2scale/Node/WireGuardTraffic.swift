import NodeState
import ServiceLifecycle
import VPN

/// Adds the WireGuard device's per-peer bytes to the lasting traffic counters every few
/// seconds, so they survive engine restarts and node restarts (`GET /api/stats`).
struct WireGuardTraffic<C: Clock>: Service where C.Duration == Duration {
    static var interval: Duration { .seconds(2) }

    let gateway: WireGuardGateway
    let counters: TrafficCounters
    let clock: C

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var meter = PeerTrafficMeter()
            while true {
                do { try await clock.sleep(for: Self.interval) } catch { return }
                let status = gateway.status()
                guard status.isRunning else { continue }
                for increment in meter.increments(status.peers) {
                    counters.add(user: TrafficCounters.wireGuardPeerKey(publicKey: increment.publicKey.base64),
                                 up: increment.received, down: increment.sent)
                }
            }
        }
    }
}
