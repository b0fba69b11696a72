public import Access
public import Addressing
import Foundation
public import Logging
public import NIOCore
public import Routing
import Synchronization

/// The UDP side of capture: datagrams the kernel captured with TPROXY arrive with their original
/// destination, and each (client, destination) pair becomes a datagram flow through the exit of
/// the rule that holds the destination. Replies are sent from the address they came from, so the
/// client sees its server answer.
///
/// Receiving runs on a thread of its own: the original destination comes as ancillary data,
/// which only a plain `recvmsg` loop can read.
public final class TransparentDatagramListener: Sendable {
    /// A flow with no datagram either way for this long ends (reference §0.6's UDP idle time).
    static let idleTimeout: Duration = .seconds(60)
    /// Datagrams held while a flow's path opens; later ones are dropped, as UDP would.
    static let pendingLimit = 64

    private let socket: TransparentUDPSocket
    private let sessions: Sessions
    private let isStopped = Atomic(false)
    private let finished = DispatchSemaphore(value: 0)

    private init(socket: TransparentUDPSocket, sessions: Sessions) {
        self.socket = socket
        self.sessions = sessions
    }

    /// Binds `address:port` with `IP_TRANSPARENT` and starts receiving.
    public static func start(address: IPAddress, port: UInt16, gate: InboundGate, routing: any CaptureRouting,
                             group: any EventLoopGroup) throws -> TransparentDatagramListener {
        let socket = try TransparentUDPSocket.receiving(at: .init(address: address, port: port))
        let listener = TransparentDatagramListener(
            socket: socket, sessions: Sessions(gate: gate, routing: routing, group: group))
        let thread = Thread { [listener] in listener.receiveLoop() }
        thread.name = "hy2scale-tproxy-udp"
        thread.start()
        return listener
    }

    /// Stops receiving and ends every flow.
    public func close() async {
        guard !isStopped.exchange(true, ordering: .relaxed) else { return }
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async { [finished] in
                finished.wait()
                done.resume()
            }
        }
        sessions.endAll()
    }

    private func receiveLoop() {
        defer { finished.signal() }
        var lastSweep = ContinuousClock.now
        while !isStopped.load(ordering: .relaxed) {
            if let datagram = socket.receive(timeout: 250) {
                sessions.deliver(datagram)
            }
            if lastSweep.duration(to: .now) > .seconds(5) {
                sessions.endIdle()
                lastSweep = .now
            }
        }
    }
}

/// The live UDP flows of one transparent listener.
private final class Sessions: Sendable {
    typealias Endpoint = TransparentUDPSocket.Endpoint

    private struct Key: Hashable {
        var client: Endpoint
        var destination: Endpoint
    }

    private struct Session {
        var ticket: FlowTicket
        var path: (any DatagramPath)?
        var pending: [ByteBuffer] = []
        var lastActive: ContinuousClock.Instant
    }

    private struct State {
        var sessions: [Key: Session] = [:]
        /// Sockets that send replies from a foreign address, by that address.
        var repliers: [Endpoint: TransparentUDPSocket] = [:]
    }

    private let gate: InboundGate
    private let routing: any CaptureRouting
    private let group: any EventLoopGroup
    private let state = Mutex(State())

    init(gate: InboundGate, routing: any CaptureRouting, group: any EventLoopGroup) {
        self.gate = gate
        self.routing = routing
        self.group = group
    }

    func deliver(_ datagram: TransparentUDPSocket.Datagram) {
        let key = Key(client: datagram.source, destination: datagram.originalDestination)
        let payload = ByteBuffer(bytes: datagram.payload)
        let target = Target(host: .ip(key.destination.address), port: key.destination.port)
        // Counting may end the flow (a used-up quota), which takes the lock: count outside it.
        let found = state.withLock { s -> (FlowTicket, (any DatagramPath)?)? in
            guard var session = s.sessions[key] else { return nil }
            session.lastActive = .now
            if session.path == nil, session.pending.count < TransparentDatagramListener.pendingLimit {
                session.pending.append(payload)
            }
            s.sessions[key] = session
            return (session.ticket, session.path)
        }
        guard let (ticket, path) = found else { return open(key, first: payload) }
        path?.send(payload, to: target)
        ticket.count(up: UInt64(payload.readableBytes))
    }

    private func open(_ key: Key, first payload: ByteBuffer) {
        guard let route = routing.route(to: key.destination.address, host: nil) else { return }  // no rule: drop
        let identity = Identity(userID: nil, username: "", inbound: .rule, clientAddress: "\(key.client.address)")
        guard let ticket = try? gate.admit(identity, account: nil, listenerKey: TransparentListener.listenerKey) else { return }
        state.withLock { $0.sessions[key] = Session(ticket: ticket, pending: [payload], lastActive: .now) }
        ticket.attach { [weak self] in self?.end(key) }
        ticket.count(up: UInt64(payload.readableBytes))
        let flow = Flow(identity: identity, exit: route.exit)
        let loop = group.next()
        let router = gate.router
        let logger = gate.logger
        Task {
            do {
                let path = try await router.openDatagrams(for: flow, on: loop) { [weak self] source, reply in
                    self?.reply(reply, from: source, in: key)
                }
                let queued = state.withLock { s -> [ByteBuffer]? in
                    guard var session = s.sessions[key] else { return nil }
                    session.path = path
                    defer { session.pending = []; s.sessions[key] = session }
                    return session.pending
                }
                guard let queued else { return path.close() }  // ended while opening
                let target = Target(host: .ip(key.destination.address), port: key.destination.port)
                for datagram in queued { path.send(datagram, to: target) }
            } catch {
                logger.info("captured UDP flow could not leave", metadata: [
                    "rule": "\(route.ruleID)", "target": "\(key.destination)", "error": "\(error)",
                ])
                end(key)
            }
        }
    }

    private func reply(_ payload: ByteBuffer, from source: Target, in key: Key) {
        guard case .ip(let address) = source.host, address.isIPv4 == key.client.address.isIPv4 else { return }
        let from = Endpoint(address: address, port: source.port)
        let found = state.withLock { s -> (FlowTicket, TransparentUDPSocket?)? in
            guard var session = s.sessions[key] else { return nil }
            session.lastActive = .now
            s.sessions[key] = session
            if let socket = s.repliers[from] { return (session.ticket, socket) }
            let socket = try? TransparentUDPSocket.sending(from: from)
            s.repliers[from] = socket
            return (session.ticket, socket)
        }
        guard let (ticket, sender) = found else { return }
        sender?.send(Array(payload.readableBytesView), to: key.client)
        ticket.count(down: UInt64(payload.readableBytes))
    }

    private func end(_ key: Key) {
        let ended = state.withLock { s in s.sessions.removeValue(forKey: key) }
        ended?.path?.close()
        ended?.ticket.finish()
        dropUnusedRepliers()
    }

    func endIdle() {
        let cutoff = ContinuousClock.now.advanced(by: .zero - TransparentDatagramListener.idleTimeout)
        let idle = state.withLock { s in s.sessions.filter { $0.value.lastActive < cutoff }.map(\.key) }
        for key in idle { end(key) }
    }

    func endAll() {
        let keys = state.withLock { s in Array(s.sessions.keys) }
        for key in keys { end(key) }
        state.withLock { $0.repliers = [:] }
    }

    /// Reply sockets whose address no flow uses any more.
    private func dropUnusedRepliers() {
        state.withLock { s in
            let destinations = Set(s.sessions.keys.map(\.destination))
            s.repliers = s.repliers.filter { destinations.contains($0.key) }
        }
    }
}
