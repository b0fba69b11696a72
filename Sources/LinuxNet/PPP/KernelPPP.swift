import CNftnl  // SOCK_DGRAM and SOCK_CLOEXEC: a release build finds them only through the shim
import Foundation
import Glibc
import SystemCalls

/// What the kernel's PPP can do.
public enum KernelPPP {
    /// `AF_PPPOX` and its L2TP protocol (`<linux/if_pppox.h>`), which Glibc does not export.
    static let pppoxFamily: Int32 = 24
    static let l2tpProtocol: Int32 = 1

    /// Why this kernel cannot carry PPP over L2TP (xl2tpd's sessions, pppd's `/dev/ppp`);
    /// `nil` when it can.
    ///
    /// Opening a PPPoL2TP socket makes a modular kernel load `l2tp_ppp` and, with it,
    /// `ppp_generic`, which creates `/dev/ppp`; so the socket is asked first, then the device.
    public static func missingL2TP() -> String? {
        do {
            let descriptor = try Posix.socket(pppoxFamily, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), l2tpProtocol)
            try? Posix.close(descriptor)
        } catch {
            return "this kernel has no PPP over L2TP (the l2tp_ppp module): \(error.reason)"
        }
        guard FileManager.default.fileExists(atPath: "/dev/ppp") else {
            return "/dev/ppp is missing (the kernel's ppp_generic module makes it)"
        }
        return nil
    }
}
