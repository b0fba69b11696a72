/// BLAKE2b (RFC 7693), unkeyed, with the digest length as a parameter. Salamander derives a key
/// per datagram with BLAKE2b-256, so this is one-shot and allocation-free: the working state lives
/// on the stack and whole blocks are read straight from the input.
public enum BLAKE2b {
    /// Bytes per compressed block (RFC 7693 §2.1, bb).
    public static let blockLength = 128
    /// The longest digest, in bytes (RFC 7693 §2.1, nn).
    public static let maximumDigestLength = 64

    /// The digest of `input`, `digestLength` (1...64) bytes long.
    public static func hash(_ input: some Collection<UInt8>, digestLength: Int = 64) -> [UInt8] {
        precondition((1...maximumDigestLength).contains(digestLength), "BLAKE2b digest length must be 1...64")
        let bytes = Array(input)
        return [UInt8](unsafeUninitializedCapacity: digestLength) { output, initialized in
            bytes.withUnsafeBytes { hash($0, into: UnsafeMutableRawBufferPointer(output)) }
            initialized = digestLength
        }
    }

    /// Writes the digest of `input` into `output`, whose size (1...64) is the digest length.
    public static func hash(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) {
        let digestLength = output.count
        precondition((1...maximumDigestLength).contains(digestLength), "BLAKE2b digest length must be 1...64")
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 8 + 16 + 16) { words in
            guard let base = words.baseAddress else { return }
            let state = base, work = base + 8, message = base + 24
            for index in 0..<8 { state[index] = initialVector[index] }
            // Parameter block word 0: digest length, key length 0, fanout 1, depth 1.
            state[0] ^= 0x0101_0000 ^ UInt64(digestLength)

            var offset = 0
            // Every block but the last is compressed as it stands; the last one, possibly partial
            // (or empty for empty input), is zero-padded and flagged final.
            while input.count - offset > blockLength {
                load(message, from: UnsafeRawBufferPointer(rebasing: input[offset..<offset + blockLength]))
                offset += blockLength
                compress(state: state, work: work, message: message, counter: UInt64(offset), final: false)
            }
            withUnsafeTemporaryAllocation(byteCount: blockLength, alignment: 8) { block in
                block.initializeMemory(as: UInt8.self, repeating: 0)
                let tail = UnsafeRawBufferPointer(rebasing: input[offset...])
                block.copyMemory(from: tail)
                load(message, from: UnsafeRawBufferPointer(block))
            }
            compress(state: state, work: work, message: message, counter: UInt64(input.count), final: true)

            for index in 0..<digestLength {
                output[index] = UInt8(truncatingIfNeeded: state[index / 8] >> (8 * UInt64(index % 8)))
            }
        }
    }

    private static let initialVector: [UInt64] = [
        0x6A09_E667_F3BC_C908, 0xBB67_AE85_84CA_A73B, 0x3C6E_F372_FE94_F82B, 0xA54F_F53A_5F1D_36F1,
        0x510E_527F_ADE6_82D1, 0x9B05_688C_2B3E_6C1F, 0x1F83_D9AB_FB41_BD6B, 0x5BE0_CD19_137E_2179,
    ]

    /// The message word order of each round (rounds 10 and 11 reuse rows 0 and 1).
    private static let sigma: [UInt8] = [
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
        14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3,
        11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4,
        7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8,
        9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13,
        2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9,
        12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11,
        13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10,
        6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5,
        10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0,
    ]

    /// Reads a 128-byte block as sixteen little-endian words.
    private static func load(_ message: UnsafeMutablePointer<UInt64>, from block: UnsafeRawBufferPointer) {
        for index in 0..<16 {
            message[index] = UInt64(littleEndian: block.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self))
        }
    }

    /// The compression function F: twelve rounds of G over the state and one message block.
    private static func compress(
        state h: UnsafeMutablePointer<UInt64>, work v: UnsafeMutablePointer<UInt64>,
        message m: UnsafeMutablePointer<UInt64>, counter: UInt64, final: Bool
    ) {
        for index in 0..<8 {
            v[index] = h[index]
            v[index + 8] = initialVector[index]
        }
        v[12] ^= counter  // the high counter word stays 0: inputs are far below 2^64 bytes
        if final { v[14] = ~v[14] }
        sigma.withUnsafeBufferPointer { sigma in
            guard let rows = sigma.baseAddress else { return }
            for round in 0..<12 {
                let s = rows + (round % 10) * 16
                mix(v, 0, 4, 8, 12, m[Int(s[0])], m[Int(s[1])])
                mix(v, 1, 5, 9, 13, m[Int(s[2])], m[Int(s[3])])
                mix(v, 2, 6, 10, 14, m[Int(s[4])], m[Int(s[5])])
                mix(v, 3, 7, 11, 15, m[Int(s[6])], m[Int(s[7])])
                mix(v, 0, 5, 10, 15, m[Int(s[8])], m[Int(s[9])])
                mix(v, 1, 6, 11, 12, m[Int(s[10])], m[Int(s[11])])
                mix(v, 2, 7, 8, 13, m[Int(s[12])], m[Int(s[13])])
                mix(v, 3, 4, 9, 14, m[Int(s[14])], m[Int(s[15])])
            }
        }
        for index in 0..<8 { h[index] ^= v[index] ^ v[index + 8] }
    }

    /// The mixing function G.
    @inline(__always)
    private static func mix(
        _ v: UnsafeMutablePointer<UInt64>, _ a: Int, _ b: Int, _ c: Int, _ d: Int, _ x: UInt64, _ y: UInt64
    ) {
        v[a] = v[a] &+ v[b] &+ x
        v[d] = rotateRight(v[d] ^ v[a], 32)
        v[c] = v[c] &+ v[d]
        v[b] = rotateRight(v[b] ^ v[c], 24)
        v[a] = v[a] &+ v[b] &+ y
        v[d] = rotateRight(v[d] ^ v[a], 16)
        v[c] = v[c] &+ v[d]
        v[b] = rotateRight(v[b] ^ v[c], 63)
    }

    @inline(__always)
    private static func rotateRight(_ value: UInt64, _ count: UInt64) -> UInt64 {
        (value >> count) | (value << (64 - count))
    }
}
