import MeshWire
import Mesh

/// The JSON documents peers send: the list-peers answer (Go `encoding/json` rules, nesting and
/// size limits) and the register metadata.
///
/// Input: a selector byte (list with default limits, list with small limits, metadata), then
/// the JSON.
enum PeerListHarness: FuzzHarness {
    static let name = "mesh-peer-list"
    static let summary = "PeerList and NodeMetadata JSON: limits hold; what parses writes back (Go-style) and parses to itself"

    static func run(_ bytes: [UInt8]) {
        guard let selector = bytes.first else { return }
        let json = bytes.dropFirst()
        switch selector % 3 {
        case 0, 1:
            let limits = selector % 3 == 0
                ? PeerListLimits.default
                : PeerListLimits(maximumBytes: 1 + Int(selector) * 8, maximumDepth: 1 + Int(selector >> 5), maximumNodes: 1 + Int(selector >> 3))
            guard let list = try? PeerList(json: json, limits: limits) else { return }
            require(json.count <= limits.maximumBytes && list.depth <= limits.maximumDepth && list.nodeCount <= limits.maximumNodes,
                    "a peer list past its limits parsed")
            // Written back, escaping may make the text longer than what arrived: no byte limit.
            let written = Array(list.json.utf8)
            let roomy = PeerListLimits(maximumBytes: max(written.count, 1), maximumDepth: limits.maximumDepth,
                                       maximumNodes: limits.maximumNodes)
            let again = Result { () throws(MeshWireError) in try PeerList(json: written, limits: roomy) }
            require((try? again.get()) == list, "peer list \(clip(list)) wrote \(clip(list.json)), which reads as \(clip(again))")
        default:
            guard let metadata = try? NodeMetadata(json: json) else { return }
            require((try? NodeMetadata(json: Array(metadata.json.utf8))) == metadata, "metadata \(clip(metadata)) does not survive")
        }
    }

    static var seeds: [(label: String, bytes: [UInt8])] {
        let child = #"{"name":"kr-r1","exit_node":false,"direction":"outbound","via":"kr","latency_ms":87,"nested":false,"tx_rate":0,"rx_rate":0,"connected":true}"#
        let list = #"[{"name":"kr","exit_node":true,"direction":"inbound","native":false,"latency_ms":12,"version":"1.3.4","node_id":"5a0e91c2","pv":3,"connected":true,"max_rate":1000,"children":["# + child + #"]},{"name":"<off>","exit_node":false,"direction":"outbound","native":false,"latency_ms":0,"connected":false}]"#
        return [
            ("list", [0] + Array(list.utf8)),
            ("list-small", [1] + Array(list.utf8)),
            ("null", [0] + Array("null".utf8)),
            ("metadata", [2] + Array(#"{"v":"1.3.4","tun":true,"pv":3,"id":"188c762f","x":{"y":[1]}}"#.utf8)),
        ]
    }
}
