import NIOCore

/// HPACK/QPACK prefixed integers (RFC 7541 §5.1, used by RFC 9204 §4.1.1).
///
/// An integer fills the low N bits of a byte whose high bits are flags; if it does not fit, those
/// bits are all ones and 7-bit groups follow, least significant first, with the top bit meaning "more".
enum QPACKInteger {
    /// The largest value accepted: 2^62 - 1, the range RFC 9204 §4.1.1 requires a decoder to handle.
    /// Anything longer is refused rather than wrapped, so a string length can never overflow.
    static let maximum: UInt64 = (1 << 62) - 1

    /// Decodes an integer whose first byte, `first`, has already been read; continuation bytes come from `buffer`.
    /// - Throws: ``HTTP3Error/truncatedFieldSection`` when the bytes run out, ``HTTP3Error/integerOverflow``
    ///   past ``maximum``.
    static func read(prefixBits: Int, first: UInt8, from buffer: inout ByteBuffer) throws(HTTP3Error) -> UInt64 {
        let prefixMask = UInt8(truncatingIfNeeded: (1 << prefixBits) - 1)
        var value = UInt64(first & prefixMask)
        guard value == UInt64(prefixMask) else { return value }
        var shift: UInt64 = 0
        while true {
            guard let byte = buffer.readInteger(as: UInt8.self) else { throw .truncatedFieldSection }
            let group = UInt64(byte & 0x7f)
            guard shift < 62, group <= (maximum - value) >> shift else { throw .integerOverflow }
            value += group << shift
            shift += 7
            if byte & 0x80 == 0 { return value }
        }
    }

    /// Appends `value` with `flags` in the bits above the N-bit prefix.
    /// - Precondition: `flags` has no bit inside the prefix (our own callers' invariant).
    static func write(_ value: UInt64, prefixBits: Int, flags: UInt8, into buffer: inout ByteBuffer) {
        let prefixMask = UInt64((1 << prefixBits) - 1)
        precondition(UInt64(flags) & prefixMask == 0, "flags overlap the integer prefix")
        guard value >= prefixMask else {
            buffer.writeInteger(flags | UInt8(truncatingIfNeeded: value))
            return
        }
        buffer.writeInteger(flags | UInt8(truncatingIfNeeded: prefixMask))
        var rest = value - prefixMask
        while rest >= 0x80 {
            buffer.writeInteger(UInt8(truncatingIfNeeded: rest & 0x7f) | 0x80)
            rest >>= 7
        }
        buffer.writeInteger(UInt8(truncatingIfNeeded: rest))
    }
}
