import MeshWire
import Mesh
import NIOCore
import Testing
import WireFormat

@Suite("Mesh register handshake")
struct RegisterHandshakeTests {
    // §3.1 byte example: C `kr` (exit, meta) registering with S `hub`.
    static let cRequest = "03 | 00 02 6b 72"
    static let sName = "00 03 68 75 62"
    static let sMetaJSON = #"{"v":"1.3.4","tun":true,"pv":3,"id":"188c762f"}"#
    static let cMetaJSON = #"{"v":"1.3.4","pv":3,"id":"5a0e91c2"}"#

    @Test("C's request encodes to `03 | 00 02 6b 72` and decodes back")
    func request() throws {
        var buffer = ByteBuffer()
        let request = RegisterRequest(flags: [.exitNode, .metadata], name: "kr")
        try request.encode(into: &buffer)
        #expect(buffer.bytes == hexBytes(Self.cRequest))
        let drip = try dripFeed(hexBytes(Self.cRequest), decode: RegisterRequest.decode(from:))
        #expect(drip.value == request)
        #expect(drip.prefixesWaited)
        #expect(drip.rest == 0)
    }

    @Test("S's name encodes to `00 03 68 75 62`; an empty name is legal in S's answer")
    func serverName() throws {
        var buffer = ByteBuffer()
        try NameMessage(name: "hub").encode(into: &buffer)
        #expect(buffer.bytes == hexBytes(Self.sName))
        var empty = ByteBuffer(bytes: [0, 0, 0xAA])
        #expect(try NameMessage.decode(from: &empty) == .value(NameMessage(name: "")))
        #expect(empty.bytes == [0xAA])
    }

    @Test("metadata is written in v1.3's key order with its meta16 lengths 0x2f and 0x24")
    func metadataBytes() throws {
        let server = NodeMetadata(version: "1.3.4", isTUNCapable: true, protocolVersion: 3, nodeID: "188c762f")
        let client = NodeMetadata.current(nodeID: "5a0e91c2", isTUNCapable: false)
        #expect(server.json == Self.sMetaJSON)
        #expect(client.json == Self.cMetaJSON)
        var buffer = ByteBuffer()
        try server.encode(into: &buffer)
        #expect(buffer.bytes == hexBytes("00 2f") + Array(Self.sMetaJSON.utf8))
        buffer.clear()
        try client.encode(into: &buffer)
        #expect(buffer.bytes == hexBytes("00 24") + Array(Self.cMetaJSON.utf8))
        let drip = try dripFeed(buffer.bytes, decode: NodeMetadata.decode(from:))
        #expect(drip.value == client)
        #expect(drip.prefixesWaited)
    }

    @Test("empty metadata is `{}`; absent keys and nulls decode as zero values; unknown keys are ignored")
    func metadataOmission() throws {
        #expect(NodeMetadata().json == "{}")
        #expect(try NodeMetadata(json: Array("{}".utf8)) == NodeMetadata())
        let decoded = try NodeMetadata(json: Array(#"{"v":null,"pv":7,"extra":[1,{"a":2}],"tun":false}"#.utf8))
        #expect(decoded == NodeMetadata(protocolVersion: 7))
    }

    @Test("metadata lengths 0 and 4097 fail as soon as the length is read", arguments: [0, 4097, 65535])
    func metadataLength(length: Int) {
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt16(length), endianness: .big)
        #expect(throws: MeshWireError.metadataLength(length)) { try NodeMetadata.decode(from: &buffer) }
        #expect(buffer.readableBytes == 2)
    }

    @Test("invalid or wrongly typed metadata JSON throws and consumes nothing", arguments: [
        "{", "[]", "\"x\"", #"{"pv":"3"}"#, #"{"tun":1}"#, "{\"v\":\"\u{1}\"}", "nul",
    ])
    func metadataMalformed(json: String) {
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt16(json.utf8.count), endianness: .big)
        buffer.writeString(json)
        let before = buffer.readableBytes
        #expect(throws: MeshWireError.self) { try NodeMetadata.decode(from: &buffer) }
        #expect(buffer.readableBytes == before)
    }

    @Test("metadata strings are escaped as Go does and read back")
    func metadataEscaping() throws {
        let odd = NodeMetadata(version: "a\"b\\c<d>&e\n\u{1}\u{2028}é", nodeID: "x")
        #expect(odd.json == #"{"v":"a\"b\\c\u003cd\u003e\u0026e\n\u0001\u2028é","id":"x"}"#)
        #expect(try NodeMetadata(json: Array(odd.json.utf8)) == odd)
    }

    @Test("unknown flag bits are kept, not refused")
    func unknownFlags() throws {
        var buffer = ByteBuffer(bytes: [0xF5, 0x00, 0x01, 0x61])
        let request = try #require(try RegisterRequest.decode(from: &buffer).value)
        #expect(request.flags.contains(.exitNode))
        #expect(!request.flags.contains(.metadata))
        #expect(request.flags.rawValue == 0xF5)
    }

    @Test("register names must be 1...1024 bytes of UTF-8")
    func nameBounds() throws {
        var buffer = ByteBuffer(bytes: [0x02, 0x00, 0x00])
        #expect(throws: MeshWireError.stringLength(field: "register name", length: 0, allowed: 1...1024)) {
            try RegisterRequest.decode(from: &buffer)
        }
        var long = ByteBuffer(bytes: [0x02, 0x04, 0x01])
        #expect(throws: MeshWireError.stringLength(field: "register name", length: 1025, allowed: 1...1024)) {
            try RegisterRequest.decode(from: &long)
        }
        var badUTF8 = ByteBuffer(bytes: [0x02, 0x00, 0x02, 0xC3, 0x28])
        #expect(throws: MeshWireError.invalidUTF8(field: "register name")) { try RegisterRequest.decode(from: &badUTF8) }
        var out = ByteBuffer()
        #expect(throws: MeshWireError.self) {
            try RegisterRequest(flags: [], name: String(repeating: "n", count: 1025)).encode(into: &out)
        }
        #expect(out.readableBytes == 0)
        try RegisterRequest(flags: [], name: String(repeating: "n", count: 1024)).encode(into: &out)
        #expect(out.readableBytes == 1 + 2 + 1024)
    }

    @Test("versions compare number by number: 1.10.0 is newer than 1.3.0, 1.3 equals 1.3.0", arguments: [
        ("1.3.4", true), ("1.3.0", true), ("1.3", true), ("1.10.0", true), ("2.0", true), ("1.3.0-rc1", true),
        ("1.2.9", false), ("1.0.0", false), ("", false), ("garbage", false),
    ])
    func versionCompatibility(version: String, compatible: Bool) {
        #expect(NodeMetadata(version: version).isCompatible == compatible)
    }
}
