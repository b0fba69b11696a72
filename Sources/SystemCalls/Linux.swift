import CSystemShim
import Glibc

/// Linux-only calls hy2scale makes itself, wrapped as ``Posix``'s are.
public enum Linux {
    /// `setns(2)` into the network namespace `descriptor` refers to; moves the calling thread only.
    public static func setNetworkNamespace(_ descriptor: Int32) throws(SystemCallError) {
        try syscall("setns") { CSystemShim_setns_network(descriptor) }
    }

    /// `TUNSETIFF` (`ioctl(2)` on `/dev/net/tun`).
    public static let tunSetInterface = CSystemShim_TUNSETIFF
}
