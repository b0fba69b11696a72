/// The numbers of the Hysteria 2 protocol (spec/hysteria2-and-quic.md §1.9), in one place.
public enum HysteriaConstants {
    /// ALPN of every Hysteria 2 connection: HTTP/3's.
    public static let alpn = "h3"
    /// The frame type that opens a TCP proxy stream, with no length after it.
    public static let tcpRequestType: UInt64 = 0x401
    /// The status of a successful `/auth`.
    public static let authStatus = 233
    /// The `:authority` and `:path` of the auth request.
    public static let authAuthority = "hysteria"
    public static let authPath = "/auth"
    /// Longest address, message and padding a receiver accepts.
    public static let maximumAddressLength = 2048
    public static let maximumMessageLength = 2048
    public static let maximumPaddingLength = 4096
    /// Padding lengths a sender picks: auth request and response, TCP request, TCP response.
    public static let authPadding = 256..<2048
    public static let tcpRequestPadding = 64..<512
    public static let tcpResponsePadding = 128..<1024
    /// The DATAGRAM frame size the server advertises.
    public static let serverMaximumDatagramFrameSize = 1200
    /// Salamander: salt length and the shortest pre-shared key.
    public static let salamanderSaltLength = 8
    public static let salamanderMinimumKeyLength = 4
}

/// Header names of the auth exchange (lower case, as HTTP/3 sends them).
public enum HysteriaHeader {
    public static let auth = "hysteria-auth"
    public static let congestionControlReceive = "hysteria-cc-rx"
    public static let padding = "hysteria-padding"
    public static let udp = "hysteria-udp"
}
