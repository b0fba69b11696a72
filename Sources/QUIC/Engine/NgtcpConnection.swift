import CNgtcp2
import Logging
import NIOCore

/// One ngtcp2 connection, client or server side, over a UDP channel.
///
/// Confined to `eventLoop`: the `ngtcp2_conn *` and `gnutls_session_t` are not thread-safe
/// (spec/hysteria2-and-quic.md §4.6), so every member runs there. A client connection owns its
/// channel; server connections share the endpoint's (see ``ConnectionOwner``). Work on the I/O
/// path is in `+Lifecycle`, `+Write` and `+Streams`.
final class NgtcpConnection {
    enum State {
        case handshaking(EventLoopPromise<Void>)
        case established
        case closed(QUICError)
    }

    /// What a server connection is created from: the client's first Initial packet.
    struct Accepted {
        /// The packet's header as `ngtcp2_accept` decoded it.
        var header: ngtcp2_pkt_hd
        /// Our first connection ID.
        var localID: ConnectionID
        var credentials: GnuTLSCredentials
        var alpn: [String]
        unowned var owner: any ConnectionOwner
    }

    let channel: any Channel
    let eventLoop: any EventLoop
    let remote: SocketAddress
    let configuration: QUICConfiguration
    let logger: Logger
    let path: NgtcpPath
    /// The server endpoint sharing its socket; `nil` for a client, which owns its channel.
    private(set) weak var owner: (any ConnectionOwner)?
    /// How ngtcp2's GnuTLS glue finds `conn`; lives as long as the TLS session that points at it.
    private let connectionReference: UnsafeMutablePointer<ngtcp2_crypto_conn_ref>
    private(set) var tls: GnuTLSSession!
    /// The `ngtcp2_conn *`; freed in deinit, not touched once `state` is `.closed`.
    private(set) var conn: OpaquePointer?
    var state: State
    var streams: [Int64: StreamState] = [:]
    /// Streams whose waiting reader can be answered after the current C call.
    var readable: Set<Int64> = []
    /// Streams with bytes or FIN still to give to ngtcp2, in the order they asked.
    var sendOrder: [Int64] = []
    var incomingStreams = CircularBuffer<Int64>()
    /// Callers waiting for the peer to allow another stream, bidirectional (`true`) or not.
    var streamOpeners: [Bool: CircularBuffer<EventLoopPromise<Int64>>] = [:]
    var acceptWaiter: EventLoopPromise<Int64?>?
    var datagramsOut = CircularBuffer<ByteBuffer>()
    var datagramsIn = CircularBuffer<ByteBuffer>()
    var datagramWaiter: EventLoopPromise<ByteBuffer?>?
    /// Datagrams dropped because a queue was full or the peer refused them.
    var droppedDatagrams = 0
    var timer: Scheduled<Void>?
    /// The ngtcp2 expiry `timer` fires at.
    var timerExpiry: UInt64 = .max
    var isFlushScheduled = false
    /// Whether writes go out as GSO batches; cleared when the socket refuses one.
    var usesSegmentation = true
    private(set) var negotiatedALPN: String?
    /// Connection IDs the owner routes to us (servers only).
    private(set) var routedIDs: Set<ConnectionID> = []

    /// A client connection to `remote` over `channel`, which it owns.
    convenience init(channel: any Channel, remote: SocketAddress, tls options: TLSClientOptions,
                     configuration: QUICConfiguration, logger: Logger) throws(QUICError) {
        try self.init(channel: channel, remote: remote, owner: nil, configuration: configuration, logger: logger)
        tls = try GnuTLSSession.client(options, connectionReference: connectionReference)
        conn = try createClient()
        attachTLS()
    }

    /// A server connection for the client whose first Initial packet `accepted` describes.
    convenience init(channel: any Channel, remote: SocketAddress, accepted: Accepted,
                     configuration: QUICConfiguration, logger: Logger) throws(QUICError) {
        try self.init(channel: channel, remote: remote, owner: accepted.owner, configuration: configuration, logger: logger)
        tls = try GnuTLSSession.server(credentials: accepted.credentials, alpn: accepted.alpn,
                                       connectionReference: connectionReference)
        conn = try createServer(accepted)
        attachTLS()
        accepted.owner.route(ConnectionID(accepted.header.dcid), to: self)  // the client's Initials until it learns ours
        routedIDs.insert(ConnectionID(accepted.header.dcid))
        _ = issueConnectionID(accepted.localID)
    }

    private init(channel: any Channel, remote: SocketAddress, owner: (any ConnectionOwner)?,
                 configuration: QUICConfiguration, logger: Logger) throws(QUICError) {
        guard let local = channel.localAddress else { throw QUICError(.engine, "the UDP socket has no local address") }
        self.channel = channel
        self.eventLoop = channel.eventLoop
        self.remote = remote
        self.owner = owner
        self.configuration = configuration
        self.logger = logger
        self.path = NgtcpPath(local: local, remote: remote)
        connectionReference = .allocate(capacity: 1)
        connectionReference.initialize(to: ngtcp2_crypto_conn_ref(get_conn: { reference in
            guard let userData = reference?.pointee.user_data else { return nil }
            return Unmanaged<NgtcpConnection>.fromOpaque(userData).takeUnretainedValue().conn
        }, user_data: nil))
        state = .handshaking(eventLoop.makePromise())
        // self owns conn, so it outlives every callback made with this pointer.
        connectionReference.pointee.user_data = Unmanaged.passUnretained(self).toOpaque()
    }

    deinit {
        // A connection whose set-up threw (a bad trust anchor, say) never started its handshake.
        if case .handshaking(let promise) = state { promise.fail(QUICError(.handshakeFailed, "the connection could not be set up")) }
        if let conn { ngtcp2_conn_del(conn) }
        connectionReference.deallocate()
    }

    private var userData: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    /// Hands ngtcp2 the TLS session, and sets what depends on the connection existing.
    private func attachTLS() {
        guard let conn else { return }
        ngtcp2_conn_set_tls_native_handle(conn, UnsafeMutableRawPointer(tls.session))
        if let interval = configuration.keepAliveInterval { ngtcp2_conn_set_keep_alive_timeout(conn, Self.nanoseconds(interval)) }
    }

    /// Sends a client's first flight; the future completes when the handshake does.
    func start() -> EventLoopFuture<Void> {
        guard case .handshaking(let promise) = state else { return eventLoop.makeSucceededVoidFuture() }
        flush()
        return promise.futureResult
    }

    /// ngtcp2 timestamps: nanoseconds on the same monotonic clock as NIO's deadlines.
    static func now() -> UInt64 { NIODeadline.now().uptimeNanoseconds }

    private func createClient() throws(QUICError) -> OpaquePointer? {
        var callbacks = NgtcpCallbacks.client()
        var settings = makeSettings()
        var params = makeTransportParameters()
        var destination = ConnectionID.random(length: 18).cid
        var source = ConnectionID.random(length: 16).cid
        var conn: OpaquePointer?
        let result = CNgtcp2_conn_client_new(&conn, &destination, &source, path.pointer, NGTCP2_PROTO_VER_V1,
                                             &callbacks, &settings, &params, userData)
        guard result == 0, conn != nil else { throw Self.error(.engine, "ngtcp2_conn_client_new", result) }
        return conn
    }

    private func createServer(_ accepted: Accepted) throws(QUICError) -> OpaquePointer? {
        var callbacks = NgtcpCallbacks.server()
        var settings = makeSettings()
        var params = makeTransportParameters()
        params.original_dcid = accepted.header.dcid
        params.disable_active_migration = 1  // one path per connection, as the official server (spec §1.1)
        let token = accepted.owner.statelessResetToken(for: accepted.localID)
        withUnsafeMutableBytes(of: &params.stateless_reset_token) { $0.copyBytes(from: token) }
        params.stateless_reset_token_present = 1
        var destination = accepted.header.scid
        var source = accepted.localID.cid
        var conn: OpaquePointer?
        let result = CNgtcp2_conn_server_new(&conn, &destination, &source, path.pointer, accepted.header.version,
                                             &callbacks, &settings, &params, userData)
        guard result == 0, conn != nil else { throw Self.error(.engine, "ngtcp2_conn_server_new", result) }
        return conn
    }

    private func makeSettings() -> ngtcp2_settings {
        var settings = ngtcp2_settings()
        CNgtcp2_settings_default(&settings)
        settings.initial_ts = Self.now()
        settings.cc_algo = NGTCP2_CC_ALGO_BBR
        settings.max_window = configuration.connectionReceiveWindow
        settings.max_stream_window = configuration.streamReceiveWindow
        settings.handshake_timeout = Self.nanoseconds(configuration.handshakeTimeout)
        settings.max_tx_udp_payload_size -= configuration.packetOverhead
        return settings
    }

    private func makeTransportParameters() -> ngtcp2_transport_params {
        var params = ngtcp2_transport_params()
        CNgtcp2_transport_params_default(&params)
        params.initial_max_stream_data_bidi_local = configuration.streamReceiveWindow
        params.initial_max_stream_data_bidi_remote = configuration.streamReceiveWindow
        params.initial_max_stream_data_uni = configuration.streamReceiveWindow
        params.initial_max_data = configuration.connectionReceiveWindow
        params.initial_max_streams_bidi = configuration.maxIncomingBidirectionalStreams
        params.initial_max_streams_uni = configuration.maxIncomingUnidirectionalStreams
        params.max_idle_timeout = Self.nanoseconds(configuration.idleTimeout)
        params.max_datagram_frame_size = configuration.maxDatagramFrameSize
        return params
    }

    private static func nanoseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        return UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000)
    }

    static func error(_ code: QUICError.Code, _ function: String, _ result: some BinaryInteger) -> QUICError {
        let text = ngtcp2_strerror(Int32(truncatingIfNeeded: result)).map { String(cString: $0) } ?? "unknown"
        return QUICError(code, "\(function): \(text) (\(result))")
    }

    /// Records that the handshake finished; the promise completes in ``afterIO()``.
    func handshakeCompleted() {
        negotiatedALPN = tls.selectedALPN
    }

    /// A connection ID we hand the peer: routed to us by the owner, with the owner's reset token;
    /// a client, which owns its socket, just makes a random token.
    func issueConnectionID(_ id: ConnectionID) -> [UInt8] {
        guard let owner else {
            var token = [UInt8](repeating: 0, count: Int(NGTCP2_STATELESS_RESET_TOKENLEN))
            token.withUnsafeMutableBufferPointer { NgtcpCallbacks.fillRandom($0) }
            return token
        }
        owner.route(id, to: self)
        routedIDs.insert(id)
        return owner.statelessResetToken(for: id)
    }

    /// The peer will no longer use `id`.
    func retireConnectionID(_ id: ConnectionID) {
        guard routedIDs.remove(id) != nil else { return }
        owner?.unroute(id)
    }
}
