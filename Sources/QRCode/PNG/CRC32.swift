/// CRC-32 as PNG chunks use it (ISO/IEC 15948 Annex D; the same polynomial as zlib and gzip).
struct CRC32 {
    /// Reflected polynomial 0xEDB88320, one entry per byte value.
    private static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    private var register: UInt32 = 0xFFFF_FFFF

    /// Feeds more bytes.
    mutating func update(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            register = Self.table[Int((register ^ UInt32(byte)) & 0xFF)] ^ (register >> 8)
        }
    }

    /// The checksum of everything fed so far.
    var value: UInt32 { register ^ 0xFFFF_FFFF }
}

/// Adler-32, the trailer of a zlib stream (RFC 1950 §8.2).
struct Adler32 {
    /// The largest prime below 2^16 (RFC 1950 §8.2).
    private static let modulus: UInt32 = 65521
    /// Bytes that can be summed before `b` may overflow 32 bits (zlib's NMAX, adler32.c).
    private static let blockLength = 5552

    private var a: UInt32 = 1
    private var b: UInt32 = 0

    /// Feeds more bytes.
    mutating func update(_ bytes: [UInt8]) {
        var start = 0
        while start < bytes.count {
            let end = min(start + Self.blockLength, bytes.count)
            for byte in bytes[start..<end] {
                a += UInt32(byte)
                b += a
            }
            a %= Self.modulus
            b %= Self.modulus
            start = end
        }
    }

    /// The checksum of everything fed so far.
    var value: UInt32 { b << 16 | a }
}
