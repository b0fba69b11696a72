public import NIOCore

/// One HTTP/3 frame as the reader returns it and the writer sends it (RFC 9114 §7).
///
/// On the wire a frame is varint type, varint payload length, payload. ``HTTP3FrameReader`` reads them;
/// ``write(to:)`` beside this enum writes them, so a layout change touches both.
public enum HTTP3Frame: Equatable, Sendable {
    /// Part or all of a DATA payload. The reader hands DATA over as it arrives, so a long body is
    /// never buffered whole; DATA frame boundaries carry no meaning (RFC 9114 §7.2.1).
    case data(ByteBuffer)
    /// A HEADERS frame: one QPACK-encoded field section (RFC 9114 §7.2.2).
    case headers(ByteBuffer)
    /// A SETTINGS frame (RFC 9114 §7.2.4).
    case settings(HTTP3Settings)
    /// A GOAWAY frame carrying a stream ID (from a server) or push ID (from a client) (RFC 9114 §7.2.6).
    case goaway(UInt64)
    /// A frame whose type we do not handle (CANCEL_PUSH, PUSH_PROMISE, MAX_PUSH_ID, extensions,
    /// reserved `0x1f * N + 0x21` types). Its payload is skipped; the caller decides whether the
    /// type is unexpected on its stream or simply ignored (RFC 9114 §9).
    case unknown(type: UInt64)

    /// The frame type number.
    public var type: UInt64 {
        switch self {
        case .data: HTTP3FrameType.data
        case .headers: HTTP3FrameType.headers
        case .settings: HTTP3FrameType.settings
        case .goaway: HTTP3FrameType.goaway
        case .unknown(let type): type
        }
    }

    /// Appends the frame (type, length, payload) and returns the byte count.
    ///
    /// `.unknown` is written with an empty payload, which is how a sender greases frame types.
    /// - Precondition: numbers are below 2^62 (QUIC varint range), which our own callers guarantee.
    @discardableResult
    public func write(to buffer: inout ByteBuffer) -> Int {
        switch self {
        case .data(let payload), .headers(let payload):
            return Self.write(type: type, payload: payload, to: &buffer)
        case .settings(let settings):
            var payload = ByteBuffer()
            settings.writePayload(to: &payload)
            return Self.write(type: type, payload: payload, to: &buffer)
        case .goaway(let id):
            var payload = ByteBuffer()
            payload.writeEncodedInteger(id, strategy: .quic)
            return Self.write(type: type, payload: payload, to: &buffer)
        case .unknown(let type):
            return Self.write(type: type, payload: ByteBuffer(), to: &buffer)
        }
    }

    private static func write(type: UInt64, payload: ByteBuffer, to buffer: inout ByteBuffer) -> Int {
        var written = buffer.writeEncodedInteger(type, strategy: .quic)
        written += buffer.writeEncodedInteger(UInt64(payload.readableBytes), strategy: .quic)
        written += buffer.writeImmutableBuffer(payload)
        return written
    }

    /// Appends the control stream's opening bytes: stream type 0x00, then our SETTINGS
    /// (QPACK_MAX_TABLE_CAPACITY 0, QPACK_BLOCKED_STREAMS 0; RFC 9114 §6.2.1 requires SETTINGS first).
    @discardableResult
    public static func writeControlStreamPreface(to buffer: inout ByteBuffer) -> Int {
        let written = buffer.writeEncodedInteger(HTTP3StreamType.control, strategy: .quic)
        return written + HTTP3Frame.settings(.ours).write(to: &buffer)
    }
}
