public import NIOCore

/// Reads HTTP/3 frames from a stream's bytes as they arrive (RFC 9114 §7.1).
///
/// Call ``next(from:)`` with everything received so far; it returns `nil` when more bytes are
/// needed. HEADERS, SETTINGS and GOAWAY are returned whole and bounded by ``maximumFrameLength``,
/// checked as soon as the length is read so nothing oversized is buffered. DATA is handed over in
/// pieces as it arrives and unknown frames are skipped without buffering, so neither needs a bound.
/// After a throw the stream is out of step and must be closed with the error's ``HTTP3Error/code``.
public struct HTTP3FrameReader: Sendable {
    /// Default bound on a whole frame: the field-section limit of ``QPACKDecoder`` is 64 KiB decoded,
    /// and no encoded section we accept can be longer than that.
    public static let defaultMaximumFrameLength = 64 * 1024

    /// Longest payload accepted for HEADERS, SETTINGS and GOAWAY.
    public let maximumFrameLength: Int

    private enum State: Sendable {
        /// Waiting for a frame's type and length.
        case frameStart
        /// Inside a DATA payload with this many bytes still to hand over.
        case data(remaining: UInt64)
        /// Inside an unknown frame's payload with this many bytes still to drop.
        case skipping(remaining: UInt64)
    }

    private var state = State.frameStart

    public init(maximumFrameLength: Int = HTTP3FrameReader.defaultMaximumFrameLength) {
        self.maximumFrameLength = maximumFrameLength
    }

    /// Whether the reader stands between frames, so a stream ending now ends cleanly (RFC 9114 §7.1:
    /// a frame cut short by the end of the stream is an H3_FRAME_ERROR).
    public var isAtFrameBoundary: Bool {
        if case .frameStart = state { return true }
        return false
    }

    /// The next frame, part of a DATA payload, or `nil` when `buffer` holds too little.
    ///
    /// Consumes what it returns. On `nil` it may have consumed a DATA or unknown frame's header or
    /// skipped bytes (the reader remembers them); a partly received whole frame is left in `buffer`.
    /// - Throws: ``HTTP3Error/frameTooLarge(type:length:limit:)``, ``HTTP3Error/reservedFrameType(_:)``,
    ///   ``HTTP3Error/malformedFrame(type:reason:)`` and the SETTINGS errors of ``HTTP3Settings``.
    public mutating func next(from buffer: inout ByteBuffer) throws(HTTP3Error) -> HTTP3Frame? {
        while true {
            switch state {
            case .skipping(let remaining):
                skip(remaining, from: &buffer)
                guard case .frameStart = state else { return nil }
            case .data(let remaining):
                guard buffer.readableBytes > 0 else { return nil }
                let count = Int(min(remaining, UInt64(buffer.readableBytes)))
                guard let piece = buffer.readSlice(length: count) else { return nil }
                state = remaining == UInt64(count) ? .frameStart : .data(remaining: remaining - UInt64(count))
                return .data(piece)
            case .frameStart:
                return try readFrameStart(from: &buffer)
            }
        }
    }

    private mutating func readFrameStart(from buffer: inout ByteBuffer) throws(HTTP3Error) -> HTTP3Frame? {
        var peek = buffer
        guard let type = peek.readEncodedInteger(as: UInt64.self, strategy: .quic),
            let length = peek.readEncodedInteger(as: UInt64.self, strategy: .quic)
        else { return nil }
        if HTTP3FrameType.isReservedHTTP2(type) { throw .reservedFrameType(type) }

        switch type {
        case HTTP3FrameType.data:
            buffer = peek
            guard length > 0 else { return .data(ByteBuffer()) }
            state = .data(remaining: length)
            return try next(from: &buffer)
        case HTTP3FrameType.headers, HTTP3FrameType.settings, HTTP3FrameType.goaway:
            guard length <= UInt64(maximumFrameLength) else {
                throw .frameTooLarge(type: type, length: length, limit: maximumFrameLength)
            }
            guard let payload = peek.readSlice(length: Int(length)) else { return nil }
            buffer = peek
            return try Self.parse(type: type, payload: payload)
        default:
            // RFC 9114 §9: unknown frame types are ignored, their payload skipped unread.
            buffer = peek
            skip(length, from: &buffer)
            return .unknown(type: type)
        }
    }

    /// Drops up to `remaining` payload bytes and records how many are still to come.
    private mutating func skip(_ remaining: UInt64, from buffer: inout ByteBuffer) {
        let count = Int(min(remaining, UInt64(buffer.readableBytes)))
        buffer.moveReaderIndex(forwardBy: count)
        state = remaining == UInt64(count) ? .frameStart : .skipping(remaining: remaining - UInt64(count))
    }

    private static func parse(type: UInt64, payload: ByteBuffer) throws(HTTP3Error) -> HTTP3Frame {
        switch type {
        case HTTP3FrameType.headers:
            return .headers(payload)
        case HTTP3FrameType.settings:
            return .settings(try HTTP3Settings(payload: payload))
        default:
            var payload = payload
            guard let id = payload.readEncodedInteger(as: UInt64.self, strategy: .quic), payload.readableBytes == 0 else {
                throw .malformedFrame(type: type, reason: "GOAWAY payload is not exactly one varint")
            }
            return .goaway(id)
        }
    }
}
