/// A route in one of hy2scale's routing tables.
public struct Route: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// Deliver locally (`local 0.0.0.0/0 dev lo`): how captured packets reach the
        /// transparent listeners.
        case local
        /// Send out of the device (`default dev hy2tun0`).
        case unicast
    }

    public var kind: Kind
    public var table: UInt32
    public var destination: IPPrefix
    /// The outgoing interface's name.
    public var device: String

    public init(kind: Kind, table: UInt32, destination: IPPrefix, device: String) {
        self.kind = kind
        self.table = table
        self.destination = destination
        self.device = device
    }

    public var family: IPFamily { destination.family }

    /// Like `ip route`: `local 0.0.0.0/0 dev lo table 6879`.
    public var description: String {
        "\(kind == .local ? "local " : "")\(destination.length == 0 ? (family == .ipv4 ? "0.0.0.0/0" : "::/0") : destination.description)"
            + " dev \(device) table \(table)"
    }
}
