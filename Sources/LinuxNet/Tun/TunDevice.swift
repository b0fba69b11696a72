import CNftnl
import Foundation
import Synchronization
import SystemCalls

/// A kernel TUN device this process owns: it exists while the device is open and vanishes with
/// it, routes through it included, so a crashed process leaves no device behind.
///
/// Packets are whole IP packets without a header (`IFF_NO_PI`). ``read()`` blocks; it is meant
/// for a thread of its own, which ``close()`` wakes.
public final class TunDevice: Sendable {
    /// The device's MTU; hy2scale v1.3 used 1400 so tunnelled packets fit one QUIC datagram.
    public static let mtu = 1400

    /// Whether this process can create TUN devices: the device node is there and it may
    /// configure network devices.
    public static let isAvailable: Bool =
        (try? Posix.access("/dev/net/tun", R_OK | W_OK)) != nil && SocketMarking.isPermitted

    public let name: String
    private let descriptor: Int32
    private let isClosed = Atomic(false)
    /// Signalled by ``close()``, to end a ``read()`` waiting for a packet.
    private let closing: Wakeup

    /// Creates device `name` (at most 15 bytes, starting with ``OwnedNames/interfacePrefix``),
    /// sets its MTU and brings it up.
    public init(name: String, netlink: Rtnetlink) throws(NetlinkError) {
        guard name.hasPrefix(OwnedNames.interfacePrefix), (1...15).contains(name.utf8.count) else {
            throw .refused(EINVAL, message: "\(name) is not a name hy2scale gives its devices")
        }
        let fd = try NetlinkError.call(on: "/dev/net/tun") { () throws(SystemCallError) in
            try Posix.open("/dev/net/tun", O_RDWR | O_CLOEXEC)
        }
        var request = ifreq()
        withUnsafeMutableBytes(of: &request.ifr_ifrn.ifrn_name) { raw in
            raw.copyBytes(from: Array(name.utf8).prefix(raw.count - 1))
        }
        request.ifr_ifru.ifru_flags = Int16(IFF_TUN | IFF_NO_PI)
        do throws(SystemCallError) {
            try Posix.ioctl(fd, Linux.tunSetInterface, &request)
            closing = try Wakeup()
        } catch {
            _ = try? Posix.close(fd)  // the device never came to be; the ioctl error is the one to report
            throw .system(error.call == "ioctl" ? "TUNSETIFF(\(name))" : error.call, error.errno)
        }
        self.name = name
        descriptor = fd
        try netlink.setLink(name, up: true, mtu: UInt32(Self.mtu))
    }

    deinit { _ = try? Posix.close(descriptor) }  // closing removes the device; nothing to flush

    /// The next packet the kernel routed into the device; `nil` once the device is closed.
    public func read() -> [UInt8]? {
        var packet = [UInt8](repeating: 0, count: 65_535)
        while !isClosed.load(ordering: .relaxed) {
            do throws(SystemCallError) {
                guard try closing.waitUntilReadable(descriptor) else { return nil }
                let count = try Posix.read(descriptor, into: &packet)
                if count > 0 { return Array(packet.prefix(count)) }
            } catch where error.errno == EAGAIN {
                continue
            } catch {
                return nil
            }
        }
        return nil
    }

    /// Hands one packet to the kernel as if it arrived on the device; a packet the kernel
    /// refuses is dropped, as on a link.
    public func write(_ packet: [UInt8]) {
        guard !isClosed.load(ordering: .relaxed) else { return }
        _ = try? Posix.write(descriptor, packet[...])
    }

    /// Stops ``read()``; the device goes when the last reference does.
    public func close() {
        isClosed.store(true, ordering: .relaxed)
        closing.signal()
    }
}
