package import Crypto
package import NIOCore

/// One direction of a TCP session: the subkey and its nonce, a 12-byte little-endian counter
/// that starts at zero and moves after every seal or open (SIP004; SIP022 §3.1.1).
///
/// Copies share the keyed context; only the counter is per copy.
package struct ShadowsocksSessionCipher: Sendable {
    private let context: ShadowsocksAEADContext
    /// The 96-bit counter, held inline so copying the cipher never allocates.
    private var counter: (low: UInt64, high: UInt32) = (0, 0)

    package init(aead: ShadowsocksAEAD, key: SymmetricKey) throws(ShadowsocksError) {
        context = try aead.context(key: key)
    }

    /// Seals `plaintext` into `output` with the next nonce.
    package mutating func seal(_ plaintext: UnsafeRawBufferPointer, into output: inout ByteBuffer) throws(ShadowsocksError) {
        try withNonce { (nonce) throws(ShadowsocksError) in
            try context.seal(plaintext, nonce: nonce, into: &output)
        }
        advance()
    }

    /// Seals the readable bytes of `plaintext` into `output` with the next nonce.
    package mutating func seal(_ plaintext: ByteBuffer, into output: inout ByteBuffer) throws(ShadowsocksError) {
        try plaintext.withUnsafeReadableBytes { (bytes) throws(ShadowsocksError) in try seal(bytes, into: &output) }
    }

    /// Opens `sealed` (ciphertext and tag) with the next nonce into `output`; the nonce moves
    /// only on success.
    package mutating func open(_ sealed: UnsafeRawBufferPointer, into output: inout ByteBuffer) throws(ShadowsocksError) {
        try withNonce { (nonce) throws(ShadowsocksError) in
            try context.open(sealed, nonce: nonce, into: &output)
        }
        advance()
    }

    /// Reads `length` sealed bytes from the front of `input` and opens them into `output`.
    package mutating func open(from input: inout ByteBuffer, length: Int, into output: inout ByteBuffer) throws(ShadowsocksError) {
        guard input.readableBytes >= length else { throw .truncated }
        try input.withUnsafeReadableBytes { (bytes) throws(ShadowsocksError) in
            try open(UnsafeRawBufferPointer(rebasing: bytes.prefix(length)), into: &output)
        }
        input.moveReaderIndex(forwardBy: length)
    }

    /// Opens `length` sealed bytes from the front of `input` into a new buffer (headers).
    package mutating func open(from input: inout ByteBuffer, length: Int) throws(ShadowsocksError) -> ByteBuffer {
        var plaintext = ByteBuffer()
        try open(from: &input, length: length, into: &plaintext)
        return plaintext
    }

    /// The counter as 12 little-endian bytes, on the stack.
    private func withNonce<R>(_ body: (UnsafeRawBufferPointer) throws(ShadowsocksError) -> R) throws(ShadowsocksError) -> R {
        var bytes = (counter.low.littleEndian, counter.high.littleEndian)
        return try withUnsafeBytes(of: &bytes) { (raw) throws(ShadowsocksError) in
            try body(UnsafeRawBufferPointer(rebasing: raw.prefix(ShadowsocksWire.nonceLength)))
        }
    }

    private mutating func advance() {
        counter.low &+= 1
        if counter.low == 0 { counter.high &+= 1 }
    }
}
