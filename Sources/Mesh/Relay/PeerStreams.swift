import MeshWire
import Addressing
import Egress
import Hysteria
import Logging
import NIOCore
import QUIC
import Routing
import WireFormat

extension MeshNode {
    /// Budget of one ping (§3.4).
    static let pingTimeout = Duration.seconds(2)
    /// How long a reverse-dialled UDP relay may stay silent (§8).
    static let udpSilence = Duration.seconds(30)
    /// Idle relayed streams end after this, as proxied ones do.
    static let relayIdleTimeout = TimeAmount.minutes(10)

    /// Opens `address` towards `peer`: a stream on our client when we dialled it, a dial request
    /// on its control stream when it dialled us (§4.1).
    /// - Returns: the stream and bytes that already arrived on it.
    /// - Parameter limit: how long the answer may take (the reverse dial has its own limit).
    func openStream(_ address: String, on peer: Peer, answerWithin limit: Duration? = nil) async throws -> (QUICStream, ByteBuffer) {
        guard peer.isCompatible else {
            throw MeshRouteError.blocked(peer.name, reason: "version \"\(peer.metadata.version)\" is older than \(MeshWireLimits.minimumCompatibleVersion)")
        }
        switch peer.link {
        case .outbound(let hysteria):
            let opened = try await peer.streamClient(after: hysteria).openTCP(address: address, answerWithin: limit)
            return (opened.stream, opened.leftover)
        case .inbound(let link):
            return (try await link.request(address, id: nextDialRequestID()), ByteBuffer())
        }
    }

    /// Relays `stream` to `channel` on the stream's loop, counting the traffic on `peer`; when
    /// `answer` is given, it is written on the stream first, in the same turn of the loop.
    /// - Parameter peerIsOnStream: the peer sent us `stream` (rather than being behind `channel`).
    /// - Precondition: `channel` is on `stream.connection.eventLoop`.
    func splice(_ stream: QUICStream, leftover: ByteBuffer, with channel: any Channel, countingOn peer: Peer?,
                peerIsOnStream: Bool, answer: ByteBuffer? = nil) async throws {
        try await channel.eventLoop.flatSubmit {
            let relay = QUICStreamRelay(stream: stream, leftover: leftover.readableBytes > 0 ? leftover : nil) { up, down in
                // `up` went from the stream to the channel.
                if peerIsOnStream { peer?.count(sent: down, received: up) } else { peer?.count(sent: up, received: down) }
            }
            let answered = answer.map { stream.writeFuture($0) } ?? channel.eventLoop.makeSucceededVoidFuture()
            return answered.assumeIsolated().flatMapThrowing {
                try channel.pipeline.syncOperations.addHandlers([IdleStateHandler(allTimeout: Self.relayIdleTimeout), relay])
            }.nonisolated()
        }.get()
    }

    // MARK: the dialling side's duties (§3.2)

    /// Carries out one dial request of the server we dialled; failure is silent, as in v1.3.
    func answer(_ request: DialRequest, from peer: Peer, over hysteria: HysteriaClient) async {
        guard peer.isCompatible else { return }
        let dataAddress = StreamAddress.data(request.id).formatted
        do {
            switch try request.target() {
            case .udp(let target):
                guard settings.isExitNode else { throw MeshRouteError.notAnExit }
                try await relayDatagrams(to: target, over: hysteria, dataAddress: dataAddress, peer: peer)
            case .stream(let address) where address.isServedOnDataStream:
                let data = try await hysteria.openTCP(address: dataAddress)
                await serveSentinel(address, on: data.stream, leftover: data.leftover, from: peer)
            case .stream(.plain(let target)), .stream(.bridged(let target, _)):
                guard settings.isExitNode else { throw MeshRouteError.notAnExit }
                let channel = try await direct.openStream(to: target, for: Flow(identity: .relay, exit: .direct),
                                                          on: hysteria.connection.eventLoop)
                do {
                    let data = try await hysteria.openTCP(address: dataAddress)
                    try await splice(data.stream, leftover: data.leftover, with: channel, countingOn: peer, peerIsOnStream: true)
                } catch {
                    channel.close(promise: nil)
                    throw error
                }
            case .stream(let other):
                throw MeshRouteError.invalidPath(other.formatted)
            }
        } catch {
            logger.debug("dial request not served", metadata: ["peer": "\(peer.name)", "address": "\(request.address.prefix(80))", "reason": "\(error)"])
        }
    }

    /// `udp:` requests: datagrams to one target in u16-framed messages both ways (§8).
    private func relayDatagrams(to target: Target, over hysteria: HysteriaClient, dataAddress: String, peer: Peer) async throws {
        let replies = AsyncStream<ByteBuffer>.makeStream(bufferingPolicy: .bufferingNewest(256))
        let path = try await direct.openDatagrams(for: Flow(identity: .relay, exit: .direct), on: hysteria.connection.eventLoop) { _, payload in
            replies.continuation.yield(payload)
        }
        defer { path.close() }
        let data = try await hysteria.openTCP(address: dataAddress)
        await DatagramFraming.relay(stream: data.stream, leftover: data.leftover, silence: Self.udpSilence, clock: clock,
                                    send: { path.send($0, to: target) }, replies: replies.stream, peer: peer, logger: logger)
        replies.continuation.finish()
    }

    /// Round trip of `_relay_ping_:0` in milliseconds (§3.4).
    func ping(over hysteria: HysteriaClient) async throws -> Int {
        let start = clock.now
        let stream = try await work.firstWithin(Self.pingTimeout, "ping", discard: { $0.stream.resetNow() }) {
            try await hysteria.openTCP(address: StreamAddress.ping.formatted)
        }
        if stream.leftover.readableBytes == 0 {
            _ = try? await work.firstWithin(Self.pingTimeout, "ping reply") { try await stream.stream.read() }  // v1.3 may close without a reply
        }
        stream.stream.resetNow()
        let elapsed = clock.now - start
        return Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
    }

    /// Tells the server the latency we measured to it (§3.5).
    func reportLatency(_ milliseconds: Int, over hysteria: HysteriaClient) async {
        do {
            var report = ByteBuffer()
            try LatencyReport(name: settings.name, measuredMilliseconds: milliseconds).encode(into: &report)
            let opened = try await work.firstWithin(Self.pingTimeout, "latency stream", discard: { $0.stream.resetNow() }) {
                try await hysteria.openTCP(address: StreamAddress.latency.formatted)
            }
            try await opened.stream.write(report, finish: true)
        } catch {
            logger.debug("latency not reported", metadata: ["reason": "\(error)"])
        }
    }

    // MARK: via (§3.7)

    /// Forwards a via stream one hop on: to the next hop with the rest of the route, or, at the
    /// last hop, to the target. Intermediate hops apply no policy beyond refusing blocked peers.
    /// - Parameter answering: the stream came as a Hysteria 2 request and waits for its answer
    ///   (not when it is a data stream answering a dial request).
    func forward(_ stream: QUICStream, leftover: ByteBuffer, along route: ViaRoute, from origin: Peer?, answering: Bool) async {
        let next = route.hops[0]
        do {
            guard let peer = peers.primary(next) ?? peerByClientLabel(next) else { throw MeshRouteError.notConnected(next) }
            let address: String
            if route.hops.count > 1 {
                address = try ViaRoute(hops: Array(route.hops.dropFirst()), target: route.target).formatted
            } else {
                address = route.target.formatted  // a bridge tag was dropped with the route's: we keep no bridges
            }
            let (outgoing, outgoingLeftover) = try await openStream(address, on: peer, answerWithin: Self.pathBudget)
            let channel = try await QUICStreamChannel.make(stream: outgoing, leftover: outgoingLeftover, on: stream.connection.eventLoop,
                                                          allowRemoteHalfClosure: true).get()
            do {
                try await splice(stream, leftover: leftover, with: channel, countingOn: peer, peerIsOnStream: false,
                                 answer: answering ? TCPResponse.connected.encoded : nil)
            } catch {
                channel.close(promise: nil)
                stream.resetNow()  // the answer may be out already: no second one
                return
            }
        } catch {
            logger.info("via stream not forwarded", metadata: ["next": "\(next)", "reason": "\(error)"])
            if answering {
                _ = await Self.answer(stream, failure: "\(error)")
            } else {
                stream.resetNow()
            }
        }
    }

    /// The peer a configured client label stands for when it announced another name.
    func peerByClientLabel(_ label: String) -> Peer? {
        peers.primaries().first { $0.clientLabel == label }
    }
}

extension Identity {
    /// The identity of streams the mesh itself opens for other nodes.
    static let relay = Identity(userID: nil, username: "", inbound: .hy2, clientAddress: "")
}
