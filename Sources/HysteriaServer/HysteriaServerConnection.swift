import Access
package import MeshWire
package import Addressing
package import Foundation
package import Hysteria
package import Logging
package import NIOCore
package import QUIC
package import Routing
package import Synchronization
package import WireFormat

/// One client connection of the Hysteria 2 server: the HTTP/3 login, then proxy streams and UDP
/// datagrams under that login. Anything that is not a successful login gets the masquerade
/// answer (a plain 404), so a prober sees a web server.
package final class HysteriaServerConnection: Sendable {
    /// Time a stream may take to deliver its whole request.
    package static let requestTimeout = TimeAmount.seconds(10)
    /// Largest request (HTTP/3 headers, or a proxy request with its padding) read before giving up.
    package static let maximumRequestBytes = 16 << 10

    /// Who the connection logged in as, and where its flows go.
    package struct Login: Sendable {
        var isPeer: Bool
        var flow: Flow
        /// Counts a user's traffic and ends the connection when the user is kicked or revoked.
        var ticket: FlowTicket?
        var udp: HysteriaUDPSessions
    }

    package let quic: QUICConnection
    private let server: HysteriaServer
    private let login = Mutex<Login?>(nil)

    package init(quic: QUICConnection, server: HysteriaServer) {
        self.quic = quic
        self.server = server
    }

    private var logger: Logger { server.logger }
    private var clientAddress: String { quic.remoteAddress.ipAddress ?? "" }

    /// Serves the connection until it closes.
    package func run() async {
        await openControlStream()
        await withDiscardingTaskGroup { group in
            group.addTask { await self.closeUnlessLoggedIn() }
            group.addTask { await self.receiveDatagrams() }
            group.addTask { await self.reapSessions() }
            while let stream = try? await quic.acceptStream() {
                group.addTask { await self.handle(stream) }
            }
            group.cancelAll()
        }
        let ended = login.withLock { $0 }
        ended?.udp.closeAll()
        ended?.ticket?.finish()
        if ended?.isPeer == true { server.forgetPeer(self) }
    }

    private func openControlStream() async {
        do {
            try await quic.openHTTP3ControlStream()
        } catch {
            logger.debug("hy2 control stream not opened", metadata: ["client": "\(quic.remoteAddress)", "reason": "\(error)"])
        }
    }

    private func closeUnlessLoggedIn() async {
        guard (try? await Task.sleep(for: server.loginTimeout)) != nil, login.withLock({ $0 == nil }) else { return }
        logger.info("hy2 client refused", metadata: ["client": "\(quic.remoteAddress)", "reason": "no login within \(server.loginTimeout)"])
        await quic.close(errorCode: HysteriaErrorCode.noError)
    }

    /// Hands datagrams to their UDP sessions; a session's path opens as a child, so it ends
    /// with the connection.
    private func receiveDatagrams() async {
        await withDiscardingTaskGroup { group in
            while let datagram = try? await quic.receiveDatagram() {
                guard let login = login.withLock({ $0 }) else { continue }  // before login: dropped, as the official server
                if login.isPeer, server.refusesPeerExits { continue }
                if let session = login.udp.receive(datagram, now: Self.monotonicSeconds()) {
                    group.addTask { await login.udp.open(session) }
                }
            }
        }
    }

    private func reapSessions() async {
        while (try? await Task.sleep(for: .seconds(1))) != nil {
            login.withLock { $0?.udp }?.reap(now: Self.monotonicSeconds())
        }
    }

    /// Idle time is measured on the monotonic clock, so a wall-clock step does not reap sessions.
    private static func monotonicSeconds() -> Int64 { Int64(NIODeadline.now().uptimeNanoseconds / 1_000_000_000) }

    // MARK: streams

    /// What a client's bidirectional stream asked for.
    private enum StreamRequest {
        /// A proxy request (0x401) after login, with the bytes that came after it.
        case proxy(TCPRequest, leftover: ByteBuffer, Login)
        /// An HTTP/3 request: the login, or something for the masquerade.
        case http(HTTP3Request)
        /// Refused: the reset code and the reason for the log.
        case refused(code: UInt64, reason: String)
    }

    private func handle(_ stream: QUICStream) async {
        if stream.isUnidirectional {
            while (try? await stream.read()) != nil {}  // the client's control and QPACK streams: nothing we need
            return
        }
        // A timer on the loop rather than a task: one per stream, so it should cost little.
        let watchdog = quic.eventLoop.scheduleTask(in: Self.requestTimeout) {
            stream.resetNow(errorCode: HysteriaErrorCode.requestIncomplete)
        }
        let request: StreamRequest
        do {
            request = try await readRequest(from: stream)
        } catch {
            request = .refused(code: HysteriaErrorCode.generalProtocolError, reason: "\(error)")
        }
        watchdog.cancel()
        switch request {
        case .proxy(let request, let leftover, let login):
            await route(request, on: stream, leftover: leftover, login: login)
        case .http(let http):
            try? await answer(http, on: stream)  // a failed write means the stream is gone already
        case .refused(let code, let reason):
            logger.debug("hy2 stream refused", metadata: ["client": "\(quic.remoteAddress)", "reason": "\(reason)"])
            await stream.reset(errorCode: code)
        }
    }

    /// Reads until the stream's first message is whole: a proxy request (taken out of HTTP/3
    /// only once logged in, spec §1.3) or an HTTP/3 request's headers.
    private func readRequest(from stream: QUICStream) async throws -> StreamRequest {
        var buffer = ByteBuffer()
        var reader = HTTP3FrameReader(maximumFrameLength: Self.maximumRequestBytes)
        var isProxyRequest: Bool?
        while let chunk = try await stream.read() {
            buffer.writeImmutableBuffer(chunk)
            if isProxyRequest == nil, let (type, _) = QUICVarint.peek(in: buffer, at: buffer.readerIndex) {
                isProxyRequest = type == HysteriaConstants.tcpRequestType
            }
            switch isProxyRequest {
            case true?:
                guard let login = login.withLock({ $0 }) else {
                    return .refused(code: HysteriaErrorCode.generalProtocolError, reason: "a proxy request before login")
                }
                if case .value(let request) = try TCPRequest.decode(from: &buffer) {
                    return .proxy(request, leftover: buffer, login)
                }
            case false?:
                while let frame = try reader.next(from: &buffer) {
                    switch frame {
                    case .headers(let block): return .http(try HTTP3Request(fields: QPACKDecoder().decode(block)))
                    case .unknown: continue  // reserved and extension frames are skipped
                    default: return .refused(code: HysteriaErrorCode.frameUnexpected, reason: "a request that does not start with HEADERS")
                    }
                }
            case nil:
                break
            }
            guard buffer.readableBytes <= Self.maximumRequestBytes else {
                return .refused(code: HysteriaErrorCode.generalProtocolError, reason: "a request larger than \(Self.maximumRequestBytes) bytes")
            }
        }
        return .refused(code: HysteriaErrorCode.requestIncomplete, reason: "the stream ended before its request")
    }

    /// Logs in on `/auth` with the right credential; every other request gets the masquerade.
    private func answer(_ request: HTTP3Request, on stream: QUICStream) async throws {
        var reply = ByteBuffer()
        if let auth = HTTP3AuthRequest(request: request), logIn(with: auth.auth) {
            // `auto`: we run BBR and ignore bandwidth hints, so the client keeps its own controller (DECISIONS #16).
            HTTP3AuthResponse(isUDPEnabled: true, congestionControlReceive: .auto, padding: HTTP3AuthPadding.random())
                .response.write(to: &reply)
        } else {
            HTTP3Response.writeNotFound(to: &reply)
        }
        try await stream.write(reply, finish: true)
    }

    /// Checks the credential; the first success admits the connection, a later one keeps it.
    private func logIn(with credential: String) -> Bool {
        if login.withLock({ $0 != nil }) { return true }  // "auth already done": 233 again (spec §1.2)
        let admitted: Login
        switch server.authenticate(credential) {
        case .peer:
            let identity = Identity(userID: nil, username: "", inbound: .hy2, clientAddress: clientAddress)
            let flow = Flow(identity: identity, exit: .direct)
            admitted = Login(isPeer: true, flow: flow, ticket: nil, udp: sessions(for: flow, ticket: nil))
        case .user(let account):
            do {
                let (ticket, flow) = try server.context.admit(account, from: clientAddress)
                admitted = Login(isPeer: false, flow: flow, ticket: ticket, udp: sessions(for: flow, ticket: ticket))
                ticket.attach { [quic] in quic.closeNow(errorCode: HysteriaErrorCode.excessiveLoad) }
            } catch {
                logRefusal(user: account.username, reason: "\(error)")
                return false
            }
        case .refused(let user, let reason):
            logRefusal(user: user, reason: reason)
            return false
        }
        let isFirst = login.withLock { current in
            guard current == nil else { return false }
            current = admitted
            return true
        }
        if !isFirst {
            admitted.ticket?.finish()
        } else if admitted.isPeer {
            server.rememberPeer(self)
        }
        return true
    }

    private func sessions(for flow: Flow, ticket: FlowTicket?) -> HysteriaUDPSessions {
        HysteriaUDPSessions(quic: quic, router: server.context.gate.router, flow: flow, logger: logger) { up, down in
            ticket?.count(up: up, down: down)
        }
    }

    private func logRefusal(user: String, reason: String) {
        logger.info("hy2 client refused", metadata: [
            "listener": "\(HysteriaServer.listenerKey)", "client": "\(quic.remoteAddress)", "user": "\(user)", "reason": "\(reason)",
        ])
    }

    // MARK: proxying

    /// A target is dialled; a relay sentinel from a peer goes to the mesh, which answers it;
    /// anyone else asking for a sentinel is refused.
    private func route(_ request: TCPRequest, on stream: QUICStream, leftover: ByteBuffer, login: Login) async {
        let address: StreamAddress
        do {
            address = try StreamAddress(parsing: request.address)
        } catch {
            logger.debug("hy2 stream refused", metadata: ["client": "\(quic.remoteAddress)", "reason": "\(error)"])
            await stream.reset(errorCode: HysteriaErrorCode.generalProtocolError)
            return
        }
        switch address {
        case .plain(let target), .bridged(let target, _):
            if login.isPeer, server.refusesPeerExits {
                try? await stream.write(TCPResponse.refused("this node is not an exit (exit_node: false)").encoded, finish: true)
                return
            }
            // We keep no bridges (§4.3 minimum): a tagged target is dialled plainly.
            await proxy(stream, to: target, leftover: leftover, login: login)
        default:
            guard login.isPeer, let mesh = server.mesh else {
                logger.info("hy2 relay request refused", metadata: [
                    "client": "\(quic.remoteAddress)", "reason": "\(login.isPeer ? "the mesh is not running" : "only peers (node password) may relay")",
                ])
                await stream.reset(errorCode: HysteriaErrorCode.generalProtocolError)
                return
            }
            await mesh.serve(stream, address: address, leftover: leftover, on: quic)
        }
    }

    /// Dials `target`, answers with the result (only after the dial, spec §1.8), then relays.
    private func proxy(_ stream: QUICStream, to target: Target, leftover: ByteBuffer, login: Login) async {
        let channel: any Channel
        do {
            channel = try await server.context.openStream(to: target, for: login.flow, on: quic.eventLoop).get()
        } catch {
            logger.info("hy2 proxy request failed", metadata: ["flow": "\(login.flow)", "target": "\(target)", "reason": "\(error)"])
            try? await stream.write(TCPResponse.refused("\(error)").encoded, finish: true)
            return
        }
        let response = TCPResponse.connected.encoded, ticket = login.ticket
        do {
            // One hop: the stream and the channel share the loop (openStream was asked for it).
            try await channel.eventLoop.flatSubmit {
                let relay = QUICStreamRelay(stream: stream, leftover: leftover.readableBytes > 0 ? leftover : nil) { up, down in
                    ticket?.count(up: up, down: down)
                }
                return stream.writeFuture(response).assumeIsolated().flatMapThrowing {
                    try channel.pipeline.syncOperations.addHandlers([IdleStateHandler(allTimeout: Splice.idleTimeout), relay])
                }.nonisolated()
            }.get()
        } catch {
            channel.close(promise: nil)
            await stream.reset(errorCode: HysteriaErrorCode.noError)
        }
    }
}
