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

    /// The routing tables hy2scale owns: capture (`local default dev lo`), TUN routes
    /// (`default dev hy2tun0`) and one per exit tunnel (`default dev hy2exit<k>`).
    public static let routeTables: ClosedRange<UInt32> = 6879...6999
    public static let captureRouteTable: UInt32 = 6879
    public static let tunRouteTable: UInt32 = 6880
    /// The table of exit tunnel `slot` (0..<100).
    public static func exitRouteTable(_ slot: Int) -> UInt32 { 6900 + UInt32(slot) }
    /// The mark of packets (and connections) that entered through exit tunnel `slot`.
    public static func exitMark(_ slot: Int) -> UInt32 { 0x6900 + UInt32(slot) }

    /// Policy-rule priorities hy2scale uses: the capture rule first, then TUN rules derived from
    /// rule priority, then the exit tunnels' replies.
    public static let rulePriorities: ClosedRange<UInt32> = 6800...6899
    public static let capturePriority: UInt32 = 6800
    public static let exitPriority: UInt32 = 6899

    /// The policy-rule priority of a TUN rule of `priority`: a higher rule priority gets a lower
    /// number, so the kernel consults it first; the band is 6801...6898.
    public static func tunPriority(forRulePriority priority: Int) -> UInt32 {
        UInt32(6850 - min(max(priority, -48), 48))
    }

    /// Interfaces hy2scale creates start with this prefix (`hy2tun0`, `hy2exit3`).
    public static let interfacePrefix = "hy2"
}
