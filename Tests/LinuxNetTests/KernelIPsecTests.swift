import Foundation
import LinuxNet
import TestSupport
import Testing

/// The ESP probe against the kernel it runs on: it must agree with iproute2 adding an ESP state
/// in a throwaway namespace, and leave nothing behind. On this host's kernel (no ESP) the answer
/// is no; in scripts/vm's guest (Debian's kernel) it is yes.
@Suite(.enabled(if: NetworkNamespaces.areAvailable, "needs root and `ip netns`"))
struct KernelIPsecTests {
    @Test func agreesWithIproute2AndLeavesNoState() async throws {
        try await NetworkNamespaces.with(hosts: ["esp"]) { hosts in
            let byIproute2 = (try? await hosts.exec(in: "esp", "ip", [
                "xfrm", "state", "add", "src", "192.0.2.1", "dst", "192.0.2.2", "proto", "esp", "spi", "0x1000",
                "enc", "cbc(aes)", "0x00112233445566778899aabbccddeeff",
            ])) != nil
            let probed = KernelIPsec.hasESP()
            #expect(probed == byIproute2, "the probe says \(probed), iproute2 \(byIproute2)")
            if ProcessInfo.processInfo.environment["HY2SCALE_VM"] != nil {
                #expect(probed, "Debian's kernel carries ESP")
            }
            let (_, states, _) = try await ChildProcess.run("/usr/sbin/ip", ["xfrm", "state", "list"])
            #expect(!states.contains("0x68793273"), "the probe's state is left: \(states)")
        }
    }
}
