package import NIOCore

/// Seals payload into length and payload chunks, splitting at the method's maximum so no
/// length ever exceeds it (0x3FFF for SIP004, 0xFFFF for SIP022).
package struct ShadowsocksChunkWriter: Sendable {
    private var cipher: ShadowsocksSessionCipher
    private let maximumPayload: Int

    package init(cipher: ShadowsocksSessionCipher, maximumPayload: Int) {
        self.cipher = cipher
        self.maximumPayload = maximumPayload
    }

    /// Appends the chunks for the readable bytes of `payload`; nothing for an empty payload.
    package mutating func write(_ payload: ByteBuffer, into output: inout ByteBuffer) throws(ShadowsocksError) {
        let chunks = (payload.readableBytes + maximumPayload - 1) / maximumPayload
        output.reserveCapacity(minimumWritableBytes: payload.readableBytes + chunks * Self.overhead)
        try payload.withUnsafeReadableBytes { (bytes) throws(ShadowsocksError) in
            var offset = 0
            while offset < bytes.count {
                let length = min(maximumPayload, bytes.count - offset)
                try writeChunk(UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length]), into: &output)
                offset += length
            }
        }
    }

    /// Appends one length chunk and its payload chunk; `payload` must fit the maximum.
    package mutating func writeChunk(_ payload: UnsafeRawBufferPointer, into output: inout ByteBuffer) throws(ShadowsocksError) {
        try sealLength(payload.count, into: &output)
        try cipher.seal(payload, into: &output)
    }

    /// Seals a big-endian length on its own (also the SIP022 response header's next step).
    package mutating func sealLength(_ length: Int, into output: inout ByteBuffer) throws(ShadowsocksError) {
        var field = UInt16(truncatingIfNeeded: length).bigEndian
        try withUnsafeBytes(of: &field) { (bytes) throws(ShadowsocksError) in try cipher.seal(bytes, into: &output) }
    }

    /// Seals `bytes` as one AEAD unit (a header or a payload chunk without its length).
    package mutating func seal(_ bytes: UnsafeRawBufferPointer, into output: inout ByteBuffer) throws(ShadowsocksError) {
        try cipher.seal(bytes, into: &output)
    }

    /// Bytes each chunk adds: a sealed length and a tag.
    package static let overhead = ShadowsocksWire.lengthFieldLength + 2 * ShadowsocksWire.tagLength
}
