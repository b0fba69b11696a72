package import Addressing
package import Hysteria
package import Logging
package import NIOCore
package import QUIC
package import Routing
package import Synchronization

/// The UDP sessions of one Hysteria 2 connection (spec §1.4): each client session id gets its own
/// datagram path, opened on its first message and closed after a minute of silence. Fragmented
/// messages are reassembled per session; replies are fragmented to what the connection carries.
package final class HysteriaUDPSessions: Sendable {
    /// Sessions one connection may hold; messages for more are dropped.
    package static let maximumSessions = 1024
    /// Silence after which a session is closed (the official default).
    package static let idleTimeout: Int64 = 60
    /// Messages kept per session while its path opens.
    package static let maximumQueued = 64

    private struct Session {
        var path: (any DatagramPath)?
        var queued: [(Target, ByteBuffer)] = []
        var reassembler = UDPReassembler()
        var lastActive: Int64
    }

    private let quic: QUICConnection
    private let router: any FlowRouter
    private let flow: Flow
    private let count: @Sendable (_ up: UInt64, _ down: UInt64) -> Void
    private let logger: Logger
    private let sessions = Mutex<(open: [UInt32: Session], isClosed: Bool)>(([:], false))

    package init(quic: QUICConnection, router: any FlowRouter, flow: Flow, logger: Logger,
         count: @escaping @Sendable (UInt64, UInt64) -> Void) {
        self.quic = quic
        self.router = router
        self.flow = flow
        self.logger = logger
        self.count = count
    }

    /// Handles one DATAGRAM frame from the client.
    /// - Returns: the id of a new session, whose path the caller opens with ``open(_:)``.
    package func receive(_ datagram: ByteBuffer, now: Int64) -> UInt32? {
        let message: UDPMessage
        do {
            message = try UDPMessage(decoding: datagram)
        } catch {
            logger.debug("hy2 udp message dropped", metadata: ["client": "\(quic.remoteAddress)", "reason": "\(error)"])
            return nil
        }
        let (whole, isNew, path) = sessions.withLock { state -> (UDPMessage?, Bool, (any DatagramPath)?) in
            guard !state.isClosed else { return (nil, false, nil) }
            let isNew = state.open[message.sessionID] == nil
            guard !isNew || state.open.count < Self.maximumSessions else { return (nil, false, nil) }
            var session = state.open.removeValue(forKey: message.sessionID) ?? Session(lastActive: now)
            defer { state.open[message.sessionID] = session }
            session.lastActive = now
            guard let whole = session.reassembler.add(message) else { return (nil, isNew, nil) }
            if session.path == nil, session.queued.count < Self.maximumQueued {
                session.queued.append((whole.address, whole.payload))
            }
            return (whole, isNew, session.path)
        }
        if let whole, let path {
            count(UInt64(whole.payload.readableBytes), 0)
            path.send(whole.payload, to: whole.address)
        }
        return isNew ? message.sessionID : nil
    }

    /// Closes the sessions silent for longer than the idle timeout; called every second.
    package func reap(now: Int64) {
        let idle = sessions.withLock { state -> [(any DatagramPath)?] in
            let expired = state.open.filter { now - $0.value.lastActive >= Self.idleTimeout }
            for id in expired.keys { state.open[id] = nil }
            return expired.values.map(\.path)
        }
        for path in idle { path?.close() }
    }

    /// Closes every session; nothing opens after this.
    package func closeAll() {
        let paths = sessions.withLock { state -> [(any DatagramPath)?] in
            state.isClosed = true
            defer { state.open.removeAll() }
            return state.open.values.map(\.path)
        }
        for path in paths { path?.close() }
    }

    /// Opens the datagram path of session `id` and sends what queued meanwhile.
    package func open(_ id: UInt32) async {
        let path: any DatagramPath
        do {
            path = try await router.openDatagrams(for: flow, on: quic.eventLoop) { [weak self] source, payload in
                self?.reply(payload, from: source, session: id)
            }
        } catch {
            if !Task.isCancelled {  // the connection ending is not the session's failure
                logger.info("hy2 udp session refused", metadata: ["client": "\(quic.remoteAddress)", "reason": "\(error)"])
            }
            sessions.withLock { _ = $0.open.removeValue(forKey: id) }
            return
        }
        let queued = sessions.withLock { state -> [(Target, ByteBuffer)]? in
            guard !state.isClosed, state.open[id] != nil else { return nil }
            state.open[id]!.path = path
            defer { state.open[id]!.queued = [] }
            return state.open[id]!.queued
        }
        guard let queued else { return path.close() }  // reaped or closed meanwhile
        for (target, payload) in queued {
            count(UInt64(payload.readableBytes), 0)
            path.send(payload, to: target)
        }
    }

    private func reply(_ payload: ByteBuffer, from source: Target, session id: UInt32) {
        guard payload.readableBytes > 0 else { return }  // an empty message is invalid on the wire
        count(0, UInt64(payload.readableBytes))
        let message = UDPMessage(sessionID: id, address: source, payload: payload)
        quic.sendDatagrams { UDPFragmenter.datagrams(for: message, maximumDatagramSize: $0) }
    }
}
