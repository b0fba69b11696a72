@testable import LinuxNet
import TestSupport
import Testing

/// Answers from the kernel are parsed against their own lengths: a malformed one is an error,
/// never a crash or a read past the datagram.
@Suite struct NetlinkAnswerTests {
    @Test func aRequestSplitsBackIntoItsOwnMessage() throws {
        var request = NetlinkRequest(type: 32, flags: 5, sequence: 77, header: [2, 0, 0, 0])
        request.add(6, u32: 6800)
        request.add(3, string: "hy2tun0")
        let messages = try NetlinkMessage.split(ArraySlice(request.bytes))
        #expect(messages.count == 1)
        #expect(messages[0].type == 32 && messages[0].flags == 5 && messages[0].sequence == 77)
        let attributes = NetlinkAttributes(messages[0].payload.dropFirst(4))
        #expect(attributes.u32(6) == 6800)
        #expect(attributes.string(3) == "hy2tun0")
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
