/// The kernel names and numbers hy2scale owns (DESIGN invariant 6). Observation reads only these,
/// cleanup removes only these, and nothing else on the host is touched.
public enum OwnedNames {
    /// The nftables table: family `inet`, so one table sees IPv4 and IPv6.
    public static let nftablesTable = "hy2scale"

    /// The packet mark of captured flows: policy routing sends marked packets to
    /// ``captureRouteTable`` so they are delivered locally to the transparent listeners.
    public static let captureMark: UInt32 = 0x6879
    /// The mark hy2scale's own outbound sockets carry, so capture never loops its own traffic.
    public static let bypassMark: UInt32 = 0x6878

    /// Routing tables: capture (`local default dev lo`) and TUN routes (`default dev hy2tun0`).
    public static let captureRouteTable: UInt32 = 6879
    public static let tunRouteTable: UInt32 = 6880

    /// Policy-rule priorities hy2scale uses: the capture rule, then TUN rules derived from rule
    /// priority (higher rule priority, lower rule number, so it is consulted first).
    public static let rulePriorities: ClosedRange<UInt32> = 6800...6899
    public static let capturePriority: UInt32 = 6800

    /// Interfaces hy2scale creates start with this prefix (`hy2tun0`, `hy2exit3`).
    public static let interfacePrefix = "hy2"
}
