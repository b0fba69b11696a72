/// Where the kernel hands captured flows: loopback addresses and fixed ports, so nothing outside
/// the host can connect to the transparent listeners directly.
public struct CaptureEndpoint: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The TCP port of the transparent listeners (the port hy2scale v1.3 used for its rules).
    public static let tcpPort: UInt16 = 12380

    public static let ipv4 = CaptureEndpoint(host: "127.0.0.1", port: tcpPort)
    public static let ipv6 = CaptureEndpoint(host: "::1", port: tcpPort)

    public let host: String
    public let port: UInt16

    public var isIPv6: Bool { host.contains(":") }

    public var description: String { isIPv6 ? "tcp [\(host)]:\(port)" : "tcp \(host):\(port)" }

    public static func < (a: CaptureEndpoint, b: CaptureEndpoint) -> Bool { a.description < b.description }
}
