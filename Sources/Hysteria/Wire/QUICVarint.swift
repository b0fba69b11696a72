public import NIOCore
public import WireFormat

/// QUIC variable-length integers (RFC 9000 §16) as the Hysteria codecs need them: NIOCore's
/// `.quic` encoding strategy (the one implementation, STYLE §3) with the range check, the forced
/// width of the TCP request type (always `44 01`) and reads that tell "not all here yet" apart.
public enum QUICVarint {
    /// The largest encodable value, 2^62 − 1.
    public static let maximum: UInt64 = (1 << 62) - 1

    /// Bytes the shortest encoding of `value` takes; `nil` for values ≥ 2^62.
    public static func encodedLength(of value: UInt64) -> Int? {
        value <= maximum ? ByteBuffer.QUICBinaryEncodingStrategy.bytesNeededForInteger(value) : nil
    }

    /// Appends `value` in its shortest form; returns the bytes written.
    @discardableResult
    public static func write(_ value: UInt64, to buffer: inout ByteBuffer) throws(HysteriaWireError) -> Int {
        guard value <= maximum else { throw .varintTooLarge(value) }
        return buffer.writeEncodedInteger(value, strategy: .quic)
    }

    /// Appends `value` in exactly `byteCount` bytes (1, 2, 4 or 8), for fields whose width is
    /// fixed by convention, such as the TCP request type.
    @discardableResult
    public static func write(
        _ value: UInt64, byteCount: Int, to buffer: inout ByteBuffer
    ) throws(HysteriaWireError) -> Int {
        guard value <= maximum else { throw .varintTooLarge(value) }
        guard [1, 2, 4, 8].contains(byteCount), let shortest = encodedLength(of: value), shortest <= byteCount
        else { throw .varintWidth(value: value, byteCount: byteCount) }
        return ByteBuffer.QUICBinaryEncodingStrategy.quic.writeInteger(value, reservedCapacity: byteCount, to: &buffer)
    }

    /// Reads one varint from the front of `buffer`, consuming it only when it is complete.
    public static func read(from buffer: inout ByteBuffer) -> WireReading<UInt64> {
        buffer.readEncodedInteger(as: UInt64.self, strategy: .quic).map { .value($0) } ?? .needMoreBytes
    }

    /// The varint at `index` and its width, without consuming; `nil` when it is not all there.
    public static func peek(in buffer: ByteBuffer, at index: Int) -> (value: UInt64, length: Int)? {
        guard index >= buffer.readerIndex, index <= buffer.writerIndex else { return nil }
        var view = buffer
        view.moveReaderIndex(to: index)
        guard let value = view.readEncodedInteger(as: UInt64.self, strategy: .quic) else { return nil }
        return (value, view.readerIndex - index)
    }
}
