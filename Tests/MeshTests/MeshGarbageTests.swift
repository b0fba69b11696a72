import MeshWire
import Mesh
import NIOCore
import TestSupport
import Testing
import WireFormat

@Suite("Mesh decoders on garbage and truncation")
struct MeshGarbageTests {
    static let seed: UInt64 = 0x6D65_7368

    @Test("no decoder traps on random bytes, and none waits for more than its bound allows")
    func randomBytes() throws {
        var rng = SplitMix64(seed: Self.seed)
        for round in 0..<4000 {
            let count = round < 300 ? round : Int.random(in: 0...5000, using: &rng)
            let bytes = MeshTests.randomBytes(count: count, using: &rng)
            var a = ByteBuffer(bytes: bytes), b = a, c = a, d = a, e = a
            _ = try? RegisterRequest.decode(from: &a)
            _ = try? NameMessage.decode(from: &b)
            _ = try? DialRequest.decode(from: &c)
            _ = try? LatencyReport.decode(from: &d)
            _ = try? NodeMetadata.decode(from: &e)
            // The longest a dial request can be: two str16 fields at their bounds.
            if count >= 2 + 20 + 2 + 2052 {
                var full = ByteBuffer(bytes: bytes)
                #expect((try? DialRequest.decode(from: &full))?.isNeedMoreBytes != true, "seed \(Self.seed) round \(round)")
            }
            let text = String(decoding: bytes, as: UTF8.self)
            if let address = try? StreamAddress(parsing: text) {
                #expect(try StreamAddress(parsing: address.formatted) == address, "seed \(Self.seed) round \(round)")
            }
        }
    }

    @Test("random sentinel-shaped text either fails cleanly or round trips")
    func sentinelShapedText() throws {
        var rng = SplitMix64(seed: Self.seed)
        let pieces = ["_relay_via_", "_relay_data_", "_relay_iptun_", "_relay_rebind_", "_bond_", "_relay_ping_",
                      ":0", "_", "/", "#bridge=", "sb_1_2", "a", "1", "1.2.3.4:443", "[::1]:80", ":", "h-1"]
        var parsed = 0
        for _ in 0..<20000 {
            let text = (0..<Int.random(in: 1...8, using: &rng)).map { _ in pieces.randomElement(using: &rng) ?? "" }.joined()
            guard let address = try? StreamAddress(parsing: text) else { continue }
            parsed += 1
            #expect(try StreamAddress(parsing: address.formatted) == address, "\(text)")
        }
        #expect(parsed > 100)
    }

    @Test("every truncation of every example waits without consuming; never throws")
    func truncations() throws {
        var messages: [(String, [UInt8], (inout ByteBuffer) throws(MeshWireError) -> Bool)] = []
        func add<V>(_ name: String, _ bytes: [UInt8], _ decode: @escaping (inout ByteBuffer) throws(MeshWireError) -> WireReading<V>) {
            messages.append((name, bytes, { (buffer: inout ByteBuffer) throws(MeshWireError) -> Bool in
                try decode(&buffer).isNeedMoreBytes
            }))
        }
        add("register", hexBytes("03 0002 6b72"), RegisterRequest.decode(from:))
        add("name", hexBytes("0003 687562"), NameMessage.decode(from:))
        add("meta", hexBytes("0024") + Array(#"{"v":"1.3.4","pv":3,"id":"5a0e91c2"}"#.utf8), NodeMetadata.decode(from:))
        add("dial", hexBytes(ControlStreamTests.dialExample), DialRequest.decode(from:))
        add("latency", hexBytes("0002 6b72 002a"), LatencyReport.decode(from:))
        for (name, bytes, waits) in messages {
            for cut in 0..<bytes.count {
                var buffer = ByteBuffer(bytes: bytes.prefix(cut))
                #expect(try waits(&buffer), "\(name) cut at \(cut)")
                #expect(buffer.readableBytes == cut, "\(name) cut at \(cut)")
            }
            var whole = ByteBuffer(bytes: bytes)
            #expect(try !waits(&whole), "\(name)")
            #expect(whole.readableBytes == 0, "\(name)")
        }
    }
}
