/// The XOR at the heart of Salamander: byte `i` of the packet is XORed with `key[i mod 32]`.
/// Every QUIC packet passes through it, so it works on 64-bit words, four per 32-byte key turn.
enum SalamanderKeystream {
    static let keyLength = 32

    /// Writes `input` XOR the repeated `key` (32 bytes) to `output`, which must be as long as
    /// `input` and may be the same memory.
    static func apply(key: UnsafeRawBufferPointer, to input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) {
        precondition(key.count == keyLength && output.count >= input.count)
        guard let source = input.baseAddress, let target = output.baseAddress else { return }
        let k0 = key.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
        let k1 = key.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        let k2 = key.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
        let k3 = key.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
        let count = input.count
        var offset = 0
        while offset + keyLength <= count {
            target.storeBytes(of: source.loadUnaligned(fromByteOffset: offset, as: UInt64.self) ^ k0,
                              toByteOffset: offset, as: UInt64.self)
            target.storeBytes(of: source.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self) ^ k1,
                              toByteOffset: offset + 8, as: UInt64.self)
            target.storeBytes(of: source.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self) ^ k2,
                              toByteOffset: offset + 16, as: UInt64.self)
            target.storeBytes(of: source.loadUnaligned(fromByteOffset: offset + 24, as: UInt64.self) ^ k3,
                              toByteOffset: offset + 24, as: UInt64.self)
            offset += keyLength
        }
        // The tail starts at a multiple of 32, so key byte i lines up with tail byte i.
        guard let keyBytes = key.baseAddress else { return }
        var index = 0
        while offset + index < count {
            let byte = source.load(fromByteOffset: offset + index, as: UInt8.self)
                ^ keyBytes.load(fromByteOffset: index, as: UInt8.self)
            target.storeBytes(of: byte, toByteOffset: offset + index, as: UInt8.self)
            index += 1
        }
    }
}
