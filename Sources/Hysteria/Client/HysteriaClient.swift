public import Addressing
public import Logging
public import NIOCore
public import NIOPosix
public import QUIC
import Routing
import Synchronization
import WireFormat

/// A logged-in Hysteria 2 connection to a server (spec §1.2-§1.4): TCP streams and UDP sessions
/// to targets the server dials.
public final class HysteriaClient: Sendable {
    /// The QUIC connection under the client.
    public let connection: QUICConnection
    /// Whether the server relays UDP (`hysteria-udp`).
    public let isUDPEnabled: Bool
    /// The server's answer to our bandwidth hint (`hysteria-cc-rx`).
    public let serverReceiveRate: HTTP3AuthResponse.ReceiveRate
    private let udp: UDPDemultiplexer
    private let demultiplexing = Mutex<Task<Void, Never>?>(nil)

    private init(connection: QUICConnection, answer: HTTP3AuthResponse, logger: Logger) {
        self.connection = connection
        isUDPEnabled = answer.isUDPEnabled
        serverReceiveRate = answer.congestionControlReceive
        udp = UDPDemultiplexer(connection: connection, logger: logger)
    }

    /// Connects, opens the HTTP/3 control stream and logs in.
    /// - Throws: ``HysteriaClientError/authenticationFailed(status:)`` for a refused credential,
    ///   ``QUIC/QUICError`` when the server cannot be reached or its certificate is refused.
    public static func connect(
        _ options: HysteriaClientOptions,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger
    ) async throws -> HysteriaClient {
        var configuration = QUICConfiguration()
        configuration.handshakeTimeout = options.connectTimeout
        configuration.maxDatagramFrameSize = 65536  // as the official client: the server may send up to its path's limit
        configuration.keepAliveInterval = .seconds(10)  // the official client's: an idle peer link stays up
        configuration.obfuscation = try options.obfuscationPassword.map { try Salamander(password: $0) }
        let connection = try await QUICClient.connect(
            to: options.server, serverName: options.serverName, alpn: [HysteriaConstants.alpn], insecure: options.insecure,
            trustedAuthoritiesPEM: options.trustedAuthoritiesPEM, configuration: configuration, group: group, logger: logger)
        do {
            try await connection.openHTTP3ControlStream()
            let answer = try await logIn(on: connection, options: options)
            let client = HysteriaClient(connection: connection, answer: answer, logger: logger)
            client.startDemultiplexing()
            return client
        } catch {
            await connection.close(errorCode: HysteriaClientError.generalProtocolError)
            throw error
        }
    }

    private static func logIn(on connection: QUICConnection, options: HysteriaClientOptions) async throws -> HTTP3AuthResponse {
        let stream = try await connection.openBidirectionalStream()
        var request = ByteBuffer()
        var fields = ByteBuffer()
        let auth = HTTP3AuthRequest(auth: options.auth, congestionControlReceive: options.receiveBandwidth, padding: HTTP3AuthPadding.random())
        QPACKEncoder.encode(auth.request.fields, into: &fields)
        HTTP3Frame.headers(fields).write(to: &request)
        try await stream.write(request, finish: true)
        var reader = HTTP3FrameReader()
        var buffer = ByteBuffer()
        while let chunk = try await stream.read() {
            buffer.writeImmutableBuffer(chunk)
            while let frame = try reader.next(from: &buffer) {
                guard case .headers(let block) = frame else { continue }
                let response = try HTTP3Response(fields: QPACKDecoder().decode(block))
                guard let answer = HTTP3AuthResponse(response: response) else {
                    throw HysteriaClientError.authenticationFailed(status: response.status)
                }
                return answer
            }
        }
        throw HysteriaClientError.noAuthenticationResponse
    }

    /// Asks the server to connect to `target` and waits for its answer.
    /// - Throws: ``HysteriaClientError/connectFailed(_:)`` with the server's reason.
    public func openTCP(to target: Target) async throws -> HysteriaTCPStream {
        try await openTCP(TCPRequest(target: target))
    }

    /// As ``openTCP(to:)`` for any address text, such as a hy2scale relay sentinel.
    /// - Parameter limit: how long the server may take to answer; past it the stream is reset
    ///   and ``HysteriaClientError/noAnswerInTime`` thrown.
    public func openTCP(address: String, answerWithin limit: Duration? = nil) async throws -> HysteriaTCPStream {
        try await openTCP(TCPRequest(address: address), answerWithin: limit)
    }

    private func openTCP(_ tcpRequest: TCPRequest, answerWithin limit: Duration? = nil) async throws -> HysteriaTCPStream {
        let stream = try await connection.openBidirectionalStream()
        let expired = ExpiryFlag()
        // A timer on the connection's loop rather than a racing task: one per stream, so it should cost little.
        let watchdog = limit.map { limit in
            connection.eventLoop.scheduleTask(in: .nanoseconds(Int64(limit.components.seconds) * 1_000_000_000
                                                                + limit.components.attoseconds / 1_000_000_000)) {
                expired.isSet.store(true, ordering: .relaxed)
                stream.resetNow()
            }
        }
        defer { watchdog?.cancel() }
        do {
            var request = ByteBuffer()
            try tcpRequest.encode(into: &request)
            try await stream.write(request)
            var buffer = ByteBuffer()
            while let chunk = try await stream.read() {
                buffer.writeImmutableBuffer(chunk)
                guard case .value(let response) = try TCPResponse.decode(from: &buffer) else { continue }
                guard response.isOK else { throw HysteriaClientError.connectFailed(response.message) }
                return HysteriaTCPStream(stream: stream, leftover: buffer)
            }
            throw HysteriaClientError.noConnectResponse
        } catch {
            // Our side must end too, or the stream keeps its place against the server's limit.
            stream.resetNow()
            throw expired.isSet.load(ordering: .relaxed) ? HysteriaClientError.noAnswerInTime : error
        }
    }

    /// A new UDP session; its datagrams go to any target the server can reach.
    /// - Throws: ``HysteriaClientError/udpDisabled`` when the server relays no UDP.
    public func openUDP() throws -> HysteriaUDPSession {
        guard isUDPEnabled else { throw HysteriaClientError.udpDisabled }
        return udp.open()
    }

    /// Closes the connection (H3_NO_ERROR); streams and sessions end.
    public func close() async {
        await connection.close(errorCode: 0x100)
        await waitUntilClosed()
    }

    /// As ``close()``, from anywhere (a cancellation handler, a callback), without waiting.
    public func closeNow() {
        connection.closeNow(errorCode: 0x100)  // H3_NO_ERROR, as close()
    }

    /// Returns once the connection is closed, by either side.
    public func waitUntilClosed() async {
        await demultiplexing.withLock { $0 }?.value
    }

    /// Delivers datagrams to their sessions and reads the server's HTTP/3 control and QPACK
    /// streams (their content is not needed) until the connection closes.
    private func startDemultiplexing() {
        // Bridge: the client is a handle its caller drives call by call, with no run() to own
        // children; the task ends when the connection closes, and close() waits for it.
        let task = Task { [udp, connection] in
            await withDiscardingTaskGroup { group in
                group.addTask {
                    while let datagram = try? await connection.receiveDatagram() { udp.deliver(datagram) }
                }
                while let stream = try? await connection.acceptStream() {
                    group.addTask { while (try? await stream.read()) != nil {} }
                }
            }
            udp.closeAll()
        }
        demultiplexing.withLock { $0 = task }
    }
}

extension HysteriaClientError {
    /// H3_GENERAL_PROTOCOL_ERROR: what a client closes with when the login fails (spec §1.2).
    static let generalProtocolError: UInt64 = 0x101
}

/// Set by a deadline's timer, read by the task it interrupted.
private final class ExpiryFlag: Sendable {
    let isSet = Atomic(false)
}
