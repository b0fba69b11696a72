import MeshWire
import Addressing
import Mesh
import Routing
import Testing

@Suite("Mesh stream addresses")
struct StreamAddressTests {
    static func target(_ text: String) throws -> Target { try #require(Target(text)) }

    @Test("every sentinel form parses to its case and formats back to the same bytes")
    func roundTrips() throws {
        let cases: [(String, StreamAddress)] = [
            ("_relay_register_:0", .register),
            ("_relay_s2c_ctrl_:0", .controlStream),
            ("_relay_data_7:0", .data(try DialRequestID("7"))),
            ("_relay_ping_:0", .ping),
            ("_relay_latency_:0", .latency),
            ("_relay_list_peers_:0", .listPeers),
            ("_relay_api_:0", .api),
            ("_relay_iptun_O", .ipTunnel(originName: "O")),
            ("_relay_iptun_my_node", .ipTunnel(originName: "my_node")),
            ("_relay_rebind_sb_3f2a_17:0", .rebind(try BridgeID("sb_3f2a_17"))),
            ("_bond_5_example.com:443", .bond(id: 5, target: try Self.target("example.com:443"))),
            ("1.2.3.4:443#bridge=sb_3f2a_17", .bridged(try Self.target("1.2.3.4:443"), bridgeID: try BridgeID("sb_3f2a_17"))),
            ("1.2.3.4:443", .plain(try Self.target("1.2.3.4:443"))),
            ("[2001:db8::1]:8443", .plain(try Self.target("[2001:db8::1]:8443"))),
            ("my_host.example:80", .plain(try Self.target("my_host.example:80"))),
        ]
        for (text, address) in cases {
            #expect(try StreamAddress(parsing: text) == address, "\(text)")
            #expect(address.formatted == text)
        }
    }

    @Test("the via examples of §2.5 and §3.7 split at the first `_` after the prefix")
    func viaExamples() throws {
        let bridged = try StreamAddress(parsing: "_relay_via_kr-r1/kr-r1-a_1.2.3.4:443#bridge=sb_3f2a_17:0")
        #expect(bridged == .via(try ViaRoute(hops: ["kr-r1", "kr-r1-a"], target: .plain(try Self.target("1.2.3.4:443")),
                                             bridgeID: try BridgeID("sb_3f2a_17"))))
        let listPeers = try StreamAddress(parsing: "_relay_via_b__relay_list_peers_:0:0")
        #expect(listPeers == .via(try ViaRoute(hops: ["b"], target: .listPeers)))
        let ipTunnel = try StreamAddress(parsing: "_relay_via_x/y__relay_iptun_O:0")
        #expect(ipTunnel == .via(try ViaRoute(hops: ["x", "y"], target: .ipTunnel(originName: "O"))))
        // A target with `_` in it: only the first `_` splits.
        let underscoreTarget = try StreamAddress(parsing: "_relay_via_a_my_host.example:443:0")
        #expect(underscoreTarget == .via(try ViaRoute(hops: ["a"], target: .plain(try Self.target("my_host.example:443")))))
        // A tagged sentinel target (§3.7 fallback quirk): the tag is taken off before the target is read.
        let taggedSentinel = try StreamAddress(parsing: "_relay_via_b__relay_list_peers_:0#bridge=sb_1_2:0")
        #expect(taggedSentinel == .via(try ViaRoute(hops: ["b"], target: .listPeers, bridgeID: try BridgeID("sb_1_2"))))
        // Nested vias and an iptun whose name has `_`.
        let nested = try StreamAddress(parsing: "_relay_via_a__relay_via_b__relay_iptun_o_1:0:0")
        let inner = try ViaRoute(hops: ["b"], target: .ipTunnel(originName: "o_1"))
        #expect(nested == .via(try ViaRoute(hops: ["a"], target: .via(inner))))
        for text in ["_relay_via_kr-r1/kr-r1-a_1.2.3.4:443#bridge=sb_3f2a_17:0", "_relay_via_b__relay_list_peers_:0:0",
                     "_relay_via_x/y__relay_iptun_O:0", "_relay_via_a__relay_via_b__relay_iptun_o_1:0:0"] {
            #expect(try StreamAddress(parsing: text).formatted == text)
        }
    }

    @Test("a hop name with `_` is moved into the target by a v1.3 parser, so formatting refuses it")
    func underscoreInHop() throws {
        #expect(throws: MeshWireError.invalidHopName("my_node")) {
            try ViaRoute(hops: ["my_node"], target: .plain(try Self.target("1.2.3.4:443")))
        }
        for bad in ["", "a/b", "x#bridge=y"] {
            #expect(throws: MeshWireError.invalidHopName(bad)) { try ViaRoute(hops: [bad], target: .ping) }
        }
        #expect(throws: MeshWireError.invalidHopList("")) { try ViaRoute(hops: [], target: .ping) }
        // What a v1.3 hop makes of such an address: hop `my`, target `node_1.2.3.4:443`.
        let misread = try StreamAddress(parsing: "_relay_via_my_node_1.2.3.4:443:0")
        #expect(misread == .via(try ViaRoute(hops: ["my"], target: .plain(try Self.target("node_1.2.3.4:443")))))
    }

    @Test("a via route holds the bridge tag itself, never a bridged target")
    func bridgeInsideVia() throws {
        let tagged = StreamAddress.bridged(try Self.target("1.2.3.4:443"), bridgeID: try BridgeID("sb_1_1"))
        #expect(throws: MeshWireError.bridgeTagInsideVia) { try ViaRoute(hops: ["a"], target: tagged) }
    }

    @Test("exact sentinels need their `:0`; without it they are hostnames without a port", arguments: [
        "_relay_ping_", "_relay_register_", "_relay_api_", "_relay_list_peers_",
    ])
    func missingSuffix(text: String) {
        #expect(throws: MeshWireError.invalidTarget(text)) { try StreamAddress(parsing: text) }
    }

    @Test("a bridge tag on an exact sentinel is a target that cannot be dialed (§3.7 quirk)")
    func taggedSentinelAsPlain() {
        #expect(throws: MeshWireError.invalidTarget("_relay_list_peers_:0")) {
            try StreamAddress(parsing: "_relay_list_peers_:0#bridge=sb_1_2")
        }
    }

    @Test("data and rebind drop one `:0` as v1.3 does; the id is kept verbatim")
    func suffixTrimming() throws {
        #expect(try StreamAddress(parsing: "_relay_data_0042:0") == .data(try DialRequestID("0042")))
        #expect(try StreamAddress(parsing: "_relay_data_12") == .data(try DialRequestID("12")))
        #expect(try StreamAddress(parsing: "_relay_rebind_sb_1_2") == .rebind(try BridgeID("sb_1_2")))
        #expect(StreamAddress.data(DialRequestID(18_446_744_073_709_551_615)).formatted == "_relay_data_18446744073709551615:0")
    }

    @Test("bad addresses throw the error of the form they matched", arguments: [
        ("", MeshWireError.addressLength(0)),
        ("_relay_data_:0", .invalidRequestID("")),
        ("_relay_data_x1:0", .invalidRequestID("x1")),
        ("_relay_data_123456789012345678901:0", .invalidRequestID("123456789012345678901")),
        ("_relay_rebind_:0", .invalidBridgeID("")),
        ("_relay_rebind_a b:0", .invalidBridgeID("a b")),
        ("_relay_via_:0", .invalidHopList(":0")),
        ("_relay_via__1.2.3.4:443:0", .invalidHopList("")),
        ("_relay_via_a//b_1.2.3.4:443:0", .invalidHopList("a//b")),
        ("_relay_via_a_:0", .invalidTarget("")),
        ("_bond_x_1.2.3.4:1", .invalidBondID("x_1.2.3.4:1")),
        ("_bond_4294967296_1.2.3.4:1", .invalidBondID("4294967296_1.2.3")),
        ("_bond_+5_1.2.3.4:1", .invalidBondID("+5_1.2.3.4:1")),
        ("1.2.3.4:443#bridge=", .invalidBridgeID("")),
        ("1.2.3.4:443#bridge=a#bridge=b", .invalidBridgeID("a#bridge=b")),
        ("host", .invalidTarget("host")),
        ("host:0", .invalidTarget("host:0")),
    ])
    func badAddresses(text: String, error: MeshWireError) {
        #expect(throws: error) { try StreamAddress(parsing: text) }
    }

    @Test("addresses longer than 2048 bytes are refused; 2048 is accepted")
    func lengthBound() throws {
        let exact = "_relay_via_" + Array(repeating: "h", count: 1016).joined(separator: "/") + "_a:1:0"
        #expect(exact.utf8.count == 2048)
        #expect(try StreamAddress(parsing: exact).formatted == exact)
        let over = "_relay_via_h/" + exact.dropFirst("_relay_via_".count)
        #expect(throws: MeshWireError.addressLength(2050)) { try StreamAddress(parsing: over) }
    }

    @Test("only sentinels other than register, ctrl and data may be served on a data stream")
    func dataStreamServable() throws {
        #expect(StreamAddress.listPeers.isServedOnDataStream)
        #expect(StreamAddress.via(try ViaRoute(hops: ["a"], target: .ping)).isServedOnDataStream)
        #expect(!StreamAddress.register.isServedOnDataStream)
        #expect(!StreamAddress.data(DialRequestID(1)).isServedOnDataStream)
        #expect(!StreamAddress.plain(try Self.target("a:1")).isServedOnDataStream)
    }

    @Test("v1.3-shaped bridge ids are lowercase hex without padding")
    func bridgeIDShape() {
        #expect(BridgeID(timestampLow16: 0x3F2A, counter: 17).text == "sb_3f2a_17")
        #expect(BridgeID(timestampLow16: 0x000A, counter: 0).text == "sb_a_0")
    }
}
