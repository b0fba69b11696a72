import MeshWire
import Mesh
import Testing

/// Inputs the fuzzer found (Fuzz/Corpus/mesh-address), kept as regressions.
@Suite("Stream addresses the fuzzer found")
struct StreamAddressFuzzFindTests {
    /// Target names are kept in lower case, so these would be written on as the sentinels they
    /// spell, and the next hop would obey them.
    static let disguisedSentinels = [
        "_Relay_via_a_relay_ping_:5", "_RELAY_PING_:80", "_Bond_1_a.b:1", "_relay_x:1",
        "_Relay_via_a_1.2.3.4:443#bridge=sb_1_2", "_relay_via_a__Relay_data_5:1",
    ]

    @Test("a target that would read as a sentinel once written is refused", arguments: disguisedSentinels)
    func disguisedSentinel(_ text: String) {
        #expect(throws: MeshWireError.self) { try StreamAddress(parsing: text) }
    }

    @Test("names that merely contain the words stay plain targets", arguments: ["a_relay_via_b:1", "relay_x.example:80"])
    func lookalikes(_ text: String) throws {
        let address = try StreamAddress(parsing: text)
        #expect(try StreamAddress(parsing: address.formatted) == address)
    }

    @Test("a TCP dial to a host named udp reads back as one, not as a UDP relay", arguments: ["uDp:888", "UDP:53"])
    func hostNamedUDP(_ text: String) throws {
        let target = try DialTarget(parsing: text)
        guard case .stream(.plain) = target else {
            Issue.record("\(text) read as \(target)")
            return
        }
        #expect(target.formatted.hasPrefix("udp:"))
        #expect(try DialTarget(parsing: target.formatted) == target)
        #expect(throws: MeshWireError.invalidTarget("nope")) { try DialTarget(parsing: "udp:nope") }
    }
}
