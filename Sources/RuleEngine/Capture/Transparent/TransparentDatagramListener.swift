public import Access
public import Addressing
import Foundation
import LinuxNet
import Logging
public import NIOCore
import Routing
import Synchronization
import SystemCalls

/// The UDP side of capture: datagrams the kernel captured with TPROXY arrive with their original
/// destination, and each (client, destination) pair becomes a datagram flow through the exit of
/// the rule that holds the destination. Replies are sent from the address they came from, so the
/// client sees its server answer.
///
/// Receiving is one blocking reader thread per socket, since the original destination comes as
/// ancillary data that only a plain `recvmsg` can read. It hands datagrams to one task through a
/// bounded `AsyncStream`: the thread-to-async bridge, and the only task the listener starts. That
/// task owns the flows (their opening paths and the idle sweep are its children), and
/// ``close()`` wakes the reader through an eventfd and awaits the task.
public final class TransparentDatagramListener: Sendable {
    /// A flow with no datagram either way for this long ends (reference §0.6's UDP idle time).
    static let idleTimeout: Duration = .seconds(60)
    /// How often flows are checked against ``idleTimeout``.
    static let idleSweepInterval: Duration = .seconds(5)
    /// Datagrams held while a flow's path opens; later ones are dropped, as UDP would.
    static let pendingLimit = 64
    /// Datagrams received but not yet handed to their flow; while the flows lag this far behind
    /// the socket, newer ones are dropped, as UDP would.
    static let receivedLimit = 1024

    private let wakeup: Wakeup
    private let serving: Task<Void, Never>

    private init(wakeup: Wakeup, serving: Task<Void, Never>) {
        self.wakeup = wakeup
        self.serving = serving
    }

    /// Binds `address:port` with `IP_TRANSPARENT` and starts receiving.
    /// - Throws: ``SystemCallError`` for the socket call that failed.
    public static func start(address: IPAddress, port: UInt16, gate: InboundGate, routing: any CaptureRouting,
                             group: any EventLoopGroup) throws -> TransparentDatagramListener {
        guard let endpoint = TransparentUDPSocket.Endpoint(address: address.bytes, port: port) else {
            preconditionFailure("an IPAddress has 4 or 16 bytes")
        }
        let socket = try TransparentUDPSocket.receiving(at: endpoint)
        let wakeup = try Wakeup()
        let (datagrams, received) = AsyncStream.makeStream(
            of: TransparentUDPSocket.Datagram.self, bufferingPolicy: .bufferingOldest(receivedLimit))
        let logger = gate.logger
        let reader = Thread { read(from: socket, into: received, until: wakeup, logger: logger) }
        reader.name = "hy2scale-tproxy-udp"
        reader.start()
        let sessions = Sessions(gate: gate, routing: routing, group: group)
        // Bridge: the consumer of the reader thread's stream; a driver starts the listener and has
        // no run() to own children, so close() ends this task and awaits it.
        let serving = Task { await sessions.serve(datagrams) }
        return TransparentDatagramListener(wakeup: wakeup, serving: serving)
    }

    /// Stops receiving and ends every flow; returns once they have ended. Calling it again waits
    /// for the same end.
    public func close() async {
        wakeup.signal()
        await serving.value
    }

    /// The reader thread: receives until `wakeup` is signalled, reusing one buffer, then
    /// finishes the stream.
    private static func read(from socket: TransparentUDPSocket, into received: AsyncStream<TransparentUDPSocket.Datagram>.Continuation,
                             until wakeup: Wakeup, logger: Logger) {
        defer { received.finish() }
        var buffer = TransparentUDPSocket.ReceiveBuffer()
        while true {
            do throws(SystemCallError) {
                switch try socket.receive(into: &buffer, unless: wakeup) {
                case .datagram(let datagram): received.yield(datagram)
                case .dropped: continue
                case .woken: return
                }
            } catch where error.call == "recvmsg" {
                // One datagram's error (a pending ICMP error, memory pressure) loses that datagram.
                logger.debug("captured UDP datagram not received", metadata: ["error": "\(error)"])
            } catch {
                logger.error("transparent UDP listener stopped receiving", metadata: ["error": "\(error)"])
                return
            }
        }
    }
}

/// The live UDP flows of one transparent listener.
private final class Sessions: Sendable {
    /// An address and port in the terms of the flows (`IPAddress`), for keys and logs.
    struct Endpoint: Hashable, Sendable, CustomStringConvertible {
        var address: IPAddress
        var port: UInt16
        var description: String { address.isIPv4 ? "\(address):\(port)" : "[\(address)]:\(port)" }

        init(address: IPAddress, port: UInt16) {
            self.address = address
            self.port = port
        }

        init?(_ endpoint: TransparentUDPSocket.Endpoint) {
            guard let address = IPAddress(bytes: endpoint.address) else { return nil }
            self.init(address: address, port: endpoint.port)
        }

        var socketEndpoint: TransparentUDPSocket.Endpoint? {
            TransparentUDPSocket.Endpoint(address: address.bytes, port: port)
        }
    }

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

    /// A flow admitted by ``deliver(_:)`` whose path is still to open.
    private struct Opening: Sendable {
        var key: Key
        var flow: Flow
        /// What the flow goes by, for logs.
        var label: String
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

    /// Hands each received datagram to its flow, opening flows as their first datagram comes and
    /// ending idle ones, until `datagrams` finishes; then ends every flow.
    func serve(_ datagrams: AsyncStream<TransparentUDPSocket.Datagram>) async {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.endIdleFlows() }
            for await datagram in datagrams {
                if let opening = deliver(datagram) {
                    group.addTask { await self.open(opening) }
                }
            }
            group.cancelAll()
        }
        endAll()
    }

    /// Passes `datagram` to its flow; returns the flow to open when it is the first of one.
    private func deliver(_ datagram: TransparentUDPSocket.Datagram) -> Opening? {
        guard let client = Endpoint(datagram.source), let destination = Endpoint(datagram.originalDestination) else { return nil }
        let key = Key(client: client, destination: destination)
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
        guard let (ticket, path) = found else { return admit(key, first: payload) }
        path?.send(payload, to: target)
        ticket.count(up: UInt64(payload.readableBytes))
        return nil
    }

    /// Starts the flow of `key` with `payload` queued; `nil` when no rule takes it or the gate
    /// refuses it (the datagram is dropped).
    private func admit(_ key: Key, first payload: ByteBuffer) -> Opening? {
        // Neither a rule nor a gateway client: drop.
        guard let route = routing.route(from: key.client.address, to: key.destination.address, host: nil) else { return nil }
        guard let (identity, account) = route.admission(from: key.client.address, gate: gate),
              let ticket = try? gate.admit(identity, account: account, listenerKey: TransparentListener.listenerKey) else { return nil }
        state.withLock { $0.sessions[key] = Session(ticket: ticket, pending: [payload], lastActive: .now) }
        ticket.attach { [weak self] in self?.end(key) }
        ticket.count(up: UInt64(payload.readableBytes))
        return Opening(key: key, flow: Flow(identity: identity, exit: route.exit(for: account)), label: route.label)
    }

    /// Opens the path of an admitted flow and sends what queued meanwhile.
    private func open(_ opening: Opening) async {
        let key = opening.key
        do {
            let path = try await gate.router.openDatagrams(for: opening.flow, on: group.next()) { [weak self] source, reply in
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
            if !Task.isCancelled {  // the listener closing is not the flow's failure
                gate.logger.info("captured UDP flow could not leave", metadata: [
                    "route": "\(opening.label)", "target": "\(key.destination)", "error": "\(error)",
                ])
            }
            end(key)
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
            // A reply address we cannot bind (taken, or the capability gone) drops its replies.
            let socket = from.socketEndpoint.flatMap { try? TransparentUDPSocket.sending(from: $0) }
            s.repliers[from] = socket
            return (session.ticket, socket)
        }
        guard let (ticket, sender) = found, let client = key.client.socketEndpoint else { return }
        sender?.send(Array(payload.readableBytesView), to: client)
        ticket.count(down: UInt64(payload.readableBytes))
    }

    private func end(_ key: Key) {
        let ended = state.withLock { s in s.sessions.removeValue(forKey: key) }
        ended?.path?.close()
        ended?.ticket.finish()
        dropUnusedRepliers()
    }

    /// Every ``TransparentDatagramListener/idleSweepInterval``, ends the flows idle for
    /// ``TransparentDatagramListener/idleTimeout``; returns when cancelled.
    private func endIdleFlows() async {
        while (try? await Task.sleep(for: TransparentDatagramListener.idleSweepInterval)) != nil {
            let cutoff = ContinuousClock.now.advanced(by: .zero - TransparentDatagramListener.idleTimeout)
            let idle = state.withLock { s in s.sessions.filter { $0.value.lastActive < cutoff }.map(\.key) }
            for key in idle { end(key) }
        }
    }

    private func endAll() {
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
