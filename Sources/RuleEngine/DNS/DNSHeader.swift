public import NIOCore

/// The fixed twelve bytes at the start of every DNS message (RFC 1035 §4.1.1).
public struct DNSHeader: Hashable, Sendable {
    /// The header's size on the wire.
    public static let size = 12

    public var id: UInt16
    /// QR, opcode, AA, TC, RD, RA, Z, AD, CD and RCODE, as on the wire.
    public var flags: UInt16
    public var questionCount: UInt16
    public var answerCount: UInt16
    public var authorityCount: UInt16
    public var additionalCount: UInt16

    /// A header with every count zero.
    public init(id: UInt16, flags: UInt16, questionCount: UInt16 = 0, answerCount: UInt16 = 0,
                authorityCount: UInt16 = 0, additionalCount: UInt16 = 0) {
        self.id = id
        self.flags = flags
        self.questionCount = questionCount
        self.answerCount = answerCount
        self.authorityCount = authorityCount
        self.additionalCount = additionalCount
    }

    /// The header at the start of `message`'s readable bytes; the buffer's indices do not move.
    ///
    /// - Throws: ``DNSMessageError/Code/truncated`` when fewer than twelve bytes are readable.
    public init(parsing message: ByteBuffer) throws(DNSMessageError) {
        guard message.readableBytes >= Self.size,
              let fields = message.getMultipleIntegers(at: message.readerIndex,
                                                       as: (UInt16, UInt16, UInt16, UInt16, UInt16, UInt16).self)
        else {
            throw DNSMessageError(.truncated, "\(message.readableBytes) bytes cannot hold the 12-byte header")
        }
        (id, flags, questionCount, answerCount, authorityCount, additionalCount) = fields
    }

    /// Appends the header; returns the number of bytes written (always ``size``).
    @discardableResult
    public func write(into buffer: inout ByteBuffer) -> Int {
        buffer.writeMultipleIntegers(id, flags, questionCount, answerCount, authorityCount, additionalCount)
    }

    /// Whether this is an answer (QR set) rather than a query.
    public var isResponse: Bool { flags & 0x8000 != 0 }
    /// The kind of query; 0 is a standard query, the only kind forwarded.
    public var opcode: UInt8 { UInt8((flags >> 11) & 0x0F) }
    /// Whether the sender cut the message to fit a datagram (TC).
    public var isTruncated: Bool { flags & 0x0200 != 0 }
    /// Whether the client asks for recursion (RD).
    public var wantsRecursion: Bool { flags & 0x0100 != 0 }
    public var responseCode: DNSResponseCode { DNSResponseCode(rawValue: UInt8(flags & 0x000F)) }

    /// Flag bits: QR, RD, RA, CD and the RCODE field.
    static let responseBit: UInt16 = 0x8000
    static let recursionDesiredBit: UInt16 = 0x0100
    static let recursionAvailableBit: UInt16 = 0x0080
    static let checkingDisabledBit: UInt16 = 0x0010
    static let opcodeMask: UInt16 = 0x7800
}
