import Hashing
public import NIOCore

/// Salamander obfuscation (Hysteria 2 §1.6), wrapped around every UDP datagram of the QUIC
/// connection: `salt (8 random bytes) || packet XOR BLAKE2b-256(psk || salt) repeated`. It hides
/// QUIC from middleboxes; it does not authenticate (a wrong key yields garbage QUIC discards).
public struct Salamander: Sendable {
    public static let saltLength = HysteriaConstants.salamanderSaltLength

    private let psk: [UInt8]

    /// Throws when the key is shorter than 4 bytes.
    public init(psk: some Collection<UInt8>) throws(HysteriaWireError) {
        guard psk.count >= HysteriaConstants.salamanderMinimumKeyLength else {
            throw .salamanderKeyTooShort(psk.count)
        }
        self.psk = Array(psk)
    }

    /// The key from a password, as its UTF-8 bytes.
    public init(password: String) throws(HysteriaWireError) {
        try self.init(psk: Array(password.utf8))
    }

    /// Appends the obfuscated datagram for `packet`'s readable bytes, with a fresh random salt.
    public func obfuscate(_ packet: ByteBuffer, into datagram: inout ByteBuffer) {
        var rng = SystemRandomNumberGenerator()
        obfuscate(packet, into: &datagram, using: &rng)
    }

    /// As ``obfuscate(_:into:)``, the salt drawn from `rng`.
    public func obfuscate(
        _ packet: ByteBuffer, into datagram: inout ByteBuffer, using rng: inout some RandomNumberGenerator
    ) {
        obfuscate(packet, into: &datagram, salt: rng.next())
    }

    /// As ``obfuscate(_:into:)`` with a given salt, written big-endian (for tests and vectors).
    public func obfuscate(_ packet: ByteBuffer, into datagram: inout ByteBuffer, salt: UInt64) {
        datagram.reserveCapacity(minimumWritableBytes: Self.saltLength + packet.readableBytes)
        datagram.writeInteger(salt)
        let count = packet.readableBytes
        withUnsafeBytes(of: salt.bigEndian) { saltBytes in
            packet.withUnsafeReadableBytes { input in
                _ = datagram.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { output in
                    applyKeystream(salt: saltBytes, to: input, into: output)
                    return count
                }
            }
        }
    }

    /// Appends the packet hidden in `datagram`'s readable bytes to `packet`; `false` (nothing
    /// written) for datagrams of 8 bytes or less, which carry no packet and are dropped.
    @discardableResult
    public func deobfuscate(_ datagram: ByteBuffer, into packet: inout ByteBuffer) -> Bool {
        let count = datagram.readableBytes - Self.saltLength
        guard count > 0 else { return false }
        datagram.withUnsafeReadableBytes { bytes in
            let salt = UnsafeRawBufferPointer(rebasing: bytes[..<Self.saltLength])
            let input = UnsafeRawBufferPointer(rebasing: bytes[Self.saltLength...])
            _ = packet.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { output in
                applyKeystream(salt: salt, to: input, into: output)
                return count
            }
        }
        return true
    }

    /// Derives the key BLAKE2b-256(psk || salt) on the stack and XORs `input` with it.
    private func applyKeystream(
        salt: UnsafeRawBufferPointer, to input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) {
        withUnsafeTemporaryAllocation(byteCount: SalamanderKeystream.keyLength, alignment: 8) { keyBytes in
            key(salt: salt, into: keyBytes)
            SalamanderKeystream.apply(key: UnsafeRawBufferPointer(keyBytes), to: input, into: output)
        }
    }

    /// BLAKE2b-256(psk || salt).
    func key(salt: UnsafeRawBufferPointer, into key: UnsafeMutableRawBufferPointer) {
        let length = psk.count + salt.count
        withUnsafeTemporaryAllocation(byteCount: length, alignment: 8) { material in
            psk.withUnsafeBytes { material.copyMemory(from: $0) }
            UnsafeMutableRawBufferPointer(rebasing: material[psk.count...]).copyMemory(from: salt)
            BLAKE2b.hash(UnsafeRawBufferPointer(material), into: key)
        }
    }
}
