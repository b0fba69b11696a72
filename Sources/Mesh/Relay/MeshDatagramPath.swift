import MeshWire
import Addressing
import Hysteria
import NIOCore
import QUIC
import Routing
import Synchronization
import WireFormat

/// Datagrams through a one-hop peer: a Hysteria 2 UDP session when we dialled it, a `udp:`
/// reverse dial with framed datagrams when it dialled us (§8). The latter carries one target,
/// the first one sent to, as v1.3's does.
final class MeshDatagramPath: DatagramPath {
    private enum Carrier {
        case session(HysteriaUDPSession, Task<Void, Never>)
        case reverse(ReverseDatagrams)
    }

    private let carrier: Carrier

    private init(carrier: Carrier) {
        self.carrier = carrier
    }

    static func open(through peer: Peer, node: MeshNode,
                     onReply: @escaping @Sendable (Target, ByteBuffer) -> Void) throws -> MeshDatagramPath {
        guard peer.isCompatible else { throw MeshRouteError.blocked(peer.name, reason: "incompatible version") }
        switch peer.link {
        case .outbound(let hysteria):
            let session = try hysteria.openUDP()
            let pump = Task {
                for await reply in session.replies {
                    peer.count(sent: 0, received: UInt64(reply.payload.readableBytes))
                    onReply(reply.source, reply.payload)
                }
            }
            return MeshDatagramPath(carrier: .session(session, pump))
        case .inbound:
            return MeshDatagramPath(carrier: .reverse(ReverseDatagrams(peer: peer, node: node, onReply: onReply)))
        }
    }

    func send(_ payload: ByteBuffer, to target: Target) {
        switch carrier {
        case .session(let session, _):
            session.send(payload, to: target)
        case .reverse(let reverse):
            reverse.send(payload, to: target)
        }
    }

    func close() {
        switch carrier {
        case .session(let session, let pump):
            session.close()
            pump.cancel()
        case .reverse(let reverse):
            reverse.close()
        }
    }
}

/// The requesting side of a `udp:` reverse dial: opened by the first datagram, to its target.
private final class ReverseDatagrams: Sendable {
    private let peer: Peer
    private let node: MeshNode
    private let onReply: @Sendable (Target, ByteBuffer) -> Void
    private let state = Mutex<(target: Target?, outgoing: AsyncStream<ByteBuffer>.Continuation?, task: Task<Void, Never>?)>((nil, nil, nil))

    init(peer: Peer, node: MeshNode, onReply: @escaping @Sendable (Target, ByteBuffer) -> Void) {
        self.peer = peer
        self.node = node
        self.onReply = onReply
    }

    func send(_ payload: ByteBuffer, to target: Target) {
        let outgoing = state.withLock { state -> AsyncStream<ByteBuffer>.Continuation? in
            if let current = state.target { return current == target ? state.outgoing : nil }
            let (stream, continuation) = AsyncStream<ByteBuffer>.makeStream(bufferingPolicy: .bufferingNewest(64))
            state.target = target
            state.outgoing = continuation
            state.task = Task { [peer, node, onReply] in
                guard let (data, leftover) = try? await node.openStream(DialTarget.udp(target).formatted, on: peer) else { return }
                // Closing the path finishes `stream`; the sender then resets the data stream, which ends the reader.
                let sender = Task {
                    for await payload in stream {
                        var frame = ByteBuffer()
                        guard (try? DatagramFrame.encode(payload, into: &frame)) != nil else { continue }
                        peer.count(sent: UInt64(payload.readableBytes), received: 0)
                        guard (try? await data.write(frame)) != nil else { break }
                    }
                    data.resetNow()
                }
                var reader = StreamReader(data, leftover: leftover)
                while let reply = try? await reader.next("datagram frame", limit: DatagramFrame.maximumLength + 2,
                                                         decode: { DatagramFrame.decode(from: &$0) }) {
                    peer.count(sent: 0, received: UInt64(reply.readableBytes))
                    onReply(target, reply)
                }
                sender.cancel()
                data.resetNow()
            }
            return continuation
        }
        outgoing?.yield(payload)  // another target than the first: dropped, one target per request
    }

    func close() {
        let (outgoing, task) = state.withLock { ($0.outgoing, $0.task) }
        outgoing?.finish()
        task?.cancel()
    }
}
