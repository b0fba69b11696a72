package import NIOCore

/// A decoder that works in units whose size it knows before reading them (a salt and header,
/// a length chunk, a payload chunk).
package protocol ShadowsocksUnitDecoder {
    /// Bytes the next `step` consumes.
    var unitLength: Int { get }
    /// Consumes exactly `unitLength` bytes from the front of `unit`, appending any plaintext.
    mutating func step(_ unit: inout ByteBuffer, into output: inout ByteBuffer) throws(ShadowsocksError)
}

/// Feeds a stream of reads to a unit decoder, however the reads are cut. Whole units are
/// decoded straight from the read; only a unit split across reads is gathered in `pending`,
/// so each byte is copied at most once.
package struct ShadowsocksFraming {
    private var pending = ByteBuffer()

    package init() {}

    /// Whether bytes of an unfinished unit are waiting for more input.
    package var hasPendingBytes: Bool { pending.readableBytes > 0 }

    package mutating func feed(
        _ input: ByteBuffer, to decoder: inout some ShadowsocksUnitDecoder, output: inout ByteBuffer
    ) throws(ShadowsocksError) {
        var input = input
        // First finish the unit a previous read started.
        while pending.readableBytes > 0 {
            let missing = decoder.unitLength - pending.readableBytes
            if missing > 0 {
                guard let more = input.readSlice(length: min(missing, input.readableBytes)) else { return }
                pending.writeImmutableBuffer(more)
                guard pending.readableBytes >= decoder.unitLength else { return }
            }
            try decoder.step(&pending, into: &output)
            if pending.readableBytes == 0 { pending.clear() }
        }
        while input.readableBytes >= decoder.unitLength {
            try decoder.step(&input, into: &output)
        }
        if input.readableBytes > 0 { pending.writeImmutableBuffer(input) }
    }
}
