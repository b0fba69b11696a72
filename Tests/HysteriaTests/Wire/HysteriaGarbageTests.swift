import Hysteria
import NIOCore
import TestSupport
import Testing
import WireFormat

@Suite("Hysteria decoders on garbage")
struct HysteriaGarbageTests {
    /// Random bytes, sometimes behind a plausible start so decoding gets past the first checks.
    static func garbage(count: Int, using rng: inout SplitMix64) -> [UInt8] {
        var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
        switch Int.random(in: 0..<4, using: &rng) {
        case 0 where count >= 2: bytes[0...1] = [0x44, 0x01]
        case 1 where count >= 3: bytes[0...2] = [0x44, 0x01, UInt8.random(in: 0...40, using: &rng)]
        case 2 where count >= 9: bytes[8] = UInt8.random(in: 0...30, using: &rng)
        default: break
        }
        return bytes
    }

    @Test("no decoder traps on random input of many sizes, whole or fed in pieces")
    func garbage() throws {
        var rng = SplitMix64(seed: 1)
        let salamander = try Salamander(password: "garbage")
        var reassembler = UDPReassembler()
        for round in 0..<3000 {
            let count = round < 400 ? round : Int.random(in: 0...9000, using: &rng)
            let bytes = Self.garbage(count: count, using: &rng)
            let pieces = randomPieces(total: count, using: &rng)
            _ = try? feed(bytes, pieces: pieces, decode: TCPRequest.decode(from:))
            _ = try? feed(bytes, pieces: pieces, decode: TCPResponse.decode(from:))
            var buffer = ByteBuffer(bytes: bytes)
            _ = QUICVarint.read(from: &buffer)
            if let message = try? UDPMessage(decoding: ByteBuffer(bytes: bytes)) {
                #expect(message.payload.readableBytes > 0)
                _ = reassembler.add(message)
            }
            var packet = ByteBuffer()
            #expect(salamander.deobfuscate(ByteBuffer(bytes: bytes), into: &packet) == (count > 8))
            #expect(packet.readableBytes == max(0, count - 8))
        }
    }

    @Test("a decoder that needs more bytes never waits past the limits")
    func boundedWait() throws {
        var rng = SplitMix64(seed: 1)
        // The longest possible request and response (varints may take 8 bytes); anything longer
        // must have ended or failed.
        let requestLimit = 8 + 8 + 2048 + 8 + 4096
        let responseLimit = 1 + 8 + 2048 + 8 + 4096
        for _ in 0..<200 {
            let bytes = Self.garbage(count: 12000, using: &rng)
            var request = ByteBuffer(bytes: bytes.prefix(requestLimit + 16))
            var response = ByteBuffer(bytes: bytes.prefix(responseLimit + 16))
            #expect((try? TCPRequest.decode(from: &request)) != .needMoreBytes)
            #expect((try? TCPResponse.decode(from: &response)) != .needMoreBytes)
        }
    }
}
