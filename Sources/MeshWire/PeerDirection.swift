/// `direction` in a list-peers entry (§3.6): who dialed, seen from the node that wrote the list.
/// v1.3 writes only `outbound` and `inbound`, but decodes any string, so other text is kept as
/// it came and written back unchanged.
public struct PeerDirection: RawRepresentable, Hashable, Sendable {
    /// The text on the wire; empty when the key was absent.
    public var rawValue: String

    /// Any text; v1.3 itself writes only ``outbound`` and ``inbound``.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The writer dialed this peer and holds a Hysteria client to it (§2.2).
    public static let outbound = PeerDirection(rawValue: "outbound")
    /// This peer dialed the writer (§2.2).
    public static let inbound = PeerDirection(rawValue: "inbound")
}
