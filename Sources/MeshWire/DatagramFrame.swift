public import NIOCore
public import WireFormat

/// `u16 len` and `len` bytes: one UDP datagram on a `udp:` data stream (§8), or one IP packet on
/// `_relay_iptun_` (§9). Whole frames only: v1.3's requester could truncate a long datagram and
/// lose its place (§8 quirk); this reader never does.
public enum DatagramFrame {
    public static let maximumLength = Int(UInt16.max)

    /// Appends one frame; throws for a payload longer than 65535 bytes.
    public static func encode(_ payload: ByteBuffer, into buffer: inout ByteBuffer) throws(MeshWireError) {
        guard payload.readableBytes <= maximumLength else {
            throw .stringLength(field: "datagram", length: payload.readableBytes, allowed: 0...maximumLength)
        }
        buffer.writeInteger(UInt16(payload.readableBytes), endianness: .big)
        buffer.writeImmutableBuffer(payload)
    }

    /// Reads one frame's payload (a slice, no copy), consuming it only once it is complete. An
    /// empty payload is returned as is: on an iptun stream it means "no more packets" (§9).
    public static func decode(from buffer: inout ByteBuffer) -> WireReading<ByteBuffer> {
        var cursor = WireCursor(buffer)
        guard let length = cursor.integer(as: UInt16.self), let payload = cursor.slice(Int(length))
        else { return .needMoreBytes }
        cursor.commit(to: &buffer)
        return .value(payload)
    }
}
