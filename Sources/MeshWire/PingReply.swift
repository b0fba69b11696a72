public import NIOCore
public import WireFormat

/// The whole answer on `_relay_ping_:0` (§3.4): the server writes one byte `0x01` and closes.
/// The prober only times the first byte, so any byte value is accepted.
public enum PingReply {
    public static let byte: UInt8 = 0x01

    public static func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(byte)
    }

    /// Consumes the first byte once it is there.
    public static func decode(from buffer: inout ByteBuffer) -> WireReading<UInt8> {
        buffer.readInteger(as: UInt8.self).map { .value($0) } ?? .needMoreBytes
    }
}
