public import Addressing
public import NIOCore
import QUIC
import Routing
import Logging
import Synchronization

/// One UDP session of a Hysteria 2 client (spec §1.4): datagrams to any target, and the replies
/// the server sends back for this session id, reassembled.
public final class HysteriaUDPSession: Sendable {
    /// The session id the server knows this socket by.
    public let id: UInt32
    private let connection: QUICConnection
    /// Replies and where they came from, until the session or the connection is closed. One reader.
    public let replies: AsyncStream<(source: Target, payload: ByteBuffer)>
    private let onClose: @Sendable () -> Void

    init(id: UInt32, connection: QUICConnection, replies: AsyncStream<(source: Target, payload: ByteBuffer)>, onClose: @escaping @Sendable () -> Void) {
        self.id = id
        self.connection = connection
        self.replies = replies
        self.onClose = onClose
    }

    /// Sends `payload` to `target`, fragmented when it does not fit one datagram; dropped when
    /// the connection cannot carry it at all, as UDP would.
    public func send(_ payload: ByteBuffer, to target: Target) {
        guard payload.readableBytes > 0 else { return }
        let message = UDPMessage(sessionID: id, address: target, payload: payload)
        connection.sendDatagrams { UDPFragmenter.datagrams(for: message, maximumDatagramSize: $0) }
    }

    /// Stops delivering replies; the server reaps its side after its idle timeout.
    public func close() { onClose() }
}

/// Routes the connection's datagrams to their sessions, reassembling fragments per session.
final class UDPDemultiplexer: Sendable {
    /// Replies kept per session until read (the official client's queue size); more are dropped.
    static let queueLimit = 1024

    private struct Receiver {
        var continuation: AsyncStream<(source: Target, payload: ByteBuffer)>.Continuation
        var reassembler = UDPReassembler()
    }

    private let connection: QUICConnection
    private let logger: Logger
    private let state = Mutex<(next: UInt32, sessions: [UInt32: Receiver])>((1, [:]))

    init(connection: QUICConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    func open() -> HysteriaUDPSession {
        let (replies, continuation) = AsyncStream<(source: Target, payload: ByteBuffer)>.makeStream(bufferingPolicy: .bufferingNewest(Self.queueLimit))
        let id = state.withLock { state in
            let id = state.next
            state.next &+= 1
            state.sessions[id] = Receiver(continuation: continuation)
            return id
        }
        return HysteriaUDPSession(id: id, connection: connection, replies: replies) { [weak self] in
            self?.state.withLock { $0.sessions.removeValue(forKey: id) }?.continuation.finish()
        }
    }

    func deliver(_ datagram: ByteBuffer) {
        guard let message = try? UDPMessage(decoding: datagram) else {
            logger.debug("hy2 client dropped a malformed UDP message")
            return
        }
        let delivery = state.withLock { state -> (AsyncStream<(source: Target, payload: ByteBuffer)>.Continuation, UDPMessage)? in
            guard var receiver = state.sessions[message.sessionID] else { return nil }  // unknown session: dropped
            defer { state.sessions[message.sessionID] = receiver }
            return receiver.reassembler.add(message).map { (receiver.continuation, $0) }
        }
        guard let (continuation, whole) = delivery else { return }
        continuation.yield((whole.address, whole.payload))
    }

    func closeAll() {
        let receivers = state.withLock { state in
            defer { state.sessions.removeAll() }
            return Array(state.sessions.values)
        }
        for receiver in receivers { receiver.continuation.finish() }
    }
}
