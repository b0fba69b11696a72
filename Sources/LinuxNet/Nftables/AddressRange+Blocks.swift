extension AddressRange {
    /// The fewest CIDR blocks that cover exactly this range, lowest first: what a policy rule,
    /// which matches a prefix and not a range, needs (`10.0.0.1-10.0.0.6` is `.1/32 .2/31 .4/31
    /// .6/32`).
    public var blocks: [IPPrefix] {
        let bits = first.count * 8
        var blocks: [IPPrefix] = []
        var start = first
        while true {
            var hostBits = min(Self.trailingZeroBits(start), bits)
            while hostBits > 0, Self.bytesPrecede(last, Self.filling(start, hostBits: hostBits)) { hostBits -= 1 }
            if let block = IPPrefix(bytes: start, length: bits - hostBits) { blocks.append(block) }
            let end = Self.filling(start, hostBits: hostBits)
            guard end != last, let next = Self.successor(of: end) else { return blocks }
            start = next
        }
    }

    private static func trailingZeroBits(_ address: [UInt8]) -> Int {
        var count = 0
        for byte in address.reversed() {
            if byte == 0 { count += 8; continue }
            return count + byte.trailingZeroBitCount
        }
        return count
    }

    /// `address` with its lowest `hostBits` bits set.
    private static func filling(_ address: [UInt8], hostBits: Int) -> [UInt8] {
        var filled = address
        for index in filled.indices.reversed() {
            let fromEnd = (filled.count - 1 - index) * 8
            let bitsHere = min(8, max(0, hostBits - fromEnd))
            if bitsHere == 0 { break }
            filled[index] |= UInt8(truncatingIfNeeded: (1 << bitsHere) - 1)
        }
        return filled
    }
}
