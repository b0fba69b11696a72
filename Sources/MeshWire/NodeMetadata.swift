import Foundation
public import NIOCore
public import WireFormat

/// The metadata JSON (`peerMeta`) both sides exchange as `meta16` after the names on
/// `_relay_register_:0` when flag bit 1 is set (§3.1), e.g. `{"v":"1.3.4","tun":true,"pv":3,"id":"188c762f"}`.
/// Each key is omitted when empty, false or zero; a missing key decodes as that zero value.
public struct NodeMetadata: Hashable, Sendable {
    /// `v`: the node version, compared as a string with `"1.3.0"` (§2.6). Empty when absent.
    public var version: String
    /// `tun`: the node can be the exit of a raw IP tunnel (§9).
    public var isTUNCapable: Bool
    /// `pv`: the wire generation; 3 for v1.3.x, 0 when absent (§2.6).
    public var protocolVersion: Int
    /// `id`: the stable node id, by default 8 lowercase hex digits (§2.1). Empty when absent.
    public var nodeID: String

    public init(version: String = "", isTUNCapable: Bool = false, protocolVersion: Int = 0, nodeID: String = "") {
        self.version = version
        self.isTUNCapable = isTUNCapable
        self.protocolVersion = protocolVersion
        self.nodeID = nodeID
    }

    /// Our own metadata: the current version and protocol version with the given id.
    public static func current(nodeID: String, isTUNCapable: Bool) -> NodeMetadata {
        NodeMetadata(version: MeshWireLimits.nodeVersion, isTUNCapable: isTUNCapable,
                     protocolVersion: MeshWireLimits.protocolVersion, nodeID: nodeID)
    }

    /// Whether the node is one v1.3 relays with: version 1.3.0 or later (§2.6). Compared number
    /// by number, where v1.3 compares the text and would take 1.10.0 for older than 1.3.0; no
    /// version is incompatible.
    public var isCompatible: Bool {
        !version.isEmpty && Self.version(version, isAtLeast: MeshWireLimits.minimumCompatibleVersion)
    }

    /// Compares dotted versions number by number, a missing part as 0 and a part that is not a
    /// number by its leading digits.
    public static func version(_ version: String, isAtLeast minimum: String) -> Bool {
        func numbers(_ text: String) -> [Int] { text.split(separator: ".").map { Int($0.prefix { $0.isNumber }) ?? 0 } }
        var have = numbers(version), want = numbers(minimum)
        let count = max(have.count, want.count)
        have += Array(repeating: 0, count: count - have.count)
        want += Array(repeating: 0, count: count - want.count)
        return !have.lexicographicallyPrecedes(want)
    }

    /// The compact JSON, keys in v1.3's order `v`, `tun`, `pv`, `id`.
    public var json: String {
        var object = GoJSONObject()
        if !version.isEmpty { object.add("v", version) }
        if isTUNCapable { object.add("tun", true) }
        if protocolVersion != 0 { object.add("pv", protocolVersion) }
        if !nodeID.isEmpty { object.add("id", nodeID) }
        return object.json
    }

    /// Parses the JSON; unknown keys are ignored, `null` counts as absent.
    /// - Throws: ``MeshWireError/malformedJSON(document:detail:)`` for text that is not a JSON
    ///   object with these key types. (v1.3 reads such text as empty metadata; the caller may too.)
    public init(json: some Collection<UInt8>) throws(MeshWireError) {
        try JSONNesting.check(json, limit: 64)
        do {
            self = try JSONDecoder().decode(NodeMetadata.self, from: Data(json))
        } catch {
            throw .malformedJSON(document: "metadata", detail: String(describing: error))
        }
    }

    /// Appends `meta16`: a big-endian `u16` length (1...4096) and the JSON.
    public func encode(into buffer: inout ByteBuffer) throws(MeshWireError) {
        let bytes = Array(json.utf8)
        guard MeshWireLimits.metadataLengths.contains(bytes.count) else { throw .metadataLength(bytes.count) }
        buffer.writeInteger(UInt16(bytes.count), endianness: .big)
        buffer.writeBytes(bytes)
    }

    /// Reads `meta16` from the front of `buffer`, consuming it only when it is complete and valid.
    /// A length of 0 or over 4096 throws at once (v1.3 would read "no metadata" and lose its
    /// place in the stream; nothing follows metadata on the register stream, so refusing is safe).
    public static func decode(from buffer: inout ByteBuffer) throws(MeshWireError) -> WireReading<NodeMetadata> {
        var cursor = WireCursor(buffer)
        guard let length = cursor.integer(as: UInt16.self) else { return .needMoreBytes }
        guard MeshWireLimits.metadataLengths.contains(Int(length)) else { throw .metadataLength(Int(length)) }
        guard let body = cursor.slice(Int(length)) else { return .needMoreBytes }
        let metadata = try NodeMetadata(json: body.readableBytesView)
        cursor.commit(to: &buffer)
        return .value(metadata)
    }
}

extension NodeMetadata: Decodable {
    private enum CodingKeys: String, CodingKey {
        case version = "v", isTUNCapable = "tun", protocolVersion = "pv", nodeID = "id"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            version: try container.decodeIfPresent(String.self, forKey: .version) ?? "",
            isTUNCapable: try container.decodeIfPresent(Bool.self, forKey: .isTUNCapable) ?? false,
            protocolVersion: try container.decodeIfPresent(Int.self, forKey: .protocolVersion) ?? 0,
            nodeID: try container.decodeIfPresent(String.self, forKey: .nodeID) ?? ""
        )
    }
}
