public import Addressing
public import NIOCore
import Routing
public import WireFormat

/// The header a client writes at the start of each proxied TCP stream (Hysteria 2 §1.3): the
/// frame type 0x401 (with no length, unlike a real HTTP/3 frame), the target and padding.
/// Relayed bytes follow it directly.
public struct TCPRequest: PaddedMessage, Hashable, Sendable {
    /// The requested address as sent: `host:port`, or a word the server gives its own meaning
    /// (hy2scale's relay sentinels such as `_relay_ping_:0`).
    public var address: String

    public init(target: Target) {
        address = target.description
    }

    /// A request for any address of 1...2048 bytes.
    public init(address: String) {
        self.address = address
    }

    /// The address as a proxy target.
    /// - Throws: ``HysteriaWireError/invalidAddress(_:)`` when it is not `host:port`.
    public func target() throws(HysteriaWireError) -> Target {
        guard let target = Target(address) else { throw .invalidAddress(String(address.prefix(64))) }
        return target
    }

    public static var paddingLengths: Range<Int> { HysteriaConstants.tcpRequestPadding }

    /// Appends the request with exactly `paddingLength` (0...4096) bytes of padding.
    public func encode(
        into buffer: inout ByteBuffer, paddingLength: Int, using rng: inout some RandomNumberGenerator
    ) throws(HysteriaWireError) {
        try QUICVarint.write(HysteriaConstants.tcpRequestType, byteCount: 2, to: &buffer)
        try HysteriaAddress.write(address, to: &buffer)
        try HysteriaPadding.write(length: paddingLength, to: &buffer, using: &rng)
    }

    /// Reads a request from the front of `buffer`, which may hold only part of it. On success the
    /// request's bytes are consumed and any payload after it stays in the buffer; otherwise the
    /// buffer is unchanged. Throws ``HysteriaWireError/notTCPRequest(frameType:)`` as soon as the
    /// first varint is something else, so the caller can give the stream to HTTP/3.
    public static func decode(from buffer: inout ByteBuffer) throws(HysteriaWireError) -> WireReading<TCPRequest> {
        var cursor = WireCursor(buffer)
        guard let frameType = cursor.varint() else { return .needMoreBytes }
        guard frameType == HysteriaConstants.tcpRequestType else { throw .notTCPRequest(frameType: frameType) }
        // The address is parsed once the whole request is here, not on every partial read.
        guard let address = try HysteriaAddress.readUnparsed(from: &cursor),
              try HysteriaPadding.skip(in: &cursor) else { return .needMoreBytes }
        let text = try HysteriaAddress.text(of: address)
        buffer.moveReaderIndex(forwardBy: cursor.consumed)
        return .value(TCPRequest(address: text))
    }
}
