import Hysteria
import NIOCore
import TestSupport
import Testing
import WireFormat

@Suite("Hysteria TCP response")
struct HysteriaTCPResponseTests {
    @Test("round trips fed one byte at a time and in random pieces, relayed bytes kept")
    func roundTrip() throws {
        var rng = SplitMix64(seed: 1)
        let responses = [
            TCPResponse(isOK: true, message: "Connected"), TCPResponse(isOK: true, message: ""),
            TCPResponse(isOK: false, message: "dial tcp 10.0.0.1:22: connection refused"),
            TCPResponse(isOK: false, message: String(repeating: "é", count: 1024)),
        ]
        for response in responses {
            for padding in [0, 5, 1023, 4096] {
                var buffer = ByteBuffer()
                try response.encode(into: &buffer, paddingLength: padding, using: &rng)
                let bytes = buffer.bytes + [9, 8]
                var splits = [Array(repeating: 1, count: bytes.count)]
                for _ in 0..<10 { splits.append(randomPieces(total: bytes.count, using: &rng)) }
                for pieces in splits {
                    let outcome = try feed(bytes, pieces: pieces, decode: TCPResponse.decode(from:))
                    #expect(outcome.value == response)
                    #expect(outcome.rest == [9, 8])
                    #expect(!outcome.consumedWhileWaiting)
                }
            }
        }
    }

    @Test("status 0 is OK, anything else a failure; bytes are as the spec lays them out")
    func layout() throws {
        var rng = SplitMix64(seed: 1)
        var buffer = ByteBuffer()
        try TCPResponse(isOK: false, message: "no").encode(into: &buffer, paddingLength: 0, using: &rng)
        #expect(hexString(buffer.bytes) == "01026e6f00")
        var other = ByteBuffer(bytes: hexBytes("07 00 00"))
        #expect(try TCPResponse.decode(from: &other) == .value(TCPResponse(isOK: false, message: "")))
    }

    @Test("default padding lengths come from the official server's range")
    func paddingRange() throws {
        var rng = SplitMix64(seed: 1)
        for _ in 0..<200 {
            var buffer = ByteBuffer()
            try TCPResponse(isOK: true, message: "").encode(into: &buffer, using: &rng)
            buffer.moveReaderIndex(forwardBy: 2)
            guard case .value(let length) = QUICVarint.read(from: &buffer) else { Issue.record("no padding"); return }
            #expect(HysteriaConstants.tcpResponsePadding.contains(Int(length)))
            #expect(buffer.readableBytes == Int(length))
        }
    }

    @Test("message: 2048 bytes accepted, 2049 refused when writing and as soon as the length is read")
    func messageLimits() throws {
        var rng = SplitMix64(seed: 1)
        let longest = TCPResponse(isOK: true, message: String(repeating: "m", count: 2048))
        var buffer = ByteBuffer()
        try longest.encode(into: &buffer, paddingLength: 0, using: &rng)
        #expect(try TCPResponse.decode(from: &buffer) == .value(longest))
        #expect(throws: HysteriaWireError.messageLength(2049)) {
            try TCPResponse(isOK: true, message: String(repeating: "m", count: 2049))
                .encode(into: &buffer, paddingLength: 0, using: &rng)
        }
        var tooLong = ByteBuffer(bytes: [0] + varint(2049))
        #expect(throws: HysteriaWireError.messageLength(2049)) { try TCPResponse.decode(from: &tooLong) }
        var huge = ByteBuffer(bytes: hexBytes("00 ff ff ff ff ff ff ff ff"))
        #expect(throws: HysteriaWireError.messageLength(Int(QUICVarint.maximum))) {
            try TCPResponse.decode(from: &huge)
        }
    }

    @Test("padding: 4096 accepted, 4097 refused")
    func paddingLimits() throws {
        var rng = SplitMix64(seed: 1)
        var buffer = ByteBuffer()
        #expect(throws: HysteriaWireError.paddingLength(4097)) {
            try TCPResponse(isOK: true, message: "").encode(into: &buffer, paddingLength: 4097, using: &rng)
        }
        #expect(buffer.readableBytes == 0)
        var tooLong = ByteBuffer(bytes: [0, 0] + varint(4097))
        #expect(throws: HysteriaWireError.paddingLength(4097)) { try TCPResponse.decode(from: &tooLong) }
        var longest = ByteBuffer(bytes: [0, 0] + varint(4096) + Array(repeating: 0x30, count: 4096))
        #expect(try TCPResponse.decode(from: &longest) == .value(TCPResponse(isOK: true, message: "")))
    }

    @Test("message bytes that are not UTF-8 decode lossily")
    func lossyMessage() throws {
        var buffer = ByteBuffer(bytes: [0x01, 0x02, 0xC3, 0x28, 0x00])
        #expect(try TCPResponse.decode(from: &buffer).value?.message == "\u{FFFD}(")
    }

    @Test("a refusal's reason is cut to 2048 bytes at a character boundary, so it always encodes")
    func refusedReasonFits() throws {
        let reason = String(repeating: "é", count: 1500)  // 3000 bytes in 1500 characters
        let refusal = TCPResponse.refused(reason)
        #expect(!refusal.isOK && refusal.message.utf8.count == 2048 && reason.hasPrefix(refusal.message))
        var encoded = refusal.encoded
        #expect(try TCPResponse.decode(from: &encoded).value == refusal)
        #expect(TCPResponse.connected.message == "Connected" && TCPResponse.connected.isOK)
    }
}
