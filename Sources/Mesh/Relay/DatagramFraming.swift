import MeshWire
import Logging
import NIOCore
import QUIC
import Synchronization
import WireFormat

/// UDP carried on a relay stream as `u16 length` + datagram frames (§8), used by reverse-dialled
/// UDP relays. Frames are always read whole (v1.3's requester could cut one and lose its place).
enum DatagramFraming {
    /// How often the silence watchdog looks.
    static let silenceCheckInterval = Duration.seconds(1)

    /// Pumps frames from `stream` into `send` and `replies` back as frames, until the stream
    /// ends or nothing moves for `silence` on `clock`.
    static func relay(stream: QUICStream, leftover: ByteBuffer, silence: Duration, clock: MeshClock,
                      send: @escaping @Sendable (ByteBuffer) -> Void,
                      replies: AsyncStream<ByteBuffer>, peer: Peer?, logger: Logger) async {
        let lastMove = LastMove(clock.now)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                var reader = StreamReader(stream, leftover: leftover)
                do {
                    while true {
                        let datagram = try await reader.next("datagram frame", limit: DatagramFrame.maximumLength + 2,
                                                             decode: { DatagramFrame.decode(from: &$0) })
                        lastMove.time.withLock { $0 = clock.now }
                        peer?.count(sent: 0, received: UInt64(datagram.readableBytes))
                        send(datagram)
                    }
                } catch {
                    logger.debug("datagram relay stream ended", metadata: ["reason": "\(error)"])
                }
            }
            group.addTask {
                for await reply in replies {
                    var frame = ByteBuffer()
                    guard (try? DatagramFrame.encode(reply, into: &frame)) != nil else { continue }  // too long for a frame: dropped
                    lastMove.time.withLock { $0 = clock.now }
                    peer?.count(sent: UInt64(reply.readableBytes), received: 0)
                    do {
                        try await stream.write(frame)
                    } catch {
                        logger.debug("datagram relay write failed", metadata: ["reason": "\(error)"])
                        break
                    }
                }
            }
            group.addTask {
                // Resets the stream once no datagram has moved for `silence`; cancelled with the relay.
                while (try? await clock.sleep(for: silenceCheckInterval)) != nil {
                    if clock.now - lastMove.time.withLock({ $0 }) > silence {
                        stream.resetNow()
                        return
                    }
                }
            }
            await group.next()
            stream.resetNow()
            group.cancelAll()
        }
    }
}

/// When a datagram last moved through a relay.
private final class LastMove: Sendable {
    let time: Mutex<MeshClock.Instant>

    init(_ time: MeshClock.Instant) { self.time = Mutex(time) }
}
