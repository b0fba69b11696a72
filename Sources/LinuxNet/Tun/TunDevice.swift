import CNftnl
import Foundation
import Synchronization

/// A kernel TUN device this process owns: it exists while the device is open and vanishes with
/// it, routes through it included, so a crashed process leaves no device behind.
///
/// Packets are whole IP packets without a header (`IFF_NO_PI`). ``read()`` blocks; it is meant
/// for a thread of its own.
public final class TunDevice: Sendable {
    /// The device's MTU; hy2scale v1.3 used 1400 so tunnelled packets fit one QUIC datagram.
    public static let mtu = 1400

    /// Whether this process can create TUN devices: the device node is there and it may
    /// configure network devices.
    public static let isAvailable: Bool = access("/dev/net/tun", R_OK | W_OK) == 0 && SocketMarking.isPermitted

    public let name: String
    private let descriptor: Int32
    private let isClosed = Atomic(false)

    /// Creates device `name` (at most 15 bytes, starting with ``OwnedNames/interfacePrefix``),
    /// sets its MTU and brings it up.
    public init(name: String, netlink: Rtnetlink) throws(NetlinkError) {
        guard name.hasPrefix(OwnedNames.interfacePrefix), (1...15).contains(name.utf8.count) else {
            throw .refused(EINVAL, message: "\(name) is not a name hy2scale gives its devices")
        }
        let fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { throw .system("open(/dev/net/tun)", errno) }
        var request = ifreq()
        withUnsafeMutableBytes(of: &request.ifr_ifrn.ifrn_name) { raw in
            raw.copyBytes(from: Array(name.utf8).prefix(raw.count - 1))
        }
        request.ifr_ifru.ifru_flags = Int16(IFF_TUN | IFF_NO_PI)
        guard CNftnl_ioctl_ifreq(fd, CNftnl_TUNSETIFF, &request) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw .system("TUNSETIFF(\(name))", code)
        }
        self.name = name
        descriptor = fd
        try netlink.setLink(name, up: true, mtu: UInt32(Self.mtu))
    }

    deinit { Glibc.close(descriptor) }

    /// The next packet the kernel routed into the device; `nil` once the device is closed.
    public func read() -> [UInt8]? {
        var packet = [UInt8](repeating: 0, count: 65_535)
        while !isClosed.load(ordering: .relaxed) {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 250) > 0 else { continue }
            let count = packet.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 { return Array(packet.prefix(count)) }
            if count < 0, errno != EINTR, errno != EAGAIN { return nil }
        }
        return nil
    }

    /// Hands one packet to the kernel as if it arrived on the device; a packet the kernel
    /// refuses is dropped, as on a link.
    public func write(_ packet: [UInt8]) {
        guard !isClosed.load(ordering: .relaxed) else { return }
        _ = packet.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
    }

    /// Stops ``read()``; the device goes when the last reference does.
    public func close() {
        isClosed.store(true, ordering: .relaxed)
    }
}
