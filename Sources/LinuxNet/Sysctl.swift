import Foundation

/// Kernel parameters under `/proc/sys` that hy2scale's devices need.
public enum Sysctl {
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
