import MeshWire
import Foundation
import Hysteria
import Logging
import NIOCore
import QUIC
import Synchronization
import WireFormat

/// The dialling side of one configured peer (`clients[]`): connect over Hysteria 2, register,
/// open the control stream, serve the peer's dial requests, probe and report latency, and
/// reconnect with backoff when anything ends.
final class OutboundSession: Sendable {
    /// First and longest wait before reconnecting; it doubles after each short-lived attempt.
    static let backoff = (first: Duration.seconds(1), longest: Duration.seconds(30))
    /// A session that lasted this long starts the backoff over.
    static let stableAfter = Duration.seconds(30)
    static let probeInterval = Duration.seconds(5)
    /// Failed probes without traffic before the session is given up (§5).
    static let probeStrikes = 3
    /// How long stopping waits for the session to wind down.
    static let stopWait = Duration.seconds(2)

    let client: MeshClient
    let node: MeshNode
    private let stopRequest = Signal()
    private let ended = Signal()

    init(client: MeshClient, node: MeshNode) {
        self.client = client
        self.node = node
    }

    private var logger: Logger { node.logger }
    private var clock: MeshClock { node.clock }

    /// Runs the session as a child of the node's work until ``stop()``. Call once.
    func start() {
        let accepted = node.work.submit {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.run() }
                group.addTask { await self.stopRequest.wait() }
                await group.next()
                group.cancelAll()
            }
            self.ended.fire()
        }
        if !accepted { ended.fire() }
    }

    /// Ends the session. A handshake in progress is not interruptible: it is left to finish (and
    /// close at once) as a child of the node's work rather than hold up the reconcile for its
    /// timeout.
    func stop() async {
        stopRequest.fire()
        await ended.wait(atMost: Self.stopWait, on: clock)
    }

    private func run() async {
        var wait = Self.backoff.first
        while !Task.isCancelled {
            let started = clock.now
            do {
                try await attach()
            } catch is CancellationError {
                return
            } catch {
                logger.info("peer session ended", metadata: ["peer": "\(client.name)", "addr": "\(client.address)", "reason": "\(error)"])
            }
            if clock.now - started >= Self.stableAfter { wait = Self.backoff.first }
            guard (try? await clock.sleep(for: wait)) != nil else { return }  // cancelled: stopping
            wait = min(wait * 2, Self.backoff.longest)
        }
    }

    /// The addresses to dial, primary first (`addrs`, else `addr`).
    private var addresses: [String] { client.addresses.isEmpty ? [client.address] : client.addresses }

    /// One connection's lifetime: returns or throws when it ends. The first address that
    /// answers carries the session (v1.3 insists on the primary); the others become extra
    /// connections. QUIC waits do not end on cancellation, so stopping closes the connection,
    /// which ends them all.
    private func attach() async throws {
        var failures: [String] = []
        for (index, address) in addresses.enumerated() {
            let hysteria: HysteriaClient
            do {
                hysteria = try await connect(to: address)
            } catch {
                failures.append("\(address): \(error)")
                continue
            }
            let others = addresses.enumerated().filter { $0.offset != index }.map(\.element)
            let result = await Result(catching: {
                try await withTaskCancellationHandler {
                    try await self.session(on: hysteria, at: address, extraAddresses: others)
                } onCancel: {
                    // QUIC waits do not end on cancellation; closing ends them. The close below awaits it.
                    hysteria.closeNow()
                }
            })
            await hysteria.close()
            try Task.checkCancellation()
            return try result.get()
        }
        throw SessionError.unreachable(failures)
    }

    func connect(to address: String) async throws -> HysteriaClient {
        try await HysteriaClient.connect(try options(for: address), group: node.group, logger: logger)
    }

    private func session(on hysteria: HysteriaClient, at address: String, extraAddresses: [String]) async throws {
        let registration: Registration
        do {
            registration = try await Registration.dial(hysteria, as: node.settings, metadata: node.metadata, work: node.work)
        } catch let error as Registration.NotHy2scale {
            logger.notice("peer is a plain Hysteria 2 server; using it as a one-hop exit", metadata: ["peer": "\(client.name)", "reason": "\(error)"])
            try await serveNative(hysteria, at: address)
            return
        }
        let name = registration.name.isEmpty ? client.name : registration.name
        try checkConflict(name)
        let ending = Signal()
        let peer = Peer(name: name, direction: .outbound, metadata: registration.metadata, clientLabel: client.name,
                        address: address, link: .outbound(hysteria), end: { ending.fire() })
        guard node.peers.install(peer) != .impostor else {
            throw SessionError.impostor(name)
        }
        defer { node.peers.remove(peer) }
        if name != client.name {
            logger.notice("peer announces another name; paths may use either", metadata: ["client": "\(client.name)", "peer": "\(name)"])
        }
        logger.info("peer connected", metadata: ["peer": "\(name)", "addr": "\(address)", "direction": "outbound", "version": "\(registration.metadata.version)"])
        let control = try await hysteria.openTCP(address: StreamAddress.controlStream.formatted)
        var hello = ByteBuffer()
        try NameMessage(name: node.settings.name).encode(into: &hello)
        try await control.stream.write(hello)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.serveRequests(on: control, from: peer, hysteria: hysteria) }
            group.addTask { try await self.probe(peer, hysteria: hysteria) }
            group.addTask { await hysteria.waitUntilClosed(); throw SessionError.connectionClosed }
            group.addTask { try await Self.close(hysteria, when: ending) }
            for extra in extraAddresses {
                group.addTask { await ExtraConnection(address: extra, session: self, peer: peer).run() }
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    private func options(for address: String) throws -> HysteriaClientOptions {
        guard let host = ClientAddress(address) else { throw SessionError.badAddress(address) }
        let server = try SocketAddress.makeAddressResolvingHost(host.host, port: host.port)
        var options = HysteriaClientOptions(server: server, auth: client.password,
                                            serverName: client.serverName.isEmpty ? "hy2scale" : client.serverName)
        options.insecure = client.isInsecure
        options.trustedAuthoritiesPEM = client.certificateAuthority.isEmpty ? nil : client.certificateAuthority
        options.receiveBandwidth = UInt64(client.maxReceiveRate > 0 ? client.maxReceiveRate : 125_000_000)
        return options
    }

    /// v1.3 refuses a peer that answers with our own name or with another configured client's
    /// name (§2.4); ours logs and retries instead of relaying to the wrong node.
    private func checkConflict(_ name: String) throws {
        let settings = node.settings
        if settings.isSelf(name) { throw SessionError.nameConflict(name, "it is this node's own name") }
        if settings.clients.contains(where: { $0.name == name && $0.address != client.address }) {
            throw SessionError.nameConflict(name, "another configured client has that name")
        }
    }

    private func serveNative(_ hysteria: HysteriaClient, at address: String) async throws {
        let ending = Signal()
        let peer = Peer(name: client.name, direction: .outbound, metadata: NodeMetadata(), isNative: true,
                        clientLabel: client.name, address: address, link: .outbound(hysteria), end: { ending.fire() })
        guard node.peers.install(peer) != .impostor else { throw SessionError.impostor(client.name) }
        defer { node.peers.remove(peer) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await hysteria.waitUntilClosed(); throw SessionError.connectionClosed }
            group.addTask { try await Self.close(hysteria, when: ending) }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    /// Closes the connection once the peer is ended (replaced, disabled or shut down) and throws
    /// as its closing would; returns quietly when cancelled first.
    private static func close(_ hysteria: HysteriaClient, when ending: Signal) async throws {
        await ending.wait()
        guard ending.isFired else { return }
        await hysteria.close()
        throw SessionError.connectionClosed
    }

    /// Reads the server's dial requests until the control stream ends (§3.2).
    private func serveRequests(on control: HysteriaTCPStream, from peer: Peer, hysteria: HysteriaClient) async throws {
        var reader = StreamReader(control.stream, leftover: control.leftover)
        await withDiscardingTaskGroup { group in
            do {
                while true {
                    let request = try await reader.next("dial request", limit: 4200, decode: { try DialRequest.decode(from: &$0) })
                    group.addTask { await self.node.answer(request, from: peer, over: hysteria) }
                }
            } catch {
                logger.debug("control stream ended", metadata: ["peer": "\(peer.name)", "reason": "\(error)"])
            }
            group.cancelAll()
        }
        throw SessionError.controlStreamEnded
    }

    /// Pings every 5 s and reports latency; three failures with no traffic in between end the
    /// session (§5).
    private func probe(_ peer: Peer, hysteria: HysteriaClient) async throws {
        var strikes = 0
        var lastTraffic: UInt64 = 0
        while true {
            try await clock.sleep(for: Self.probeInterval)
            let milliseconds: Int?
            do {
                milliseconds = try await node.ping(over: hysteria)
            } catch {
                logger.debug("ping failed", metadata: ["peer": "\(peer.name)", "reason": "\(error)"])
                milliseconds = nil
            }
            peer.record(latency: milliseconds)
            if let milliseconds {
                strikes = 0
                await node.reportLatency(milliseconds, over: hysteria)
                continue
            }
            let traffic = peer.sentBytes.load(ordering: .relaxed) &+ peer.receivedBytes.load(ordering: .relaxed)
            strikes = traffic == lastTraffic ? strikes + 1 : 0  // congested is not dead
            lastTraffic = traffic
            if strikes >= Self.probeStrikes { throw SessionError.probesFailed }
        }
    }

    enum SessionError: Error, CustomStringConvertible {
        case badAddress(String)
        case unreachable([String])
        case impostor(String)
        case nameConflict(String, String)
        case controlStreamEnded
        case connectionClosed
        case probesFailed

        var description: String {
            switch self {
            case .badAddress(let address): "\"\(address)\" is not host:port"
            case .unreachable(let failures): "no address answered: " + failures.joined(separator: "; ")
            case .impostor(let name): "another node with a different id already holds the name \"\(name)\""
            case .nameConflict(let name, let why): "the peer calls itself \"\(name)\", but \(why)"
            case .controlStreamEnded: "the control stream ended"
            case .connectionClosed: "the connection closed"
            case .probesFailed: "\(OutboundSession.probeStrikes) pings failed with no traffic"
            }
        }
    }
}

/// `host:port` of a client address; a port-hopping spec (`host:5565,44000-45000`) uses its first
/// port, as v1.3 does.
struct ClientAddress {
    var host: String
    var port: Int

    init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        var host = String(text[..<colon])
        let ports = text[text.index(after: colon)...]
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, let first = ports.split(separator: ",").first?.split(separator: "-").first,
              let port = Int(first), (1...65535).contains(port) else { return nil }
        self.host = host
        self.port = port
    }
}
