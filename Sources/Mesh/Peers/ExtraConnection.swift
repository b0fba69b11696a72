import Hysteria
import Logging

/// One more connection to a peer at another of its addresses (`addrs[1...]`, §6). It does not
/// register (v1.3's verification register displaces the real session on a v1.3 server); it
/// joins the peer's streams while pings over it succeed, and reconnects with backoff.
struct ExtraConnection {
    let address: String
    let session: OutboundSession
    let peer: Peer

    func run() async {
        let clock = session.node.clock
        var wait = OutboundSession.backoff.first
        while !Task.isCancelled {
            do {
                let client = try await session.connect(to: address)
                wait = OutboundSession.backoff.first
                await withTaskCancellationHandler {
                    await serve(client)
                } onCancel: {
                    // QUIC waits do not end on cancellation; closing ends them. The close below awaits it.
                    client.closeNow()
                }
                peer.setExtra(nil, at: address)
                await client.close()
            } catch {
                session.node.logger.debug("extra connection failed", metadata: ["peer": "\(peer.name)", "addr": "\(address)", "reason": "\(error)"])
            }
            guard (try? await clock.sleep(for: wait)) != nil else { return }  // cancelled: the session ended
            wait = min(wait * 2, OutboundSession.backoff.longest)
        }
    }

    /// Probes every 5 s; the connection carries streams from its first good ping until three
    /// pings in a row fail or it closes.
    private func serve(_ client: HysteriaClient) async {
        var strikes = 0
        while strikes < OutboundSession.probeStrikes, !Task.isCancelled {
            do {
                let milliseconds = try await session.node.ping(over: client)
                strikes = 0
                peer.setExtra(client, latency: milliseconds, at: address)
            } catch {
                session.node.logger.debug("extra connection ping failed", metadata: ["peer": "\(peer.name)", "addr": "\(address)", "reason": "\(error)"])
                strikes += 1
                peer.setExtra(nil, at: address)
            }
            guard (try? await session.node.clock.sleep(for: OutboundSession.probeInterval)) != nil else { return }
        }
    }
}
