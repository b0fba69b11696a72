public import MeshWire
import Logging
import Hysteria
public import NIOCore
public import QUIC
import WireFormat

extension MeshNode {
    /// How long the server looks for the request a data stream answers (v1.3: 50 × 10 ms, §3.3).
    static let dataMatchWindow = Duration.milliseconds(500)

    /// Serves a relay stream a peer opened on our Hysteria 2 server (§1.3 step 1) and answers its
    /// request. v1.3 answers every sentinel OK at once, so failures show only as the stream
    /// closing; ours answers a via stream only once the next hop has accepted it (or with the
    /// reason it failed), so the requester can fail over. A v1.3 requester just waits longer.
    /// - Parameters:
    ///   - address: a sentinel (not a plain or bridged target, which the server dials itself).
    ///   - connection: the peer's connection; inbound sessions and control streams bind to it.
    public func serve(_ stream: QUICStream, address: StreamAddress, leftover: ByteBuffer, on connection: QUICConnection) async {
        if case .via(let route) = address {
            let from = peers.all().first { $0.direction == .inbound && $0.connection === connection }
            await forward(stream, leftover: leftover, along: route, from: from, answering: true)
            return
        }
        guard await Self.answer(stream, failure: nil) else { return }
        switch address {
        case .register:
            await acceptRegistration(on: stream, leftover: leftover, connection: connection)
        case .controlStream:
            await attachControlStream(stream, leftover: leftover, connection: connection)
        case .data(let id):
            await matchDataStream(stream, id: id, connection: connection)
        default:
            let from = peers.all().first { $0.direction == .inbound && $0.connection === connection }
            await serveSentinel(address, on: stream, leftover: leftover, from: from)
        }
    }

    /// Writes the Hysteria 2 proxy answer: OK, or the failure's reason (and FIN); false when the
    /// stream is gone or the answer was a failure.
    static func answer(_ stream: QUICStream, failure: String?) async -> Bool {
        let response = failure.map(TCPResponse.refused) ?? .connected
        guard (try? await stream.write(response.encoded, finish: failure != nil)) != nil else { return false }
        return failure == nil
    }

    /// The sentinels that may also arrive through a control-stream request (§3 intro).
    func serveSentinel(_ address: StreamAddress, on stream: QUICStream, leftover: ByteBuffer, from peer: Peer?) async {
        switch address {
        case .ping:
            var reply = ByteBuffer()
            PingReply.encode(into: &reply)
            try? await stream.write(reply, finish: true)
        case .latency:
            await receiveLatencyReport(on: stream, leftover: leftover)
        case .listPeers:
            var reply = ByteBuffer()
            discovery.peerList(of: self).encode(into: &reply)
            try? await stream.write(reply, finish: true)
        case .via(let route):
            await forward(stream, leftover: leftover, along: route, from: peer, answering: false)
        case .ipTunnel(let origin) where tunnelExit != nil && settings.isExitNode:
            await tunnelExit?.serve(PacketTunnel(stream: stream, leftover: leftover) { sent, received in
                peer?.count(sent: UInt64(sent), received: UInt64(received))
            }, origin: origin)
        default:
            // The remote API, bridges and bonds are not offered by this node, nor raw IP tunnels
            // without a tunnel exit or with `exit_node: false`: closing is what v1.3 expects of a
            // node without them (§10 b4).
            logger.debug("relay stream not offered here", metadata: ["address": "\(address.formatted.prefix(80))"])
            stream.resetNow()
        }
    }

    private func acceptRegistration(on stream: QUICStream, leftover: ByteBuffer, connection: QUICConnection) async {
        let settings = self.settings
        let registration: Registration
        let untilEnd: @Sendable () async -> Void
        do {
            (registration, untilEnd) = try await Registration.accept(on: stream, leftover: leftover, as: settings.name,
                                                                     metadata: metadata, work: work)
        } catch {
            logger.info("peer registration failed", metadata: ["client": "\(connection.remoteAddress)", "reason": "\(error)"])
            stream.resetNow()
            return
        }
        // A disabled client may not come in either (reference-api §2.3); `peers.<name>.disabled`
        // only keeps paths from using it.
        guard !settings.isClientDisabled(registration.name) else {
            logger.info("disabled peer refused", metadata: ["peer": "\(registration.name)"])
            await turnAway(stream, untilEnd: untilEnd)
            return
        }
        let link = InboundLink(connection: connection, clock: clock)
        let peer = Peer(name: registration.name, direction: .inbound, metadata: registration.metadata,
                        isExitNode: registration.flags.contains(.exitNode), link: .inbound(link)) {
            stream.resetNow()
        }
        guard peers.install(peer) != .impostor else {
            logger.notice("peer refused: another node holds its name", metadata: ["peer": "\(registration.name)", "id": "\(registration.metadata.nodeID)"])
            await turnAway(stream, untilEnd: untilEnd)
            return
        }
        logger.info("peer connected", metadata: ["peer": "\(peer.name)", "client": "\(connection.remoteAddress)", "direction": "inbound", "version": "\(registration.metadata.version)"])
        // The register stream is the session (§3.1): any byte, FIN or error ends it.
        await untilEnd()
        peers.remove(peer)
        link.close()
        stream.resetNow()
        logger.info("peer disconnected", metadata: ["peer": "\(peer.name)", "direction": "inbound"])
    }

    /// Closes a register stream we refused after our name went out: FIN first, as v1.3 closes
    /// it, because a reset can make the other side drop the name unread (quic-go's reader does,
    /// and v1.3's address check reads that name, §6); the reset follows once the other side
    /// closed too, or had ample time to read.
    private func turnAway(_ stream: QUICStream, untilEnd: @escaping @Sendable () async -> Void) async {
        // A failed FIN or no end in time leads to the reset all the same.
        if (try? await stream.write(ByteBuffer(), finish: true)) != nil {
            _ = try? await work.firstWithin(Registration.requestTimeout, "end of a refused register") { await untilEnd() }
        }
        stream.resetNow()
    }

    /// Binds the control stream to the session that registered on the same connection (v1.3
    /// binds by name alone, §3.2 quirk), then holds it until it ends.
    private func attachControlStream(_ stream: QUICStream, leftover: ByteBuffer, connection: QUICConnection) async {
        var reader = StreamReader(stream, leftover: leftover)
        guard let hello = try? await reader.next("control stream name", decode: { try NameMessage.decode(from: &$0) }),
              let peer = peers.inbound(named: hello.name, on: ObjectIdentifier(connection)),
              case .inbound(let link) = peer.link else {
            stream.resetNow()
            return
        }
        link.attachControl(stream)
        while (try? await stream.read()) != nil {}  // nothing is sent our way on it
    }

    private func matchDataStream(_ stream: QUICStream, id: DialRequestID, connection: QUICConnection) async {
        let deadline = clock.now + Self.dataMatchWindow
        repeat {
            let links = peers.all().compactMap { peer -> InboundLink? in
                if case .inbound(let link) = peer.link { return link }
                return nil
            }
            // The connection it came on first; v1.3 scans every peer (§3.3).
            let ordered = links.filter { $0.connection === connection } + links.filter { $0.connection !== connection }
            for link in ordered where link.deliver(stream, id: id) { return }
        } while (try? await clock.sleep(for: .milliseconds(10))) != nil && clock.now < deadline
        stream.resetNow()
    }

    private func receiveLatencyReport(on stream: QUICStream, leftover: ByteBuffer) async {
        var reader = StreamReader(stream, leftover: leftover)
        // A bare open and close is a liveness probe (§3.5): no report, nothing to do.
        if let report = try? await reader.next("latency report", decode: { try LatencyReport.decode(from: &$0) }),
           let peer = peers.primary(report.name), report.milliseconds > 0 {
            peer.record(latency: Int(report.milliseconds))
        }
        stream.resetNow()
    }
}
