import MeshWire
import Addressing
import Mesh
import NIOCore
import Routing
import TestSupport
import Testing
import WireFormat

@Suite("Mesh control, latency, ping and datagram messages")
struct ControlStreamTests {
    // §3.2 example: id `7`, addr `udp:8.8.8.8:53`.
    static let dialExample = "00 01 37 | 00 0e 75 64 70 3a 38 2e 38 2e 38 2e 38 3a 35 33"

    @Test("the §3.2 dial request example decodes byte by byte and encodes back")
    func dialRequestExample() throws {
        let drip = try dripFeed(hexBytes(Self.dialExample), decode: DialRequest.decode(from:))
        let request = try #require(drip.value)
        #expect(drip.prefixesWaited)
        #expect(request.id == DialRequestID(7))
        #expect(try request.target() == .udp(try #require(Target("8.8.8.8:53"))))
        var buffer = ByteBuffer()
        try DialRequest(id: DialRequestID(7), target: .udp(try #require(Target("8.8.8.8:53")))).encode(into: &buffer)
        #expect(buffer.bytes == hexBytes(Self.dialExample))
    }

    @Test("dial request targets: sentinels, vias and plain targets")
    func dialTargets() throws {
        let via = try DialTarget(parsing: "_relay_via_kr-r1-a_1.2.3.4:443:0")
        #expect(via == .stream(.via(try ViaRoute(hops: ["kr-r1-a"], target: .plain(try #require(Target("1.2.3.4:443")))))))
        #expect(try DialTarget(parsing: "_relay_list_peers_:0") == .stream(.listPeers))
        #expect(throws: MeshWireError.invalidTarget("nope")) { try DialTarget(parsing: "udp:nope") }
    }

    @Test("a bad request id fails when read; a bad address is left for target() so the stream survives")
    func dialRequestErrors() throws {
        var badID = ByteBuffer(bytes: hexBytes("00 01 41 00 01 61"))
        #expect(throws: MeshWireError.invalidRequestID("A")) { try DialRequest.decode(from: &badID) }
        var badAddress = ByteBuffer(bytes: hexBytes("00 01 31 00 04 68 6f 73 74"))
        let request = try #require(try DialRequest.decode(from: &badAddress).value)
        #expect(badAddress.readableBytes == 0)
        #expect(throws: MeshWireError.invalidTarget("host")) { try request.target() }
        var oversize = ByteBuffer(bytes: hexBytes("00 01 31 08 05"))
        #expect(throws: MeshWireError.stringLength(field: "dial request address", length: 2053, allowed: 1...2052)) {
            try DialRequest.decode(from: &oversize)
        }
    }

    @Test("a control stream carries requests back to back; the second waits for its last byte")
    func backToBack() throws {
        var buffer = ByteBuffer()
        try DialRequest(id: DialRequestID(1), target: .stream(.ping)).encode(into: &buffer)
        try DialRequest(id: DialRequestID(2), address: "example.com:80").encode(into: &buffer)
        let whole = buffer.bytes
        var partial = ByteBuffer(bytes: whole.dropLast())
        #expect(try DialRequest.decode(from: &partial).value?.id == DialRequestID(1))
        #expect(try DialRequest.decode(from: &partial) == .needMoreBytes)
        partial.writeBytes(whole.suffix(1))
        #expect(try DialRequest.decode(from: &partial).value == DialRequest(id: DialRequestID(2), address: "example.com:80"))
    }

    @Test("a latency report is `str16 name`, `u16 ms`; the value is clamped to 65535")
    func latency() throws {
        var buffer = ByteBuffer()
        try LatencyReport(name: "kr", measuredMilliseconds: 42).encode(into: &buffer)
        #expect(buffer.bytes == hexBytes("00 02 6b 72 00 2a"))
        #expect(LatencyReport(name: "a", measuredMilliseconds: 70_000).milliseconds == 65535)
        #expect(LatencyReport(name: "a", measuredMilliseconds: -5).milliseconds == 0)
        let drip = try dripFeed(hexBytes("00 02 6b 72 ff ff"), decode: LatencyReport.decode(from:))
        #expect(drip.value == LatencyReport(name: "kr", milliseconds: 65535))
        #expect(drip.prefixesWaited)
        var closedProbe = ByteBuffer()
        #expect(try LatencyReport.decode(from: &closedProbe) == .needMoreBytes)
    }

    @Test("the ping reply is the single byte 01")
    func ping() {
        var buffer = ByteBuffer()
        PingReply.encode(into: &buffer)
        #expect(buffer.bytes == [0x01])
        #expect(PingReply.decode(from: &buffer) == .value(0x01))
        #expect(PingReply.decode(from: &buffer) == .needMoreBytes)
    }

    @Test("datagram frames are `u16 len` and the bytes; whole frames only; 0 is an empty frame")
    func datagrams() throws {
        var buffer = ByteBuffer()
        try DatagramFrame.encode(ByteBuffer(bytes: [0xDE, 0xAD]), into: &buffer)
        try DatagramFrame.encode(ByteBuffer(), into: &buffer)
        #expect(buffer.bytes == hexBytes("0002 dead 0000"))
        #expect(DatagramFrame.decode(from: &buffer) == .value(ByteBuffer(bytes: [0xDE, 0xAD])))
        #expect(DatagramFrame.decode(from: &buffer) == .value(ByteBuffer()))
        var partial = ByteBuffer(bytes: hexBytes("0003 aabb"))
        #expect(DatagramFrame.decode(from: &partial) == .needMoreBytes)
        #expect(partial.readableBytes == 4)
        var out = ByteBuffer()
        #expect(throws: MeshWireError.self) {
            try DatagramFrame.encode(ByteBuffer(repeating: 0, count: 65536), into: &out)
        }
    }
}
