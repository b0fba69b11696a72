import NIOCore
import WireFormat

/// Padding fields: a varint length and that many random `[A-Za-z0-9]` bytes. Their only job is to
/// blur message sizes, so the content needs no cryptographic quality.
enum HysteriaPadding {
    static let lengths = 0...HysteriaConstants.maximumPaddingLength
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)

    static func write(
        length: Int, to buffer: inout ByteBuffer, using rng: inout some RandomNumberGenerator
    ) throws(HysteriaWireError) {
        guard lengths.contains(length) else { throw .paddingLength(length) }
        try QUICVarint.write(UInt64(length), to: &buffer)
        writeCharacters(count: length, to: &buffer, using: &rng)
    }

    /// Appends `count` random `[A-Za-z0-9]` bytes: the filler of padding fields and of the auth
    /// exchange's `hysteria-padding` header.
    static func writeCharacters(count: Int, to buffer: inout ByteBuffer, using rng: inout some RandomNumberGenerator) {
        var left = count
        while left > 0 {
            // Ten 6-bit draws per random word; values 62 and 63 are skipped to keep it uniform.
            var word = rng.next()
            for _ in 0..<10 where left > 0 {
                let index = Int(word & 0x3F)
                word >>= 6
                if index < alphabet.count {
                    buffer.writeInteger(alphabet[index])
                    left -= 1
                }
            }
        }
    }

    /// Steps over a padding field; `false` while incomplete.
    static func skip(in cursor: inout WireCursor) throws(HysteriaWireError) -> Bool {
        guard let length = try cursor.length(in: lengths, invalid: { .paddingLength($0) }) else { return false }
        return cursor.skip(length)
    }
}
