/// The numbers the relay wire format fixes or bounds (spec/reference-relay-protocol.md §11).
public enum MeshWireLimits {
    /// `ProtocolVersion`, sent as meta `pv` (§2.6).
    public static let protocolVersion = 3
    /// The oldest `v` a v1.3 node accepts, compared as a string (§2.6).
    public static let minimumCompatibleVersion = "1.3.0"
    /// The node version we announce; v1.3.4 is byte-identical on the relay streams (§0 note).
    public static let nodeVersion = "1.3.4"

    /// A `str16` length field holds at most this (§0).
    public static let maximumString16Length = Int(UInt16.max)
    /// Node names: the reference's verify-register accepts 1...1024 bytes (§6, §11); we hold
    /// every name field to the same bound rather than the generic 65535.
    public static let maximumNameLength = 1024
    /// A `meta16` body must be 1...4096 bytes (§3.1, §11).
    public static let metadataLengths = 1...4096
    /// Requested stream addresses are Hysteria addresses, 1...2048 bytes (§1.2, §2.5); dial
    /// requests on the control stream carry the same addresses, plus the `udp:` prefix.
    public static let maximumAddressLength = 2048
    /// Dial request ids are the decimal text of a counter, so 20 digits hold any `UInt64` (§3.2).
    public static let maximumRequestIDLength = 20
    /// Bridge ids look like `sb_3f2a_17` (§4.2); anything longer than this is not ours or v1.3's.
    public static let maximumBridgeIDLength = 64

    /// `max_response_bytes`: default 1 MiB, hard cap 16 MiB (reference-api.md, §3.6).
    public static let defaultPeerListBytes = 1 << 20
    public static let peerListBytesCap = 16 << 20
    /// `max_nested_depth`: default 5, hard cap 10 (§2.5, §11).
    public static let defaultNestedDepth = 5
    public static let nestedDepthCap = 10
    /// `max_response_nodes`: default 1024, hard cap 65536 (§3.6, §11).
    public static let defaultPeerListNodes = 1024
    public static let peerListNodesCap = 65536
}
