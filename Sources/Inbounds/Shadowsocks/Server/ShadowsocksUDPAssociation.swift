import Access
import Shadowsocks
import Addressing
import Logging
import NIOConcurrencyHelpers
import NIOCore
import Routing

/// One client session of the Shadowsocks UDP server: its admitted flow, the datagram path the
/// payloads leave by, and what is needed to seal replies to the client's latest address.
final class ShadowsocksUDPAssociation: Sendable {
    private struct State {
        var client: SocketAddress
        /// 2022 only: the reply session and the client's packet-id window.
        var session: Shadowsocks2022UDPServerSession?
        var path: (any DatagramPath)?
        /// Payloads that arrived while the path was being opened.
        var queued: [(ByteBuffer, Target)] = []
        var isClosed = false
        var lastActive: Int64
    }

    let userIndex: Int
    let ticket: FlowTicket
    private let key: ShadowsocksKey
    private let socket: any Channel
    private let state: NIOLockedValueBox<State>

    init(userIndex: Int, key: ShadowsocksKey, sessionID: UInt64?, client: SocketAddress, socket: any Channel,
         ticket: FlowTicket, now: Int64) {
        self.userIndex = userIndex
        self.key = key
        self.socket = socket
        self.ticket = ticket
        state = NIOLockedValueBox(State(
            client: client,
            session: sessionID.map { Shadowsocks2022UDPServerSession(key: key, clientSessionID: $0) },
            lastActive: now))
    }

    var lastActive: Int64 { state.withLockedValue { $0.lastActive } }

    /// Sends a client packet's payload on, once its packet id passes the replay window (2022).
    func receive(_ packet: ShadowsocksPacket, from client: SocketAddress, now: Int64) {
        let path = state.withLockedValue { s -> (any DatagramPath)?? in
            if var session = s.session {
                guard let id = packet.packetID, session.accept(packetID: id) else { return .none }
                s.session = session
            }
            s.client = client  // the client may roam; replies follow it
            s.lastActive = now
            if let path = s.path { return .some(path) }
            if s.queued.count < ShadowsocksUDPHandler.maximumQueuedPackets { s.queued.append((packet.payload, packet.address)) }
            return .some(nil)
        }
        guard case .some(let open) = path else { return }  // replayed: dropped
        ticket.count(up: UInt64(packet.payload.readableBytes))
        open?.send(packet.payload, to: packet.address)
    }

    /// Opens the datagram path of `flow`; queued payloads go out when it is ready.
    func open(router: any FlowRouter, flow: Flow, on loop: any EventLoop, logger: Logger) {
        // Bridge: called from the UDP socket's channel handler, which has no task to own children;
        // the association ends the work (close() drops a path that opens late).
        Task {
            do {
                let path = try await router.openDatagrams(for: flow, on: loop) { [weak self] source, payload in
                    self?.reply(payload, from: source)
                }
                let queued = state.withLockedValue { s -> [(ByteBuffer, Target)]? in
                    guard !s.isClosed else { return nil }
                    s.path = path
                    defer { s.queued = [] }
                    return s.queued
                }
                guard let queued else { return path.close() }
                for (payload, target) in queued { path.send(payload, to: target) }
            } catch {
                logger.info("ss udp association refused", metadata: ["flow": "\(flow)", "reason": "\(error)"])
                ticket.end()
            }
        }
    }

    private func reply(_ payload: ByteBuffer, from source: Target) {
        var output = socket.allocator.buffer(capacity: payload.readableBytes + 96)
        let client = state.withLockedValue { s -> SocketAddress? in
            guard !s.isClosed else { return nil }
            if var session = s.session {
                guard (try? session.seal(payload, source: source, into: &output)) != nil else { return nil }
                s.session = session
            } else {
                guard (try? ShadowsocksClassicUDP.seal(payload, address: source, key: key, into: &output)) != nil else { return nil }
            }
            return s.client
        }
        guard let client else { return }
        ticket.count(down: UInt64(payload.readableBytes))
        socket.writeAndFlush(AddressedEnvelope(remoteAddress: client, data: output), promise: nil)
    }

    /// Releases the path; idempotent.
    func close() {
        let path = state.withLockedValue { s -> (any DatagramPath)? in
            s.isClosed = true
            defer { s.path = nil }
            return s.path
        }
        path?.close()
    }
}
