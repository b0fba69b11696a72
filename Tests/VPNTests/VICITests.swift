import TestSupport
import Testing
@testable import VPN

@Suite("strongSwan's VICI protocol: packets written and read")
struct VICITests {
    @Test("a command with a section holding a list is written byte for byte as the protocol says")
    func knownBytes() throws {
        let packet = VICIPacket.request(command: "load-conn", ["ikev2": .section(["version": "2", "pools": ["p"]])])
        let expected: [UInt8] = [0, 0, 0, 43, 0, 9] + Array("load-conn".utf8)
            + [1, 5] + Array("ikev2".utf8)
            + [3, 7] + Array("version".utf8) + [0, 1] + Array("2".utf8)
            + [4, 5] + Array("pools".utf8) + [5, 0, 1] + Array("p".utf8) + [6]
            + [2]
        #expect(try packet.framed() == expected)
        #expect(try VICIPacket(payload: ArraySlice(expected.dropFirst(4))) == packet)
    }

    @Test("every packet type reads back as written", arguments: [
        VICIPacket.request(command: "version", [:]),
        .response(["success": "yes", "sas": .section(["a": .section(["b": ["1", "2", ""]])]), "data": .value([0, 255, 10])]),
        .unknownCommand, .register(event: "ike-updown"), .unregister(event: "list-sa"), .eventConfirm, .unknownEvent,
        .event(name: "ike-updown", ["up": "yes", "rw": .section(["remote-eap-id": "alice", "remote-vips": ["10.77.0.2"]])]),
    ])
    func roundTrip(packet: VICIPacket) throws {
        let bytes = try packet.framed()
        let length = Int(bytes[0]) << 24 | Int(bytes[1]) << 16 | Int(bytes[2]) << 8 | Int(bytes[3])
        #expect(length == bytes.count - 4)
        #expect(try VICIPacket(payload: bytes[4...]) == packet)
    }

    @Test("entries are read by name, in order, and typed")
    func lookups() {
        let message: VICIMessage = ["success": "no", "errmsg": "unknown pool", "list": ["a", "b"], "s": .section(["k": "v"])]
        #expect(message.string("success") == "no" && message.string("errmsg") == "unknown pool")
        #expect(message.strings("list") == ["a", "b"] && message.string("list") == nil)
        #expect(message.section("s")?.string("k") == "v" && message.section("list") == nil)
        #expect(message.entries.map(\.name) == ["success", "errmsg", "list", "s"])
    }

    @Test("bad bytes are refused with what is wrong", arguments: [
        ([UInt8](), "ends early"),
        ([9], "unknown packet type 9"),
        ([1, 3, 3, 65], "past the end"),
        ([1, 3, 1, 65, 0, 5, 66], "past the end"),
        ([1, 2], "no section open"),
        ([1, 1, 1, 65, 3, 1, 66, 0, 0], "not closed"),
        ([1, 4, 1, 65, 3], "inside list A"),
        ([1, 5, 0, 0], "outside any list"),
        ([1, 4, 1, 65, 5, 0, 0], "ends early"),
        ([1, 42], "unknown element type"),
        ([3, 2, 0xC3, 0x28], "not UTF-8"),
        ([5, 0], "bytes after the packet"),
        ([3, 1, 65, 66], "bytes after the packet"),
    ] as [([UInt8], String)])
    func refused(bytes: [UInt8], reason: String) {
        #expect {
            try VICIPacket(payload: ArraySlice(bytes))
        } throws: { error in
            "\(error)".contains(reason)
        }
    }

    @Test("sections nested past the limit are refused; names and values past their lengths are not written")
    func limits() {
        let deep = [UInt8](repeating: 1, count: 1) + Array(repeating: [1, 1, 65] as [UInt8], count: 40).flatMap { $0 }
            + [UInt8](repeating: 2, count: 40)
        #expect(throws: VICIError.malformed("sections nested deeper than 32")) { try VICIPacket(payload: ArraySlice(deep)) }
        #expect(throws: VICIError.self) { try VICIPacket.request(command: String(repeating: "x", count: 256), [:]).framed() }
        #expect(throws: VICIError.self) { try VICIPacket.response(["v": .value([UInt8](repeating: 0, count: 65536))]).framed() }
    }

    @Test("random bytes never trap")
    func random() {
        var random = SplitMix64(seed: 0x7669)
        for _ in 0..<20_000 {
            let count = Int(random.next() % 64)
            let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next() % 9) }
            _ = try? VICIPacket(payload: ArraySlice(bytes))
        }
    }
}
