public import NIOCore

/// A Hysteria 2 message that ends in a padding field whose length is drawn from a range the
/// official implementation uses: the request and the response of a proxied TCP stream.
public protocol PaddedMessage {
    /// The padding lengths the official peer sends.
    static var paddingLengths: Range<Int> { get }
    /// Appends the message with exactly `paddingLength` (0...4096) bytes of padding.
    func encode(into buffer: inout ByteBuffer, paddingLength: Int, using rng: inout some RandomNumberGenerator) throws(HysteriaWireError)
}

extension PaddedMessage {
    /// Appends the message with a padding length drawn from ``paddingLengths``.
    public func encode(into buffer: inout ByteBuffer, using rng: inout some RandomNumberGenerator) throws(HysteriaWireError) {
        let padding = Int.random(in: Self.paddingLengths, using: &rng)
        try encode(into: &buffer, paddingLength: padding, using: &rng)
    }

    /// Appends the message with random padding.
    public func encode(into buffer: inout ByteBuffer) throws(HysteriaWireError) {
        var rng = FillerRandom()
        try encode(into: &buffer, using: &rng)
    }
}
