public import NIOCore

/// QUIC variable-length integers (RFC 9000 §16): the top two bits of the first byte give the width
/// (1, 2, 4 or 8 bytes), the rest is the value, big-endian. Hysteria uses them for its lengths and
/// for the TCP request frame type.
public enum QUICVarint {
    /// The largest encodable value, 2^62 − 1.
    public static let maximum: UInt64 = (1 << 62) - 1

    /// Bytes the shortest encoding of `value` takes; `nil` for values ≥ 2^62.
    public static func encodedLength(of value: UInt64) -> Int? {
        switch value {
        case ..<(1 << 6): 1
        case ..<(1 << 14): 2
        case ..<(1 << 30): 4
        case ...maximum: 8
        default: nil
        }
    }

    /// Appends `value` in its shortest form; returns the bytes written.
    @discardableResult
    public static func write(_ value: UInt64, to buffer: inout ByteBuffer) throws(HysteriaWireError) -> Int {
        guard let length = encodedLength(of: value) else { throw .varintTooLarge(value) }
        writeUnchecked(value, byteCount: length, to: &buffer)
        return length
    }

    /// Appends `value` in exactly `byteCount` bytes (1, 2, 4 or 8), for fields whose width is
    /// fixed by convention, such as the TCP request type that is always `44 01`.
    @discardableResult
    public static func write(
        _ value: UInt64, byteCount: Int, to buffer: inout ByteBuffer
    ) throws(HysteriaWireError) -> Int {
        guard value <= maximum else { throw .varintTooLarge(value) }
        guard [1, 2, 4, 8].contains(byteCount), let shortest = encodedLength(of: value), shortest <= byteCount
        else { throw .varintWidth(value: value, byteCount: byteCount) }
        writeUnchecked(value, byteCount: byteCount, to: &buffer)
        return byteCount
    }

    /// Writes a value already known to fit in `byteCount` bytes, the width tag in its top bits.
    static func writeUnchecked(_ value: UInt64, byteCount: Int, to buffer: inout ByteBuffer) {
        switch byteCount {
        case 1: buffer.writeInteger(UInt8(truncatingIfNeeded: value))
        case 2: buffer.writeInteger(UInt16(truncatingIfNeeded: value) | 0x4000)
        case 4: buffer.writeInteger(UInt32(truncatingIfNeeded: value) | 0x8000_0000)
        default: buffer.writeInteger(value | 0xC000_0000_0000_0000)
        }
    }

    /// Reads one varint from the front of `buffer`, consuming it only when it is complete.
    public static func read(from buffer: inout ByteBuffer) -> WireReading<UInt64> {
        guard let (value, length) = peek(in: buffer, at: buffer.readerIndex) else { return .needMoreBytes }
        buffer.moveReaderIndex(forwardBy: length)
        return .value(value)
    }

    /// The varint at `index` and its width, without consuming; `nil` when it is not all there.
    public static func peek(in buffer: ByteBuffer, at index: Int) -> (value: UInt64, length: Int)? {
        guard let first = buffer.getInteger(at: index, as: UInt8.self) else { return nil }
        switch first >> 6 {
        case 0:
            return (UInt64(first), 1)
        case 1:
            guard let raw = buffer.getInteger(at: index, as: UInt16.self) else { return nil }
            return (UInt64(raw & 0x3FFF), 2)
        case 2:
            guard let raw = buffer.getInteger(at: index, as: UInt32.self) else { return nil }
            return (UInt64(raw & 0x3FFF_FFFF), 4)
        default:
            guard let raw = buffer.getInteger(at: index, as: UInt64.self) else { return nil }
            return (raw & maximum, 8)
        }
    }
}
