import MeshWire
import Mesh
import NIOCore
import TestSupport
import Testing
import WireFormat

@Suite("Mesh list-peers document")
struct ListPeersTests {
    static let seed: UInt64 = 0x6C69_7374

    // §3.6: the producer's example entry with every omitempty field set, and its topoSubPeer
    // example with the fields the reference marks present.
    static let childJSON = #"{"name":"kr-r1","exit_node":false,"direction":"outbound","via":"kr","latency_ms":87,"#
        + #""nested":false,"version":"1.3.4","tun_capable":true,"tx_rate":0,"rx_rate":0,"connected":true}"#
    static let entryJSON = #"{"name":"kr","exit_node":false,"direction":"outbound","native":false,"latency_ms":42,"#
        + #""version":"1.3.4","node_id":"5a0e91c2","incompatible":true,"conflict":true,"tun_capable":true,"pv":3,"#
        + #""unsupported":true,"connected":true,"max_rate":12500000,"children":["# + childJSON + "]}"
    static let child = PeerListChild(name: "kr-r1", via: "kr", latencyMilliseconds: 87, version: "1.3.4", isTUNCapable: true)
    static let entry = PeerListEntry(
        name: "kr", latencyMilliseconds: 42, version: "1.3.4", nodeID: "5a0e91c2", isIncompatible: true,
        hasConflict: true, isTUNCapable: true, protocolVersion: 3, isUnsupported: true, connected: true,
        maximumRate: 12_500_000, children: [child])
    static let offlineJSON = #"{"name":"hk","exit_node":false,"direction":"outbound","native":false,"latency_ms":0,"connected":false}"#
    static let offlineRateJSON = #"{"name":"hk","exit_node":false,"direction":"outbound","native":false,"latency_ms":0,"connected":false,"max_rate":625000}"#
    static var exampleJSON: String { "[" + entryJSON + "," + offlineJSON + "]" }
    static var example: PeerList { PeerList([entry, .offline(name: "hk")]) }

    static func isMalformed(_ error: MeshWireError) -> Bool {
        if case .malformedJSON(document: "peer list", _) = error { return true }
        return false
    }

    /// A chain of `depth` levels: one top-level entry, then one child per level below it.
    static func chain(depth: Int) -> PeerList {
        var children: [PeerListChild] = []
        for level in stride(from: depth, through: 2, by: -1) {
            children = [PeerListChild(name: "n\(level)", via: "v", children: children)]
        }
        return PeerList([PeerListEntry(name: "n1", children: children)])
    }

    /// `count` entries in all: top-level entries with two children each, then the rest flat.
    static func list(nodes count: Int) -> PeerList {
        var entries: [PeerListEntry] = []
        var left = count
        while left >= 3 {
            entries.append(PeerListEntry(name: "p", children: [PeerListChild(name: "a", via: "p"), PeerListChild(name: "b", via: "p")]))
            left -= 3
        }
        entries += (0..<left).map { _ in PeerListEntry(name: "q") }
        return PeerList(entries)
    }

    @Test("the reference's example entry, child and offline client encode byte for byte and decode back")
    func referenceExamples() throws {
        #expect(Self.child.json == Self.childJSON)
        #expect(Self.entry.json == Self.entryJSON)
        #expect(PeerListEntry.offline(name: "hk").json == Self.offlineJSON)
        #expect(PeerListEntry.offline(name: "hk", maximumRate: 625_000).json == Self.offlineRateJSON)
        var buffer = ByteBuffer()
        Self.example.encode(into: &buffer)
        #expect(buffer.bytes == Array(Self.exampleJSON.utf8))
        #expect(try PeerList(json: Array(Self.exampleJSON.utf8)) == Self.example)
        #expect(try PeerList(json: Array(("[" + Self.offlineRateJSON + "]").utf8)).entries.first?.maximumRate == 625_000)
        #expect(Self.example.nodeCount == 3)
        #expect(Self.example.depth == 2)
    }

    @Test("the fallback form without connected, max_rate or children keeps `connected` absent and reads as connected")
    func fallbackForm() throws {
        let json = #"[{"name":"kr","exit_node":true,"direction":"inbound","native":false,"latency_ms":-1,"version":"1.3.4","node_id":"5a0e91c2","pv":3}]"#
        let list = try PeerList(json: Array(json.utf8))
        let entry = try #require(list.entries.first)
        #expect(entry.connected == nil)
        #expect(entry.isConnected)
        #expect(entry.direction == .inbound)
        #expect(entry.isExitNode)
        #expect(entry.latencyMilliseconds == -1)
        #expect(list.json == json)
    }

    @Test("an empty list is `[]`; `null`, whitespace and unknown keys decode as v1.3 reads them")
    func emptyNullAndUnknown() throws {
        #expect(PeerList().json == "[]")
        #expect(try PeerList(json: Array("[]".utf8)) == PeerList())
        #expect(try PeerList(json: Array("null".utf8)) == PeerList())
        #expect(try PeerList(json: Array(" \n[ ]\t".utf8)) == PeerList())
        let json = #"[{"name":"a","extra":{"x":[1,2]},"children":null,"version":null},{"name":"b","children":[{"name":"c","via":"b","future":true}]}]"#
        let list = try PeerList(json: Array(json.utf8))
        #expect(list.entries.map(\.name) == ["a", "b"])
        #expect(list.entries[0].children.isEmpty)
        #expect(list.entries[0].version.isEmpty)
        #expect(list.entries[1].children == [PeerListChild(name: "c", direction: PeerDirection(rawValue: ""), via: "b")])
        #expect(list.entries[1].children[0].isConnected, "an absent child `connected` is true")
        #expect(list.entries[0].direction.rawValue.isEmpty)
    }

    @Test("strings are escaped as Go's encoding/json does and read back; odd directions survive")
    func escaping() throws {
        let entry = PeerListEntry(name: "a<b>&\"c\"\\\n\u{1}\u{2028}é", direction: PeerDirection(rawValue: "sideways"))
        #expect(entry.json.hasPrefix(#"{"name":"a\u003cb\u003e\u0026\"c\"\\\n\u0001\u2028é","exit_node":false,"direction":"sideways","#))
        #expect(try PeerList(json: Array(PeerList([entry]).json.utf8)) == PeerList([entry]))
    }

    @Test("random lists round trip, and re-encoding what we decoded gives the same bytes")
    func randomRoundTrips() throws {
        var rng = SplitMix64(seed: Self.seed)
        func text() -> String {
            ["", "kr", "kr-r1", "hub/x", "é<&>", "1.3.4", "\u{7}\"q\""].randomElement(using: &rng) ?? ""
        }
        func child(_ level: Int) -> PeerListChild {
            PeerListChild(
                name: text(), isExitNode: Bool.random(using: &rng), direction: Bool.random(using: &rng) ? .outbound : .inbound,
                via: text(), latencyMilliseconds: Int.random(in: -1...100_000, using: &rng), isNested: Bool.random(using: &rng),
                isDisabled: Bool.random(using: &rng), isNative: Bool.random(using: &rng), version: text(),
                isTUNCapable: Bool.random(using: &rng), transmitRate: UInt64.random(in: 0...UInt64.max, using: &rng),
                receiveRate: UInt64.random(in: 0...3, using: &rng), maximumRate: UInt64.random(in: 0...2, using: &rng),
                isConnected: Bool.random(using: &rng),
                children: level >= 5 ? [] : (0..<Int.random(in: 0...2, using: &rng)).map { _ in child(level + 1) })
        }
        for round in 0..<300 {
            let entries = (0..<Int.random(in: 0...4, using: &rng)).map { _ in
                PeerListEntry(
                    name: text(), isExitNode: Bool.random(using: &rng), direction: .outbound, isNative: Bool.random(using: &rng),
                    latencyMilliseconds: Int.random(in: Int.min...Int.max, using: &rng), version: text(), nodeID: text(),
                    isIncompatible: Bool.random(using: &rng), hasConflict: Bool.random(using: &rng),
                    isTUNCapable: Bool.random(using: &rng), protocolVersion: Int.random(in: -1...4, using: &rng),
                    isUnsupported: Bool.random(using: &rng), connected: [true, false, nil].randomElement(using: &rng) ?? nil,
                    maximumRate: UInt64.random(in: 0...UInt64.max, using: &rng), children: (0..<Int.random(in: 0...3, using: &rng)).map { _ in child(2) })
            }
            let list = PeerList(entries)
            let limits = PeerListLimits(maximumBytes: PeerListLimits.default.maximumBytes, maximumDepth: 10, maximumNodes: 65536)
            let decoded = try PeerList(json: Array(list.json.utf8), limits: limits)
            #expect(decoded == list, "seed \(Self.seed) round \(round)")
            #expect(decoded.json == list.json, "seed \(Self.seed) round \(round)")
        }
    }

    @Test("limits: 0 or less means the default, and values past the hard cap are clamped")
    func limitsClamp() {
        #expect(PeerListLimits.default == PeerListLimits(maximumBytes: 1 << 20, maximumDepth: 5, maximumNodes: 1024))
        #expect(PeerListLimits(maximumBytes: -3, maximumDepth: 0, maximumNodes: -1) == .default)
        let capped = PeerListLimits(maximumBytes: 1 << 30, maximumDepth: 11, maximumNodes: 1 << 20)
        #expect(capped.maximumBytes == 16 << 20)
        #expect(capped.maximumDepth == 10)
        #expect(capped.maximumNodes == 65536)
    }

    @Test("a body of exactly max_response_bytes decodes; one byte more is refused", arguments: [100, 1 << 20])
    func byteLimit(limit: Int) throws {
        let limits = PeerListLimits(maximumBytes: limit)
        let body = Array("[]".utf8)
        let inside = body + Array(repeating: UInt8(ascii: " "), count: limit - body.count)
        #expect(try PeerList(json: inside, limits: limits) == PeerList())
        var buffer = ByteBuffer(bytes: inside)
        #expect(try PeerList.decode(from: &buffer, isComplete: true, limits: limits) == .value(PeerList()))
        #expect(buffer.readableBytes == 0)
        let outside = inside + [UInt8(ascii: " ")]
        #expect(throws: MeshWireError.peerListTooLarge(limit: limit)) { try PeerList(json: outside, limits: limits) }
    }

    @Test("a stream past max_response_bytes is refused before its FIN, so nothing more is buffered")
    func byteLimitBeforeFIN() throws {
        let limits = PeerListLimits(maximumBytes: 64)
        var buffer = ByteBuffer(bytes: Array(repeating: UInt8(ascii: "["), count: 64))
        #expect(try PeerList.decode(from: &buffer, isComplete: false, limits: limits) == .needMoreBytes)
        #expect(buffer.readableBytes == 64)
        buffer.writeInteger(UInt8(ascii: "]"))
        #expect(throws: MeshWireError.peerListTooLarge(limit: 64)) {
            try PeerList.decode(from: &buffer, isComplete: false, limits: limits)
        }
        #expect(buffer.readableBytes == 65)
    }

    @Test("children exactly max_nested_depth levels deep decode; one level more is refused", arguments: [1, 5, 10])
    func depthLimit(depth: Int) throws {
        let limits = PeerListLimits(maximumDepth: depth)
        let inside = Self.chain(depth: depth)
        #expect(inside.depth == depth)
        #expect(try PeerList(json: Array(inside.json.utf8), limits: limits) == inside)
        let outside = Self.chain(depth: depth + 1)
        #expect(throws: MeshWireError.peerListTooDeep(limit: depth)) { try PeerList(json: Array(outside.json.utf8), limits: limits) }
    }

    @Test("text nesting deeper than the depth limit allows is refused before decoding, however deep")
    func deepNesting() throws {
        let limits = PeerListLimits.default
        for depth in [limits.jsonNestingLimit + 1, 1000, 1_000_000] {
            let text = Array(repeating: UInt8(ascii: "["), count: depth) + Array(repeating: UInt8(ascii: "]"), count: depth)
            let capped = PeerListLimits(maximumBytes: 16 << 20)
            #expect(throws: MeshWireError.jsonTooDeep(limit: limits.jsonNestingLimit)) { try PeerList(json: text, limits: capped) }
        }
        // An unknown key may hold a small object; a deep one is refused by the same pre-check.
        let shallow = #"[{"name":"a","x":{"y":{}}}]"#
        #expect(try PeerList(json: Array(shallow.utf8)).entries.count == 1)
        let deepUnknown = "[{\"x\":" + String(repeating: "{\"y\":", count: 20) + "1" + String(repeating: "}", count: 20) + "}]"
        #expect(throws: MeshWireError.jsonTooDeep(limit: limits.jsonNestingLimit)) { try PeerList(json: Array(deepUnknown.utf8)) }
        // Brackets inside strings do not count.
        let inString = PeerList([PeerListEntry(name: String(repeating: "[{", count: 100))])
        #expect(try PeerList(json: Array(inString.json.utf8)) == inString)
    }

    @Test("exactly max_response_nodes entries, counted across all levels, decode; one more is refused",
          arguments: [1, 7, 1024])
    func nodeLimit(nodes: Int) throws {
        let limits = PeerListLimits(maximumNodes: nodes)
        let inside = Self.list(nodes: nodes)
        #expect(inside.nodeCount == nodes)
        #expect(try PeerList(json: Array(inside.json.utf8), limits: limits) == inside)
        let outside = Self.list(nodes: nodes + 1)
        #expect(outside.nodeCount == nodes + 1)
        #expect(throws: MeshWireError.peerListTooManyNodes(limit: nodes)) { try PeerList(json: Array(outside.json.utf8), limits: limits) }
    }

    @Test("before FIN nothing is parsed or consumed; a body cut anywhere is malformed at FIN")
    func truncation() throws {
        let bytes = Array(Self.exampleJSON.utf8)
        for cut in 0..<bytes.count {
            var buffer = ByteBuffer(bytes: bytes.prefix(cut))
            #expect(try PeerList.decode(from: &buffer, isComplete: false) == .needMoreBytes, "cut at \(cut)")
            #expect(buffer.readableBytes == cut)
            do {
                _ = try PeerList.decode(from: &buffer, isComplete: true)
                Issue.record("a body cut at \(cut) decoded")
            } catch {
                #expect(Self.isMalformed(error), "cut at \(cut): \(error)")
            }
            #expect(buffer.readableBytes == cut, "a failed decode consumes nothing")
        }
        var whole = ByteBuffer(bytes: bytes)
        #expect(try PeerList.decode(from: &whole, isComplete: true) == .value(Self.example))
        #expect(whole.readableBytes == 0)
    }

    @Test("wrong JSON types are malformed, not zero values", arguments: [
        "{}", "\"x\"", "1", "true", "[1]", "[null]", "[[]]", #"[{"name":1}]"#, #"[{"exit_node":"false"}]"#,
        #"[{"latency_ms":"4"}]"#, #"[{"latency_ms":1.5}]"#, #"[{"latency_ms":1e30}]"#, #"[{"max_rate":-1}]"#,
        #"[{"pv":true}]"#, #"[{"connected":"yes"}]"#, #"[{"direction":2}]"#, #"[{"children":{}}]"#, #"[{"children":[1]}]"#,
        #"[{"children":[{"tx_rate":-5}]}]"#, #"[{"children":[{"nested":0}]}]"#, #"[{"children":[{"via":[]}]}]"#,
        "", " ", "[", "[{]", "[{\"name\":\"a\"}]x", "[]]",
    ])
    func wrongTypes(json: String) {
        do {
            let list = try PeerList(json: Array(json.utf8))
            Issue.record("\(json) decoded as \(list)")
        } catch {
            #expect(Self.isMalformed(error), "\(json): \(error)")
        }
    }

    @Test("seeded garbage never traps: it throws a typed error or decodes to a list that round trips")
    func garbage() throws {
        var rng = SplitMix64(seed: Self.seed)
        let pieces = ["[", "]", "{", "}", ",", ":", "\"name\"", "\"children\"", "\"connected\"", "\"x\"", "1", "-1", "true",
                      "null", "\"\\u00", "\\", " ", "\"max_rate\"", "\"latency_ms\"", "1e999", "\"via\""]
        var decodedCount = 0
        for round in 0..<3000 {
            let bytes: [UInt8]
            if round % 2 == 0 {
                bytes = randomBytes(count: Int.random(in: 0...300, using: &rng), using: &rng)
            } else {
                bytes = Array((0..<Int.random(in: 1...40, using: &rng)).map { _ in pieces.randomElement(using: &rng) ?? "" }.joined().utf8)
            }
            var buffer = ByteBuffer(bytes: bytes)
            do {
                guard let list = try PeerList.decode(from: &buffer, isComplete: true).value else {
                    Issue.record("seed \(Self.seed) round \(round): waited at FIN")
                    continue
                }
                decodedCount += 1
                #expect(try PeerList(json: Array(list.json.utf8)) == list, "seed \(Self.seed) round \(round)")
            } catch {
                #expect(buffer.readableBytes == bytes.count, "seed \(Self.seed) round \(round): consumed on failure")
            }
        }
        #expect(decodedCount > 0, "some garbage, such as `null` or `[]`, decodes")
    }
}
