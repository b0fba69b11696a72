import Foundation
import SystemCalls

/// Kernel parameters under `/proc/sys` that hy2scale's devices need.
public enum Sysctl {
    /// `net.ipv4.ip_forward`: whether the host routes between its interfaces.
    public static var ipv4Forwarding: Bool {
        get { (try? String(contentsOfFile: forwardingPath, encoding: .utf8))?.hasPrefix("1") ?? false }
    }

    /// Turns IPv4 forwarding on or off.
    public static func setIPv4Forwarding(_ on: Bool) throws(NetlinkError) {
        try write(on ? "1" : "0", to: forwardingPath)
    }

    private static let forwardingPath = "/proc/sys/net/ipv4/ip_forward"

    /// Sets `net.ipv4.conf.<device>.<name>` (`forwarding`, `rp_filter`) for a device of ours.
    public static func setDevice(_ device: String, _ name: String, to value: String) throws(NetlinkError) {
        guard device.hasPrefix(OwnedNames.interfacePrefix), !device.contains("/") else {
            throw .refused(EINVAL, message: "\(device) is not a device of hy2scale's")
        }
        let path = "/proc/sys/net/ipv4/conf/\(device)/\(name)"
        try write(value, to: path)
    }

    /// Writes `value` over the parameter file at `path`.
    private static func write(_ value: String, to path: String) throws(NetlinkError) {
        try NetlinkError.call(on: path) { () throws(SystemCallError) in
            let fd = try Posix.open(path, O_WRONLY | O_TRUNC | O_CLOEXEC)
            defer { _ = try? Posix.close(fd) }  // the kernel took the value at write(2)
            try Posix.writeAll(fd, Array(value.utf8))
        }
    }
}
