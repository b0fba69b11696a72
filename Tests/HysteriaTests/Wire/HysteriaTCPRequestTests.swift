import Addressing
import Hysteria
import NIOCore
import Routing
import TestSupport
import Testing
import WireFormat

@Suite("Hysteria TCP request")
struct HysteriaTCPRequestTests {
    static let specExample = "44 01 0f 65 78 61 6d 70 6c 65 2e 63 6f 6d 3a 34 34 33 04 61 62 63 64"

    @Test("the spec's example decodes and leaves the payload after it")
    func specExample() throws {
        var buffer = ByteBuffer(bytes: hexBytes(Self.specExample) + Array("hello".utf8))
        let request = try #require(try TCPRequest.decode(from: &buffer).value)
        #expect(try request.target().description == "example.com:443")
        #expect(buffer.bytes == Array("hello".utf8))
    }

    @Test("encoding matches the spec's example up to the random padding, which is alphanumeric")
    func specEncoding() throws {
        var rng = SplitMix64(seed: 1)
        var buffer = ByteBuffer()
        try TCPRequest(target: try #require(Target("example.com:443")))
            .encode(into: &buffer, paddingLength: 4, using: &rng)
        let bytes = buffer.bytes
        #expect(bytes.count == 23)
        #expect(Array(bytes.prefix(19)) == Array(hexBytes(Self.specExample).prefix(19)))
        let alphanumerics = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
        #expect(bytes.suffix(4).allSatisfy(alphanumerics.contains))
    }

    @Test("default padding lengths come from the official client's range")
    func paddingRange() throws {
        var rng = SplitMix64(seed: 1)
        let request = TCPRequest(target: try #require(Target("[2001:db8::1]:443")))
        let header = 2 + 1 + "[2001:db8::1]:443".utf8.count
        for _ in 0..<200 {
            var buffer = ByteBuffer()
            try request.encode(into: &buffer, using: &rng)
            buffer.moveReaderIndex(forwardBy: header)
            guard case .value(let length) = QUICVarint.read(from: &buffer) else { Issue.record("no padding"); return }
            #expect(HysteriaConstants.tcpRequestPadding.contains(Int(length)))
            #expect(buffer.readableBytes == Int(length))
        }
    }

    @Test("round trips fed one byte at a time and in random pieces, payload kept", arguments: [
        "example.com:443", "1.1.1.1:53", "[2001:db8::1]:8443", "a:1",
    ])
    func roundTrip(address: String) throws {
        var rng = SplitMix64(seed: 1)
        let target = try #require(Target(address))
        for padding in [0, 1, 63, 64, 511, 4096] {
            var buffer = ByteBuffer()
            try TCPRequest(target: target).encode(into: &buffer, paddingLength: padding, using: &rng)
            let bytes = buffer.bytes + [1, 2, 3]
            var splits = [Array(repeating: 1, count: bytes.count)]
            for _ in 0..<20 { splits.append(randomPieces(total: bytes.count, using: &rng)) }
            for pieces in splits {
                let outcome = try feed(bytes, pieces: pieces, decode: TCPRequest.decode(from:))
                #expect(outcome.value == TCPRequest(target: target))
                #expect(outcome.rest == [1, 2, 3])
                #expect(!outcome.consumedWhileWaiting)
            }
        }
    }

    @Test("another frame type is refused as soon as it is read; 0x401 in a longer form is accepted")
    func frameType() throws {
        for (hex, type) in [("01", UInt64(1)), ("4402", 0x402), ("00", 0), ("8000040200", 0x402)] {
            var buffer = ByteBuffer(bytes: hexBytes(hex))
            #expect(throws: HysteriaWireError.notTCPRequest(frameType: type)) { try TCPRequest.decode(from: &buffer) }
        }
        var partial = ByteBuffer(bytes: [0x44])
        #expect(try TCPRequest.decode(from: &partial) == .needMoreBytes)
        var long = ByteBuffer(bytes: hexBytes("80000401 03 613a31 00"))
        #expect(try TCPRequest.decode(from: &long).value?.target().description == "a:1")
    }

    @Test("address lengths: 0 and 2049 fail at the length, 2048 is read in full before it is judged")
    func addressLimits() throws {
        for length in [0, 2049, 1 << 40] {
            var buffer = ByteBuffer(bytes: [0x44, 0x01] + varint(UInt64(length)))
            #expect(throws: HysteriaWireError.addressLength(length)) { try TCPRequest.decode(from: &buffer) }
        }
        let address = Array(repeating: UInt8(ascii: "a"), count: 2044) + Array(":443".utf8)
        let bytes = [0x44, 0x01] + varint(2048) + address + [0]
        var partial = ByteBuffer(bytes: bytes.dropLast())
        #expect(try TCPRequest.decode(from: &partial) == .needMoreBytes)
        var whole = ByteBuffer(bytes: bytes)
        let request = try #require(try TCPRequest.decode(from: &whole).value)
        #expect(throws: HysteriaWireError.self) { try request.target() }  // a 2044-byte host name
        #expect(HysteriaWireError.addressLength(2049).description.contains("2049"))
    }

    @Test("an address that is not host:port is a clear error", arguments: [
        "example.com", "example.com:0", "example.com:99999", "2001:db8::1:443", "bad host:80", "[]:1",
    ])
    func invalidAddress(text: String) throws {
        let address = Array(text.utf8)
        var buffer = ByteBuffer(bytes: [0x44, 0x01] + varint(UInt64(address.count)) + address + [0])
        let request = try #require(try TCPRequest.decode(from: &buffer).value)
        #expect(request.address == text)
        #expect(throws: HysteriaWireError.invalidAddress(text)) { try request.target() }
        #expect(buffer.readableBytes == 0)
    }

    @Test("address bytes that are not UTF-8 are refused, shown lossily")
    func notUTF8() {
        var buffer = ByteBuffer(bytes: [0x44, 0x01, 0x04, 0xFF, 0x3A, 0x38, 0x30, 0x00])
        #expect(throws: HysteriaWireError.invalidAddress("\u{FFFD}:80")) { try TCPRequest.decode(from: &buffer) }
    }

    @Test("padding: 4096 accepted, 4097 refused when writing and as soon as it is read")
    func paddingLimits() throws {
        var rng = SplitMix64(seed: 1)
        let request = TCPRequest(target: try #require(Target("a:1")))
        var buffer = ByteBuffer()
        #expect(throws: HysteriaWireError.paddingLength(4097)) {
            try request.encode(into: &buffer, paddingLength: 4097, using: &rng)
        }
        #expect(throws: HysteriaWireError.paddingLength(-1)) {
            try request.encode(into: &buffer, paddingLength: -1, using: &rng)
        }
        var tooLong = ByteBuffer(bytes: hexBytes("4401 03 613a31") + varint(4097))
        #expect(throws: HysteriaWireError.paddingLength(4097)) { try TCPRequest.decode(from: &tooLong) }
        var waiting = ByteBuffer(bytes: hexBytes("4401 03 613a31") + varint(4096) + Array(repeating: 0x61, count: 4095))
        #expect(try TCPRequest.decode(from: &waiting) == .needMoreBytes)
        waiting.writeInteger(UInt8(0x61))
        #expect(try TCPRequest.decode(from: &waiting) == .value(request))
        #expect(waiting.readableBytes == 0)
    }
}
