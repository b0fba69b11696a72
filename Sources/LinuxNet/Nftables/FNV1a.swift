/// 64-bit FNV-1a: a small stable hash for rule fingerprints. Not for security; it only has to
/// change when a rule's text changes, and be the same in every process and release (unlike
/// Swift's seeded `Hasher`).
enum FNV1a {
    static func hash(_ text: String) -> UInt64 {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            value ^= UInt64(byte)
            value = value &* 0x0000_0100_0000_01B3
        }
        return value
    }

    /// The hash as 16 lowercase hex digits.
    static func hex(_ text: String) -> String {
        let digits = String(hash(text), radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
