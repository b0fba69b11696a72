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
        var wait = OutboundSession.backoff.first
        while !Task.isCancelled {
            if let client = try? await session.connect(to: address) {
                wait = OutboundSession.backoff.first
                await withTaskCancellationHandler {
                    await serve(client)
                } onCancel: {
                    Task { await client.close() }
                }
                peer.setExtra(nil, at: address)
                await client.close()
            }
            guard (try? await Task.sleep(for: wait)) != nil else { return }
            wait = min(wait * 2, OutboundSession.backoff.longest)
        }
    }

    /// Probes every 5 s; the connection carries streams from its first good ping until three
    /// pings in a row fail or it closes.
    private func serve(_ client: HysteriaClient) async {
        var strikes = 0
        while strikes < OutboundSession.probeStrikes, !Task.isCancelled {
            if let milliseconds = try? await session.node.ping(over: client) {
                strikes = 0
                peer.setExtra(client, latency: milliseconds, at: address)
            } else {
                strikes += 1
                peer.setExtra(nil, at: address)
            }
            guard (try? await Task.sleep(for: OutboundSession.probeInterval)) != nil else { return }
        }
    }
}
