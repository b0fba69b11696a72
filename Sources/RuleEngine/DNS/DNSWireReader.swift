import NIOCore

/// Random access to one whole DNS message, where every read past the end is an error rather
/// than a trap. Offsets count from the message's first byte, as compression pointers do.
struct DNSWireReader {
    /// The message; its reader index is 0, so an offset is also a buffer index.
    let bytes: ByteBuffer

    /// The longest message DNS can carry: the TCP length prefix is 16 bits (RFC 1035 §4.2.2),
    /// and a UDP payload is no longer.
    static let maximumMessageSize = 65_535

    init(_ message: ByteBuffer) throws(DNSMessageError) {
        guard message.readableBytes <= Self.maximumMessageSize else {
            throw DNSMessageError(.tooLong, "\(message.readableBytes) bytes exceed the 65535 a DNS message may have")
        }
        bytes = message.getSlice(at: message.readerIndex, length: message.readableBytes) ?? ByteBuffer()
    }

    var count: Int { bytes.readableBytes }

    func uint8(at offset: Int, _ field: @autoclosure () -> String) throws(DNSMessageError) -> UInt8 {
        guard offset >= 0, offset < count, let value = bytes.getInteger(at: offset, as: UInt8.self) else {
            throw truncated(field(), at: offset)
        }
        return value
    }

    func uint16(at offset: Int, _ field: @autoclosure () -> String) throws(DNSMessageError) -> UInt16 {
        guard offset >= 0, offset + 2 <= count, let value = bytes.getInteger(at: offset, as: UInt16.self) else {
            throw truncated(field(), at: offset)
        }
        return value
    }

    func uint32(at offset: Int, _ field: @autoclosure () -> String) throws(DNSMessageError) -> UInt32 {
        guard offset >= 0, offset + 4 <= count, let value = bytes.getInteger(at: offset, as: UInt32.self) else {
            throw truncated(field(), at: offset)
        }
        return value
    }

    func bytes(at offset: Int, count length: Int, _ field: @autoclosure () -> String) throws(DNSMessageError) -> [UInt8] {
        guard offset >= 0, length >= 0, offset + length <= count,
              let value = bytes.getBytes(at: offset, length: length) else {
            throw truncated(field(), at: offset)
        }
        return value
    }

    private func truncated(_ field: String, at offset: Int) -> DNSMessageError {
        DNSMessageError(.truncated, "the message (\(count) bytes) ends before the \(field) at offset \(offset)")
    }
}
