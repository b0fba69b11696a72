/// Why a relay message or stream address could not be encoded or decoded. Every decoder facing
/// the network reports malformed input with one of these instead of trapping, so a peer cannot
/// crash us. Texts quote peer input only cut short, for logs.
public enum MeshWireError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A `str16` field (named by `field`) whose length is outside what that field accepts.
    case stringLength(field: String, length: Int, allowed: ClosedRange<Int>)
    /// A `str16` field whose bytes are not UTF-8.
    case invalidUTF8(field: String)
    /// A `meta16` length outside 1...4096 (§3.1).
    case metadataLength(Int)
    /// A JSON document (named by `document`) that does not parse or has the wrong shape.
    case malformedJSON(document: String, detail: String)
    /// JSON nested deeper than we are willing to parse.
    case jsonTooDeep(limit: Int)
    /// A list-peers answer larger than `max_response_bytes` (§3.6).
    case peerListTooLarge(limit: Int)
    /// A list-peers answer whose `children` nest deeper than `max_nested_depth` levels (§3.6).
    case peerListTooDeep(limit: Int)
    /// A list-peers answer with more entries, at all levels together, than `max_response_nodes`.
    case peerListTooManyNodes(limit: Int)
    /// A stream address that is empty or longer than 2048 bytes.
    case addressLength(Int)
    /// Text that should be `host:port` but is not.
    case invalidTarget(String)
    /// A dial request id that is not 1...20 ASCII digits.
    case invalidRequestID(String)
    /// A bridge id that is empty, too long, or has characters other than letters, digits, `_`, `-`.
    case invalidBridgeID(String)
    /// A `_relay_via_` address whose hop list is empty or has an empty hop.
    case invalidHopList(String)
    /// A hop name that cannot appear in a via address: empty, or holding `/`, `_` or `#bridge=`.
    case invalidHopName(String)
    /// A via route whose target already carries a bridge tag; the route holds the tag itself.
    case bridgeTagInsideVia
    /// A `_bond_` address whose id is not a decimal `UInt32`.
    case invalidBondID(String)

    public var description: String {
        switch self {
        case .stringLength(let field, let length, let allowed):
            "\(field) is \(length) bytes; allowed \(allowed.lowerBound)...\(allowed.upperBound)"
        case .invalidUTF8(let field):
            "\(field) is not UTF-8"
        case .metadataLength(let length):
            "metadata length \(length) is outside \(MeshWireLimits.metadataLengths)"
        case .malformedJSON(let document, let detail):
            "\(document) is not valid JSON of the expected shape: \(detail)"
        case .jsonTooDeep(let limit):
            "JSON nests deeper than \(limit) levels"
        case .peerListTooLarge(let limit):
            "peer list exceeds max_response_bytes (\(limit))"
        case .peerListTooDeep(let limit):
            "peer list children nest deeper than max_nested_depth (\(limit))"
        case .peerListTooManyNodes(let limit):
            "peer list holds more entries than max_response_nodes (\(limit))"
        case .addressLength(let length):
            "stream address length \(length) is outside 1...\(MeshWireLimits.maximumAddressLength)"
        case .invalidTarget(let text):
            "\"\(Self.clipped(text))\" is not host:port"
        case .invalidRequestID(let text):
            "dial request id \"\(Self.clipped(text))\" is not 1...20 decimal digits"
        case .invalidBridgeID(let text):
            "bridge id \"\(Self.clipped(text))\" is not 1...64 letters, digits, '_' or '-'"
        case .invalidHopList(let text):
            "via hop list \"\(Self.clipped(text))\" is empty or has an empty hop"
        case .invalidHopName(let text):
            "hop name \"\(Self.clipped(text))\" is empty or contains '/', '_' or '#bridge='"
        case .bridgeTagInsideVia:
            "a via route's target must not carry its own bridge tag; set the route's bridge id"
        case .invalidBondID(let text):
            "bond id \"\(Self.clipped(text))\" is not a decimal UInt32"
        }
    }

    /// Peer text cut to a length that keeps a log line readable.
    package static func clipped(_ text: String) -> String {
        text.count <= 64 ? text : String(text.prefix(64)) + "…"
    }
}
