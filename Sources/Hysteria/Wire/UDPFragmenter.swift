public import NIOCore

/// Splits a UDP message that does not fit in one QUIC datagram (Hysteria 2 §1.4): every fragment
/// repeats the header, all share one random packet id, and each encodes to at most the limit.
public enum UDPFragmenter {
    /// The most fragments a packet may have: the count is one byte.
    public static let maximumFragments = Int(UInt8.max)

    /// `[message]` unchanged when it already fits in `maximumDatagramSize` bytes; otherwise its
    /// fragments in order. The payloads are slices of the message's, not copies.
    public static func fragment(
        _ message: UDPMessage, maximumDatagramSize: Int, using rng: inout some RandomNumberGenerator
    ) throws(HysteriaWireError) -> [UDPMessage] {
        let total = message.payload.readableBytes
        guard total > 0 else { throw .emptyPayload }
        if message.encodedLength <= maximumDatagramSize {
            var whole = message
            (whole.packetID, whole.fragmentID, whole.fragmentCount) = (0, 0, 1)
            return [whole]
        }
        let chunk = maximumDatagramSize - message.headerLength
        guard chunk > 0 else {
            throw .datagramTooSmall(headerLength: message.headerLength, maximumDatagramSize: maximumDatagramSize)
        }
        let count = (total + chunk - 1) / chunk
        guard count <= maximumFragments else { throw .tooManyFragments(count) }
        let packetID = UInt16.random(in: 1...UInt16.max, using: &rng)
        var fragments: [UDPMessage] = []
        fragments.reserveCapacity(count)
        let start = message.payload.readerIndex
        for index in 0..<count {
            let offset = index * chunk
            let length = min(chunk, total - offset)
            // The slice lies within the readable bytes, so `getSlice` cannot fail here.
            guard let piece = message.payload.getSlice(at: start + offset, length: length) else { break }
            var fragment = message
            fragment.packetID = packetID
            fragment.fragmentID = UInt8(index)
            fragment.fragmentCount = UInt8(count)
            fragment.payload = piece
            fragments.append(fragment)
        }
        return fragments
    }

    /// The encoded datagrams that carry `message` within `maximumDatagramSize` bytes each; none
    /// when it cannot be carried (empty, or more than 255 fragments), which UDP then loses.
    public static func datagrams(for message: UDPMessage, maximumDatagramSize: Int) -> [ByteBuffer] {
        guard let pieces = try? fragment(message, maximumDatagramSize: maximumDatagramSize) else { return [] }
        return pieces.compactMap { piece in
            var datagram = ByteBuffer()
            return (try? piece.encode(into: &datagram)).map { datagram }
        }
    }

    /// Fragments with the system's random generator.
    public static func fragment(
        _ message: UDPMessage, maximumDatagramSize: Int
    ) throws(HysteriaWireError) -> [UDPMessage] {
        var rng = SystemRandomNumberGenerator()
        return try fragment(message, maximumDatagramSize: maximumDatagramSize, using: &rng)
    }
}
