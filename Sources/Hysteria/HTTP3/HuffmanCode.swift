import NIOCore

/// Encodes and decodes strings with the HPACK Huffman code (RFC 7541 §5.2, table in Appendix B).
///
/// Decoding walks a binary tree one bit at a time: header strings are short, and the walk makes the
/// padding rules easy to check exactly.
enum HuffmanCode {
    /// The decoding tree as a flat array: node `n` has children at `2n` (bit 0) and `2n + 1` (bit 1).
    /// A child `>= 0` is another node; a child `< 0` is the leaf `-(symbol + 1)`. Built once from
    /// ``HuffmanCodeTable``; the code is complete (Kraft sum 1), so every slot gets filled.
    private static let tree: [Int32] = {
        var children = [Int32](repeating: 0, count: 2)
        var nodeCount: Int32 = 1
        for (symbol, entry) in HuffmanCodeTable.codes.enumerated() {
            var node = 0
            for bitIndex in stride(from: Int(entry.length) - 1, through: 0, by: -1) {
                let slot = 2 * node + Int((entry.code >> UInt32(bitIndex)) & 1)
                if bitIndex == 0 {
                    children[slot] = -Int32(symbol) - 1
                } else {
                    if children[slot] == 0 {
                        children[slot] = nodeCount
                        nodeCount += 1
                        children.append(contentsOf: [0, 0])
                    }
                    node = Int(children[slot])
                }
            }
        }
        return children
    }()

    /// Bytes the Huffman form of `bytes` takes, padding included.
    static func encodedLength(of bytes: some Sequence<UInt8>) -> Int {
        var bits = 0
        for byte in bytes { bits += Int(HuffmanCodeTable.codes[Int(byte)].length) }
        return (bits + 7) / 8
    }

    /// Appends the Huffman form of `bytes`, padded with the most significant bits of EOS (all ones).
    static func encode(_ bytes: some Sequence<UInt8>, into buffer: inout ByteBuffer) {
        var pending: UInt64 = 0  // the low `pendingBits` bits are still to be written
        var pendingBits = 0
        for byte in bytes {
            let entry = HuffmanCodeTable.codes[Int(byte)]
            pending = (pending << UInt64(entry.length)) | UInt64(entry.code)
            pendingBits += Int(entry.length)
            while pendingBits >= 8 {
                pendingBits -= 8
                buffer.writeInteger(UInt8(truncatingIfNeeded: pending >> UInt64(pendingBits)))
            }
            pending &= (1 << UInt64(pendingBits)) - 1
        }
        if pendingBits > 0 {
            let padding = 8 - pendingBits
            buffer.writeInteger(UInt8(truncatingIfNeeded: (pending << UInt64(padding)) | ((1 << UInt64(padding)) - 1)))
        }
    }

    /// Decodes `encoded`, refusing to produce more than `limit` bytes.
    /// - Throws: ``HTTP3Error/invalidHuffman`` for EOS in the data or padding that is longer than 7 bits
    ///   or not all ones (RFC 7541 §5.2); `limitError` once the output would pass `limit`.
    static func decode(
        _ encoded: ByteBuffer,
        limit: Int,
        limitError: HTTP3Error
    ) throws(HTTP3Error) -> [UInt8] {
        let tree = Self.tree
        var output: [UInt8] = []
        output.reserveCapacity(min(limit, encoded.readableBytes * 8 / 5))  // the shortest code is 5 bits
        var node = 0
        var bitsSinceSymbol = 0  // bits walked since the last symbol: the padding, if we end here
        var onlyOnesSinceSymbol = true
        for byte in encoded.readableBytesView {
            for bitIndex in stride(from: 7, through: 0, by: -1) {
                let bit = Int((byte >> UInt8(bitIndex)) & 1)
                let child = tree[2 * node + bit]
                if child < 0 {
                    let symbol = Int(-(child + 1))
                    guard symbol != HuffmanCodeTable.endOfString else { throw .invalidHuffman }
                    guard output.count < limit else { throw limitError }
                    output.append(UInt8(truncatingIfNeeded: symbol))
                    node = 0
                    bitsSinceSymbol = 0
                    onlyOnesSinceSymbol = true
                } else {
                    node = Int(child)
                    bitsSinceSymbol += 1
                    onlyOnesSinceSymbol = onlyOnesSinceSymbol && bit == 1
                }
            }
        }
        guard bitsSinceSymbol <= 7, onlyOnesSinceSymbol else { throw .invalidHuffman }
        return output
    }
}
