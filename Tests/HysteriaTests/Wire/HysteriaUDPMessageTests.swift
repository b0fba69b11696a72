import Addressing
import Hysteria
import NIOCore
import Routing
import TestSupport
import Testing

@Suite("Hysteria UDP message")
struct HysteriaUDPMessageTests {
    static let specHeader = "00 00 00 01 | 00 00 | 00 | 01 | 0a 31 2e 31 2e 31 2e 31 3a 35 33"

    @Test("the spec's example header, and decoding it back")
    func specExample() throws {
        let query: [UInt8] = [0x12, 0x34, 0x01, 0x00]
        let message = UDPMessage(
            sessionID: 1, address: try #require(Target("1.1.1.1:53")), payload: ByteBuffer(bytes: query))
        var buffer = ByteBuffer()
        try message.encode(into: &buffer)
        #expect(buffer.bytes == hexBytes(Self.specHeader) + query)
        #expect(message.headerLength == 19)
        #expect(message.encodedLength == 23)
        #expect(try UDPMessage(decoding: buffer) == message)
    }

    @Test("random messages round-trip", arguments: ["example.com:443", "10.0.0.1:5353", "[::1]:53"])
    func roundTrip(address: String) throws {
        var rng = SplitMix64(seed: 1)
        let target = try #require(Target(address))
        for _ in 0..<200 {
            let payload = (0..<Int.random(in: 1...3000, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let message = UDPMessage(
                sessionID: .random(in: 0...UInt32.max, using: &rng), packetID: .random(in: 0...UInt16.max, using: &rng),
                fragmentID: .random(in: 0...255, using: &rng), fragmentCount: .random(in: 0...255, using: &rng),
                address: target, payload: ByteBuffer(bytes: payload))
            var buffer = ByteBuffer()
            try message.encode(into: &buffer)
            #expect(buffer.readableBytes == message.encodedLength)
            #expect(try UDPMessage(decoding: buffer) == message)
        }
    }

    @Test("every prefix of the header is a truncated datagram; the bare header has no payload")
    func truncation() {
        let header = hexBytes(Self.specHeader)
        for count in 0..<header.count {
            #expect(throws: HysteriaWireError.truncatedDatagram(count)) {
                try UDPMessage(decoding: ByteBuffer(bytes: header.prefix(count)))
            }
        }
        #expect(throws: HysteriaWireError.emptyPayload) { try UDPMessage(decoding: ByteBuffer(bytes: header)) }
    }

    @Test("address lengths 0 and 2049 and bad addresses are refused")
    func addressLimits() {
        let fixed: [UInt8] = [0, 0, 0, 1, 0, 0, 0, 1]
        for length in [0, 2049] {
            let datagram = fixed + varint(UInt64(length)) + Array(repeating: 0x61, count: 2100)
            #expect(throws: HysteriaWireError.addressLength(length)) {
                try UDPMessage(decoding: ByteBuffer(bytes: datagram))
            }
        }
        let datagram = fixed + varint(2048) + Array(repeating: 0x61, count: 2049)
        #expect(throws: HysteriaWireError.invalidAddress(String(repeating: "a", count: 64))) {
            try UDPMessage(decoding: ByteBuffer(bytes: datagram))
        }
    }

    @Test("an empty payload is refused when writing")
    func emptyPayload() throws {
        let message = UDPMessage(sessionID: 1, address: try #require(Target("a:1")), payload: ByteBuffer())
        var buffer = ByteBuffer()
        #expect(throws: HysteriaWireError.emptyPayload) { try message.encode(into: &buffer) }
    }
}
