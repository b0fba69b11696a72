import CNgtcp2
import Logging
import NIOCore

/// One ngtcp2 client connection over a UDP channel the application owns.
///
/// Confined to `eventLoop`: the `ngtcp2_conn *` and `gnutls_session_t` are not thread-safe
/// (spec/hysteria2-and-quic.md §4.6), so every member runs there. Work on the I/O path is in
/// `+Receive`, `+Write` and `+Streams`.
final class NgtcpConnection {
    enum State {
        case handshaking(EventLoopPromise<Void>)
        case established
        case closed(QUICError)
    }

    let channel: any Channel
    let eventLoop: any EventLoop
    let remote: SocketAddress
    let configuration: QUICConfiguration
    let logger: Logger
    let path: NgtcpPath
    /// How ngtcp2's GnuTLS glue finds `conn`; lives as long as the TLS session that points at it.
    private let connectionReference: UnsafeMutablePointer<ngtcp2_crypto_conn_ref>
    let tls: GnuTLSClientSession
    /// The `ngtcp2_conn *`; freed in deinit, not touched once `state` is `.closed`.
    private(set) var conn: OpaquePointer?
    var state: State
    var streams: [Int64: StreamState] = [:]
    /// Streams whose waiting reader can be answered after the current C call.
    var readable: Set<Int64> = []
    /// Streams with bytes or FIN still to give to ngtcp2, in the order they asked.
    var sendOrder: [Int64] = []
    var incomingStreams = CircularBuffer<Int64>()
    var acceptWaiter: EventLoopPromise<Int64?>?
    var datagramsOut = CircularBuffer<ByteBuffer>()
    var datagramsIn = CircularBuffer<ByteBuffer>()
    var datagramWaiter: EventLoopPromise<ByteBuffer?>?
    /// Datagrams dropped because a queue was full or the peer refused them.
    var droppedDatagrams = 0
    var timer: Scheduled<Void>?
    var isFlushScheduled = false
    private(set) var negotiatedALPN: String?

    init(channel: any Channel, remote: SocketAddress, tls options: TLSClientOptions,
         configuration: QUICConfiguration, logger: Logger) throws(QUICError) {
        guard let local = channel.localAddress else { throw QUICError(.engine, "the UDP socket has no local address") }
        self.channel = channel
        self.eventLoop = channel.eventLoop
        self.remote = remote
        self.configuration = configuration
        self.logger = logger
        self.path = NgtcpPath(local: local, remote: remote)
        connectionReference = .allocate(capacity: 1)
        connectionReference.initialize(to: ngtcp2_crypto_conn_ref(get_conn: { reference in
            guard let userData = reference?.pointee.user_data else { return nil }
            return Unmanaged<NgtcpConnection>.fromOpaque(userData).takeUnretainedValue().conn
        }, user_data: nil))
        do {
            tls = try GnuTLSClientSession(options: options, connectionReference: connectionReference)
        } catch {
            connectionReference.deallocate()
            throw error
        }
        state = .handshaking(eventLoop.makePromise())
        let userData = Unmanaged.passUnretained(self).toOpaque()  // self owns conn, so it outlives every callback
        connectionReference.pointee.user_data = userData
        conn = try createConnection(userData: userData)
        if let conn { ngtcp2_conn_set_tls_native_handle(conn, UnsafeMutableRawPointer(tls.session)) }
    }

    deinit {
        if let conn { ngtcp2_conn_del(conn) }
        connectionReference.deallocate()
    }

    /// Sends the first flight; the future completes when the handshake does.
    func start() -> EventLoopFuture<Void> {
        guard case .handshaking(let promise) = state else { return eventLoop.makeSucceededVoidFuture() }
        flush()
        return promise.futureResult
    }

    /// ngtcp2 timestamps: nanoseconds on the same monotonic clock as NIO's deadlines.
    static func now() -> UInt64 { NIODeadline.now().uptimeNanoseconds }

    private func createConnection(userData: UnsafeMutableRawPointer) throws(QUICError) -> OpaquePointer? {
        var callbacks = NgtcpCallbacks.client()
        var settings = ngtcp2_settings()
        CNgtcp2_settings_default(&settings)
        settings.initial_ts = Self.now()
        settings.cc_algo = NGTCP2_CC_ALGO_BBR
        settings.max_window = configuration.connectionReceiveWindow
        settings.max_stream_window = configuration.streamReceiveWindow
        settings.handshake_timeout = Self.nanoseconds(configuration.handshakeTimeout)
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
        var destination = Self.randomConnectionID(length: 18)
        var source = Self.randomConnectionID(length: 16)
        var conn: OpaquePointer?
        let result = CNgtcp2_conn_client_new(&conn, &destination, &source, path.pointer, NGTCP2_PROTO_VER_V1,
                                             &callbacks, &settings, &params, userData)
        guard result == 0, conn != nil else { throw Self.error(.engine, "ngtcp2_conn_client_new", result) }
        return conn
    }

    private static func randomConnectionID(length: Int) -> ngtcp2_cid {
        var cid = ngtcp2_cid()
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: length) { bytes in
            NgtcpCallbacks.fillRandom(bytes)
            ngtcp2_cid_init(&cid, bytes.baseAddress, length)
        }
        return cid
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
}
