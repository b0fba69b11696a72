@testable import LinuxNet
import TestSupport
import Testing

/// Answers from the kernel are parsed against their own lengths: a malformed one is an error,
/// never a crash or a read past the datagram.
@Suite struct NetlinkAnswerTests {
    @Test func aRequestSplitsBackIntoItsOwnMessage() throws {
        var request = NetlinkRequest(type: 32, flags: 5, sequence: 77, header: [2, 0, 0, 0])
        request.attributes.add(6, u32: 6800)
        request.attributes.add(3, string: "hy2tun0")
        let messages = try NetlinkMessage.split(ArraySlice(request.bytes))
        #expect(messages.count == 1)
        #expect(messages[0].type == 32 && messages[0].flags == 5 && messages[0].sequence == 77)
        let attributes = NetlinkAttributes(messages[0].payload.dropFirst(4))
        #expect(attributes.u32(6) == 6800)
        #expect(attributes.string(3) == "hy2tun0")
    }

    @Test func nestedArraysReadBackInOrder() {
        var outer = NetlinkAttributes.Builder()
        for (index, port) in [UInt16(51820), 53, 443].enumerated() {
            var item = NetlinkAttributes.Builder()
            item.add(1, u16: port)
            item.add(2, u8: UInt8(index))
            outer.add(UInt16(index), nested: item)
        }
        var message = NetlinkAttributes.Builder()
        message.add(8, nested: outer)
        message.add(7, [1, 2, 3, 4, 5, 6, 7, 8])
        let attributes = NetlinkAttributes(ArraySlice(message.bytes))
        #expect(attributes.u64(7) == 0x0807_0605_0403_0201)
        let items = attributes.nested(8)?.elements.map { NetlinkAttributes($0.value) } ?? []
        #expect(items.map { $0.u16(1) } == [51820, 53, 443])
        #expect(items.map { $0.u8(2) } == [0, 1, 2])
        #expect(attributes.nested(9) == nil)
    }

    @Test func lengthsThatLieAreRefused() {
        var short = [UInt8](repeating: 0, count: 16)
        short[0] = 8  // shorter than a header
        #expect(throws: NetlinkError.self) { try NetlinkMessage.split(ArraySlice(short)) }
        var long = [UInt8](repeating: 0, count: 16)
        long[0] = 200  // past the datagram
        #expect(throws: NetlinkError.self) { try NetlinkMessage.split(ArraySlice(long)) }
    }

    @Test func randomAnswersNeverCrash() {
        var random = SplitMix64(seed: 0x6879)
        for _ in 0..<20_000 {
            let count = Int(random.next() % 96)
            let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            if let messages = try? NetlinkMessage.split(ArraySlice(bytes)) {
                for message in messages {
                    _ = message.errorAnswer()
                    let attributes = NetlinkAttributes(message.payload)
                    _ = attributes.u32(1)
                    _ = attributes.string(3)
                }
            }
        }
    }
}
