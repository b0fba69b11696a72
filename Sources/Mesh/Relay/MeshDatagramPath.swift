import MeshWire
import Addressing
import Hysteria
import NIOCore
import QUIC
import Logging
import Routing
import Synchronization
import WireFormat

/// Datagrams through a one-hop peer: a Hysteria 2 UDP session when we dialled it, a `udp:`
/// reverse dial with framed datagrams when it dialled us (§8). The latter carries one target,
/// the first one sent to, as v1.3's does.
final class MeshDatagramPath: DatagramPath {
    private enum Carrier {
        /// The session, and the signal that ends its reply pump.
        case session(HysteriaUDPSession, Signal)
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
            let closing = Signal()
            // The reply pump is a child of the node's work; closing the path ends it.
            node.work.submit {
                await withTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await reply in session.replies {
                            peer.count(sent: 0, received: UInt64(reply.payload.readableBytes))
                            onReply(reply.source, reply.payload)
                        }
                    }
                    group.addTask { await closing.wait() }
                    await group.next()
                    group.cancelAll()
                }
            }
            return MeshDatagramPath(carrier: .session(session, closing))
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
        case .session(let session, let closing):
            session.close()
            closing.fire()
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
    private let state = Mutex<(target: Target?, outgoing: AsyncStream<ByteBuffer>.Continuation?)>((nil, nil))

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
            node.work.submit { [peer, node, onReply] in
                await Self.relay(stream, to: target, through: peer, node: node, onReply: onReply)
            }
            return continuation
        }
        outgoing?.yield(payload)  // another target than the first: dropped, one target per request
    }

    /// Ends the relay: the sender sees `outgoing` finish and resets the data stream, which ends
    /// the reader.
    func close() {
        state.withLock { $0.outgoing }?.finish()
    }

    /// Opens the reverse dial and pumps `outgoing` into it and its replies to `onReply`, until
    /// the path closes, the stream ends or the node stops.
    private static func relay(_ outgoing: AsyncStream<ByteBuffer>, to target: Target, through peer: Peer, node: MeshNode,
                              onReply: @escaping @Sendable (Target, ByteBuffer) -> Void) async {
        let data: QUICStream, leftover: ByteBuffer
        do {
            (data, leftover) = try await node.openStream(DialTarget.udp(target).formatted, on: peer)
        } catch {
            node.logger.debug("udp reverse dial failed", metadata: ["peer": "\(peer.name)", "reason": "\(error)"])
            return
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await payload in outgoing {  // ends when the path closes, or on cancellation
                    var frame = ByteBuffer()
                    guard (try? DatagramFrame.encode(payload, into: &frame)) != nil else { continue }  // too long for a frame: dropped
                    peer.count(sent: UInt64(payload.readableBytes), received: 0)
                    do {
                        try await data.write(frame)
                    } catch {
                        node.logger.debug("udp reverse dial write failed", metadata: ["peer": "\(peer.name)", "reason": "\(error)"])
                        break
                    }
                }
                data.resetNow()
            }
            var reader = StreamReader(data, leftover: leftover)
            do {
                while true {
                    let reply = try await reader.next("datagram frame", limit: DatagramFrame.maximumLength + 2,
                                                      decode: { DatagramFrame.decode(from: &$0) })
                    peer.count(sent: 0, received: UInt64(reply.readableBytes))
                    onReply(target, reply)
                }
            } catch {
                node.logger.debug("udp reverse dial ended", metadata: ["peer": "\(peer.name)", "reason": "\(error)"])
            }
            group.cancelAll()
            data.resetNow()
        }
    }
}
