import Foundation

/// Kernel parameters under `/proc/sys` that hy2scale's devices need.
public enum Sysctl {
    /// `net.ipv4.ip_forward`: whether the host routes between its interfaces.
    public static var ipv4Forwarding: Bool {
        get { (try? String(contentsOfFile: forwardingPath, encoding: .utf8))?.hasPrefix("1") ?? false }
    }

    /// Turns IPv4 forwarding on or off.
    public static func setIPv4Forwarding(_ on: Bool) throws(NetlinkError) {
        guard (try? Data((on ? "1" : "0").utf8).write(to: URL(fileURLWithPath: forwardingPath))) != nil else {
            throw .system("write(\(forwardingPath))", errno)
        }
    }

    private static let forwardingPath = "/proc/sys/net/ipv4/ip_forward"

    /// Sets `net.ipv4.conf.<device>.<name>` (`forwarding`, `rp_filter`) for a device of ours.
    public static func setDevice(_ device: String, _ name: String, to value: String) throws(NetlinkError) {
        guard device.hasPrefix(OwnedNames.interfacePrefix), !device.contains("/") else {
            throw .refused(EINVAL, message: "\(device) is not a device of hy2scale's")
        }
        let path = "/proc/sys/net/ipv4/conf/\(device)/\(name)"
        guard (try? Data(value.utf8).write(to: URL(fileURLWithPath: path))) != nil else {
            throw .system("write(\(path))", errno)
        }
    }
}
