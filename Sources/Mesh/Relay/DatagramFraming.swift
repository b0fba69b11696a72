import MeshWire
import NIOCore
import QUIC
import Synchronization
import WireFormat

/// UDP carried on a relay stream as `u16 length` + datagram frames (§8), used by reverse-dialled
/// UDP relays. Frames are always read whole (v1.3's requester could cut one and lose its place).
enum DatagramFraming {
    /// Pumps frames from `stream` into `send` and `replies` back as frames, until the stream
    /// ends or nothing moves for `silence`.
    static func relay(stream: QUICStream, leftover: ByteBuffer, silence: TimeAmount,
                      send: @escaping @Sendable (ByteBuffer) -> Void,
                      replies: AsyncStream<ByteBuffer>, peer: Peer?) async {
        let watchdog = SilenceWatchdog(stream: stream, silence: silence)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                var reader = StreamReader(stream, leftover: leftover)
                while let datagram = try? await reader.next("datagram frame", limit: DatagramFrame.maximumLength + 2,
                                                            decode: { DatagramFrame.decode(from: &$0) }) {
                    watchdog.touch()
                    peer?.count(sent: 0, received: UInt64(datagram.readableBytes))
                    send(datagram)
                }
            }
            group.addTask {
                for await reply in replies {
                    var frame = ByteBuffer()
                    guard (try? DatagramFrame.encode(reply, into: &frame)) != nil else { continue }
                    watchdog.touch()
                    peer?.count(sent: UInt64(reply.readableBytes), received: 0)
                    guard (try? await stream.write(frame)) != nil else { break }
                }
            }
            await group.next()
            stream.resetNow()
            group.cancelAll()
        }
        watchdog.cancel()
    }
}

/// Resets a stream when no datagram has moved for a while.
private final class SilenceWatchdog: Sendable {
    private let task: Task<Void, Never>
    private let lastMove: LastMove

    private final class LastMove: Sendable {
        let time = Mutex(NIODeadline.now())
    }

    init(stream: QUICStream, silence: TimeAmount) {
        let lastMove = LastMove()
        self.lastMove = lastMove
        task = Task {
            while (try? await Task.sleep(for: .seconds(1))) != nil {
                if NIODeadline.now() - lastMove.time.withLock({ $0 }) > silence {
                    stream.resetNow()
                    return
                }
            }
        }
    }

    func touch() { lastMove.time.withLock { $0 = .now() } }
    func cancel() { task.cancel() }
}
