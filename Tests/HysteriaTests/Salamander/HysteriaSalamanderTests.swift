import Hysteria
import NIOCore
import TestSupport
import Testing

@Suite("Hysteria Salamander")
struct HysteriaSalamanderTests {
    static let salt: UInt64 = 0x0001_0203_0405_0607

    @Test("the spec's vector: key from psk and salt, and the packet on the wire")
    func specVector() throws {
        let salamander = try Salamander(password: "obfs-secret")
        var keystream = ByteBuffer()
        salamander.obfuscate(ByteBuffer(repeating: 0, count: 32), into: &keystream, salt: Self.salt)
        #expect(hexString(keystream.bytes.dropFirst(8))
            == "f31f8bd01540f6564cfc1106eee73e09f89000781e0cdee64aa8f13fbe5b2c02")
        var wire = ByteBuffer()
        salamander.obfuscate(ByteBuffer(bytes: hexBytes("4000000000000000")), into: &wire, salt: Self.salt)
        #expect(hexString(wire.bytes) == "0001020304050607b31f8bd01540f656")
    }

    @Test("a packet longer than the key wraps the keystream (checked against Python)")
    func longPacket() throws {
        let salamander = try Salamander(psk: Array("obfs-secret".utf8))
        let packet = (0..<100).map { UInt8(truncatingIfNeeded: $0 * 7) }
        var wire = ByteBuffer()
        salamander.obfuscate(ByteBuffer(bytes: packet), into: &wire, salt: Self.salt)
        #expect(hexString(wire.bytes.dropFirst(8)) == "f31885c50963dc6774c3574bbabc5c6088e77efd929f4447e20747827a90fedb"
            + "13f86525e943fc4754e3372bdadc7c40a8c75e1d727fa467c22767a21af09ebb"
            + "33d84505c9a31ca7b403170bfafc1c20c8a73e3d525f848722c787423ad0be9b53b82565")
    }

    @Test("obfuscation round-trips at every size with random salts, and a wrong key does not")
    func roundTrip() throws {
        var rng = SplitMix64(seed: 1)
        let salamander = try Salamander(password: "correct horse")
        let other = try Salamander(password: "wrong horse")
        for count in Array(1...300) + [1200, 1350, 2040] {
            let packet = (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
            var wire = ByteBuffer()
            salamander.obfuscate(ByteBuffer(bytes: packet), into: &wire, using: &rng)
            #expect(wire.readableBytes == count + Salamander.saltLength)
            var back = ByteBuffer()
            #expect(salamander.deobfuscate(wire, into: &back))
            #expect(back.bytes == packet)
            var garbled = ByteBuffer()
            #expect(other.deobfuscate(wire, into: &garbled))
            if count >= 8 { #expect(garbled.bytes != packet) }
        }
    }

    @Test("salts differ between packets when drawn from the system generator")
    func freshSalt() throws {
        let salamander = try Salamander(password: "abcd")
        var first = ByteBuffer(), second = ByteBuffer()
        salamander.obfuscate(ByteBuffer(bytes: [1]), into: &first)
        salamander.obfuscate(ByteBuffer(bytes: [1]), into: &second)
        #expect(first.bytes.prefix(8) != second.bytes.prefix(8))
    }

    @Test("datagrams of 8 bytes or less are dropped; keys under 4 bytes are refused")
    func limits() throws {
        let salamander = try Salamander(password: "abcd")
        for count in 0...8 {
            var packet = ByteBuffer()
            #expect(!salamander.deobfuscate(ByteBuffer(repeating: 1, count: count), into: &packet))
            #expect(packet.readableBytes == 0)
        }
        #expect(throws: HysteriaWireError.salamanderKeyTooShort(3)) { try Salamander(password: "abc") }
        #expect(throws: HysteriaWireError.salamanderKeyTooShort(0)) { try Salamander(psk: [UInt8]()) }
    }
}
