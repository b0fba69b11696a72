/// BLAKE3 (https://github.com/BLAKE3-team/BLAKE3-specs), only what Shadowsocks 2022 (SIP022)
/// needs: the 32-byte hash and `derive_key`. One-shot over contiguous bytes; any length works
/// through the chunk tree, though SIP022 only ever feeds it a key and a salt.
public enum BLAKE3 {
    /// The default output length in bytes.
    public static let outputByteCount = 32

    private static let chunkLength = 1024
    private static let blockLength = 64

    /// The hash of `input`.
    public static func hash(_ input: some Collection<UInt8>) -> [UInt8] {
        bytes(of: withContiguous(input) { rootWords($0, key: iv, flags: 0) })
    }

    /// `derive_key(context, material)`: a key bound to the context string.
    public static func deriveKey(context: String, material: some Collection<UInt8>) -> [UInt8] {
        KeyDerivation(context: context).deriveKey(material: material)
    }

    /// `derive_key` with its context already hashed, for a context used many times.
    public struct KeyDerivation: Sendable {
        private let contextKey: Words8

        /// Hashes `context` once; ``deriveKey(material:)`` then costs one hash of the material.
        public init(context: String) {
            contextKey = withContiguous(Array(context.utf8)) { rootWords($0, key: iv, flags: Flag.deriveKeyContext) }
        }

        /// The 32-byte key for `material`.
        public func deriveKey(material: some Collection<UInt8>) -> [UInt8] {
            bytes(of: withContiguous(material) { deriveWords($0) })
        }

        /// Writes the first `output.count` (at most 32) bytes of the key for `material`, without
        /// allocating: the per-connection path of Shadowsocks 2022.
        public func deriveKey(material: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) {
            var words = deriveWords(material)
            for index in 0..<8 { words[index] = words[index].littleEndian }
            withUnsafeBytes(of: &words) { output.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0.prefix(output.count))) }
        }

        private func deriveWords(_ material: UnsafeRawBufferPointer) -> Words8 {
            rootWords(material, key: contextKey, flags: Flag.deriveKeyMaterial)
        }
    }

    /// What a node needs to be compressed later, as chaining value or as root.
    private struct Output {
        var chainingValue: Words8
        var block: Words16
        var counter: UInt64
        var length: UInt32
        var flags: UInt32

        var childValue: Words8 {
            compress(chainingValue, block, counter: counter, length: length, flags: flags).lowHalf
        }

        var rootValue: Words8 {
            compress(chainingValue, block, counter: 0, length: length, flags: flags | Flag.root).lowHalf
        }
    }

    /// The first eight output words for `input` under `key`: chunks of 1024 bytes are merged
    /// pairwise into a left-balanced tree, and the last node is finalised with the root flag.
    static func rootWords(_ input: UnsafeRawBufferPointer, key: Words8, flags: UInt32) -> Words8 {
        var stack: [Words8] = []
        var chunkIndex: UInt64 = 0
        var offset = 0
        // Every chunk but the last: the last one may be the root, so it is never merged early.
        while input.count - offset > chunkLength {
            let chunk = UnsafeRawBufferPointer(rebasing: input[offset..<offset + chunkLength])
            var value = chunkOutput(chunk, key: key, counter: chunkIndex, flags: flags).childValue
            chunkIndex += 1
            // A completed subtree for each trailing zero bit of the chunk count.
            var total = chunkIndex
            while total & 1 == 0, let left = stack.popLast() {
                value = parentOutput(left, value, key: key, flags: flags).childValue
                total >>= 1
            }
            stack.append(value)
            offset += chunkLength
        }
        var output = chunkOutput(UnsafeRawBufferPointer(rebasing: input[offset...]), key: key, counter: chunkIndex, flags: flags)
        while let left = stack.popLast() {
            output = parentOutput(left, output.childValue, key: key, flags: flags)
        }
        return output.rootValue
    }

    /// Compresses all blocks of a chunk but the last, which is left for the caller to finish.
    private static func chunkOutput(_ chunk: UnsafeRawBufferPointer, key: Words8, counter: UInt64, flags: UInt32) -> Output {
        var value = key
        var blockFlags = flags | Flag.chunkStart
        var offset = 0
        while chunk.count - offset > blockLength {
            let bytes = UnsafeRawBufferPointer(rebasing: chunk[offset..<offset + blockLength])
            value = compress(value, block(bytes), counter: counter, length: UInt32(blockLength), flags: blockFlags).lowHalf
            blockFlags = flags
            offset += blockLength
        }
        let last = UnsafeRawBufferPointer(rebasing: chunk[offset...])
        return Output(chainingValue: value, block: block(last), counter: counter, length: UInt32(last.count), flags: blockFlags | Flag.chunkEnd)
    }

    private static func parentOutput(_ left: Words8, _ right: Words8, key: Words8, flags: UInt32) -> Output {
        Output(chainingValue: key, block: Words16(lowHalf: left, highHalf: right), counter: 0, length: UInt32(blockLength), flags: flags | Flag.parent)
    }

    private static func bytes(of words: Words8) -> [UInt8] {
        var result = [UInt8]()
        result.reserveCapacity(outputByteCount)
        for index in 0..<8 {
            let word = words[index]
            for shift in stride(from: 0, to: 32, by: 8) { result.append(UInt8(truncatingIfNeeded: word >> UInt32(shift))) }
        }
        return result
    }

    private static func withContiguous<R>(_ input: some Collection<UInt8>, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        if let result = input.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) { return result }
        return Array(input).withUnsafeBytes(body)
    }
}
