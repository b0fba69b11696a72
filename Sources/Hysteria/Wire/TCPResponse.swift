public import NIOCore
public import WireFormat

/// The server's answer on a proxied TCP stream (Hysteria 2 §1.3), written only after the dial:
/// a status byte, a message (the dial error on failure) and padding. Relayed bytes follow it.
public struct TCPResponse: PaddedMessage, Hashable, Sendable {
    /// Whether the server reached the target (status 0); any other status is a failure.
    public var isOK: Bool
    /// Free text: the official server says "Connected" or the dial error; sing-box sends nothing.
    public var message: String

    public init(isOK: Bool, message: String) {
        self.isOK = isOK
        self.message = message
    }

    public static var paddingLengths: Range<Int> { HysteriaConstants.tcpResponsePadding }

    /// Appends the response with exactly `paddingLength` (0...4096) bytes of padding. A message
    /// over 2048 bytes is refused rather than cut, since the peer would refuse it anyway.
    public func encode(
        into buffer: inout ByteBuffer, paddingLength: Int, using rng: inout some RandomNumberGenerator
    ) throws(HysteriaWireError) {
        let count = message.utf8.count
        guard count <= HysteriaConstants.maximumMessageLength else { throw .messageLength(count) }
        guard HysteriaPadding.lengths.contains(paddingLength) else { throw .paddingLength(paddingLength) }
        buffer.writeInteger(isOK ? 0 : 1, as: UInt8.self)
        try QUICVarint.write(UInt64(count), to: &buffer)
        buffer.writeString(message)
        try HysteriaPadding.write(length: paddingLength, to: &buffer, using: &rng)
    }

    /// Reads a response from the front of `buffer`, which may hold only part of it. On success its
    /// bytes are consumed and relayed bytes after it stay in the buffer; otherwise the buffer is
    /// unchanged. Message bytes that are not UTF-8 are decoded lossily: the text is only shown.
    public static func decode(from buffer: inout ByteBuffer) throws(HysteriaWireError) -> WireReading<TCPResponse> {
        var cursor = WireCursor(buffer)
        guard let status = cursor.byte(),
              let count = try cursor.length(
                  in: 0...HysteriaConstants.maximumMessageLength, invalid: { .messageLength($0) }),
              let message = cursor.slice(count),
              try HysteriaPadding.skip(in: &cursor) else { return .needMoreBytes }
        buffer.moveReaderIndex(forwardBy: cursor.consumed)
        let text = String(decoding: message.readableBytesView, as: UTF8.self)
        return .value(TCPResponse(isOK: status == 0, message: text))
    }
}

extension TCPResponse {
    /// Success, worded as the official server words it.
    public static let connected = TCPResponse(isOK: true, message: "Connected")

    /// A failure with `reason`, cut at a character boundary to the 2048 bytes a message may hold
    /// (cutting characters rather than bytes could still overflow, and then nothing is sent).
    public static func refused(_ reason: String) -> TCPResponse {
        var message = Substring(reason)
        while message.utf8.count > HysteriaConstants.maximumMessageLength { message = message.dropLast() }
        return TCPResponse(isOK: false, message: String(message))
    }

    /// The response with fresh padding; ``connected`` and ``refused(_:)`` always encode.
    public var encoded: ByteBuffer {
        var buffer = ByteBuffer()
        try? encode(into: &buffer)
        return buffer
    }
}
