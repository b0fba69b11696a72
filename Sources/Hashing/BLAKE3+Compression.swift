/// The BLAKE3 compression function (spec §2.2): a ChaCha-like permutation of sixteen words,
/// run as four rows of four lanes so each `mix` updates a whole column or diagonal at once.
extension BLAKE3 {
    typealias Words8 = SIMD8<UInt32>
    typealias Words16 = SIMD16<UInt32>

    /// The initialisation vector, shared with SHA-256.
    static let iv = Words8(
        0x6A09_E667, 0xBB67_AE85, 0x3C6E_F372, 0xA54F_F53A,
        0x510E_527F, 0x9B05_688C, 0x1F83_D9AB, 0x5BE0_CD19
    )

    /// Domain flags (spec table 3).
    enum Flag {
        static let chunkStart: UInt32 = 1 << 0
        static let chunkEnd: UInt32 = 1 << 1
        static let parent: UInt32 = 1 << 2
        static let root: UInt32 = 1 << 3
        static let deriveKeyContext: UInt32 = 1 << 5
        static let deriveKeyMaterial: UInt32 = 1 << 6
    }

    /// Compresses one 64-byte block; the first eight words of the result are the new
    /// chaining value (or, with the root flag, the output).
    static func compress(
        _ chainingValue: Words8, _ block: Words16, counter: UInt64, length: UInt32, flags: UInt32
    ) -> Words16 {
        var a = chainingValue.lowHalf
        var b = chainingValue.highHalf
        var c = iv.lowHalf
        var d = SIMD4(UInt32(truncatingIfNeeded: counter), UInt32(truncatingIfNeeded: counter >> 32), length, flags)
        var m = block
        for round in 0..<7 {
            if round > 0 { m = permuted(m) }
            // Columns.
            mix(&a, &b, &c, &d, SIMD4(m[0], m[2], m[4], m[6]), SIMD4(m[1], m[3], m[5], m[7]))
            // Rotate rows so the diagonals line up as columns, mix, and rotate back.
            b = SIMD4(b[1], b[2], b[3], b[0])
            c = SIMD4(c[2], c[3], c[0], c[1])
            d = SIMD4(d[3], d[0], d[1], d[2])
            mix(&a, &b, &c, &d, SIMD4(m[8], m[10], m[12], m[14]), SIMD4(m[9], m[11], m[13], m[15]))
            b = SIMD4(b[3], b[0], b[1], b[2])
            c = SIMD4(c[2], c[3], c[0], c[1])
            d = SIMD4(d[1], d[2], d[3], d[0])
        }
        return Words16(
            lowHalf: Words8(lowHalf: a ^ c, highHalf: b ^ d),
            highHalf: Words8(lowHalf: c ^ chainingValue.lowHalf, highHalf: d ^ chainingValue.highHalf)
        )
    }

    /// The quarter-round `G`, on four lanes at once.
    @inline(__always)
    private static func mix(
        _ a: inout SIMD4<UInt32>, _ b: inout SIMD4<UInt32>, _ c: inout SIMD4<UInt32>, _ d: inout SIMD4<UInt32>,
        _ x: SIMD4<UInt32>, _ y: SIMD4<UInt32>
    ) {
        a = a &+ b &+ x
        d = rotateRight(d ^ a, by: 16)
        c = c &+ d
        b = rotateRight(b ^ c, by: 12)
        a = a &+ b &+ y
        d = rotateRight(d ^ a, by: 8)
        c = c &+ d
        b = rotateRight(b ^ c, by: 7)
    }

    @inline(__always)
    private static func rotateRight(_ value: SIMD4<UInt32>, by count: UInt32) -> SIMD4<UInt32> {
        (value &>> count) | (value &<< (32 - count))
    }

    /// The message schedule between rounds (spec table 2).
    @inline(__always)
    private static func permuted(_ m: Words16) -> Words16 {
        Words16(m[2], m[6], m[3], m[10], m[7], m[0], m[4], m[13], m[1], m[11], m[12], m[5], m[9], m[14], m[15], m[8])
    }

    /// Up to 64 bytes as little-endian words, zero-padded.
    static func block(_ bytes: UnsafeRawBufferPointer) -> Words16 {
        var words = Words16()
        withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: bytes) }
        for index in 0..<16 { words[index] = UInt32(littleEndian: words[index]) }
        return words
    }
}
