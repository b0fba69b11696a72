/// Where the kernel hands captured flows: loopback addresses and fixed ports, so nothing outside
/// the host can reach the transparent listeners directly.
public struct CaptureEndpoint: Hashable, Sendable, Comparable, CustomStringConvertible {
    public enum Transport: String, Hashable, Sendable { case tcp, udp }

    /// The ports of the transparent listeners (the ones hy2scale v1.3 used for its rules).
    public static let tcpPort: UInt16 = 12380
    public static let udpPort: UInt16 = 12381

    /// The listeners for one family: TCP and UDP.
    public static func pair(ipv6: Bool) -> [CaptureEndpoint] {
        let host = ipv6 ? "::1" : "127.0.0.1"
        return [CaptureEndpoint(transport: .tcp, host: host, port: tcpPort),
                CaptureEndpoint(transport: .udp, host: host, port: udpPort)]
    }

    public let transport: Transport
    public let host: String
    public let port: UInt16

    public var isIPv6: Bool { host.contains(":") }

    public var description: String { isIPv6 ? "\(transport) [\(host)]:\(port)" : "\(transport) \(host):\(port)" }

    public static func < (a: CaptureEndpoint, b: CaptureEndpoint) -> Bool { a.description < b.description }
}
