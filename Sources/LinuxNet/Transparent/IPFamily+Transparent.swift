import Glibc

extension IPFamily {
    /// The `IP_TRANSPARENT` / `IPV6_TRANSPARENT` socket option (level and name) of this family:
    /// what lets a socket bind or accept on a foreign address, as TPROXY capture needs
    /// (`CAP_NET_ADMIN`). NIO-managed sockets (the TCP transparent listener) set it by these
    /// numbers; ``TransparentUDPSocket`` sets it itself.
    public var transparentOption: (level: Int32, name: Int32) {
        self == .ipv4 ? (Int32(IPPROTO_IP), IP_TRANSPARENT) : (Int32(IPPROTO_IPV6), IPV6_TRANSPARENT)
    }
}
