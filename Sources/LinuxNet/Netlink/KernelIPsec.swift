import CNftnl
import Glibc

/// What the kernel's IPsec can do.
public enum KernelIPsec {
    /// Whether this kernel carries ESP itself (else charon must, in userspace).
    ///
    /// Asked the only reliable way: by adding an ESP state, deleted again at once. A kernel with
    /// xfrm but no ESP still lists and counts states, so `ip xfrm state count` says nothing. The
    /// state (SPI 0x68793273 between two documentation addresses, no policy) carries no traffic
    /// while it exists.
    public static func hasESP() -> Bool {
        guard let socket = try? NetlinkSocket(protocol: NETLINK_XFRM) else { return false }
        let source: [UInt8] = [192, 0, 2, 1], destination: [UInt8] = [192, 0, 2, 2]
        let spi = UInt32(0x6879_3273).bigEndian

        var state = xfrm_usersa_info()
        withUnsafeMutableBytes(of: &state.id.daddr) { $0.copyBytes(from: destination) }
        withUnsafeMutableBytes(of: &state.saddr) { $0.copyBytes(from: source) }
        state.id.spi = spi
        state.id.proto = UInt8(IPPROTO_ESP)
        state.family = UInt16(AF_INET)
        state.sel.family = UInt16(AF_INET)
        state.lft.soft_byte_limit = .max
        state.lft.hard_byte_limit = .max
        state.lft.soft_packet_limit = .max
        state.lft.hard_packet_limit = .max
        var add = NetlinkRequest(type: UInt16(XFRM_MSG_NEWSA), flags: UInt16(NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL),
                                 sequence: socket.sequence(), header: withUnsafeBytes(of: state) { Array($0) })
        // struct xfrm_algo: a 64-byte name, the key's length in bits, the key.
        let algorithm = Array("cbc(aes)".utf8) + [UInt8](repeating: 0, count: 64 - 8)
        add.attributes.add(UInt16(XFRMA_ALG_CRYPT.rawValue), algorithm + [128, 0, 0, 0] + [UInt8](repeating: 0x5A, count: 16))
        guard (try? socket.exchange(add.bytes, expecting: [add.sequence])) != nil else { return false }

        var id = xfrm_usersa_id()
        withUnsafeMutableBytes(of: &id.daddr) { $0.copyBytes(from: destination) }
        id.spi = spi
        id.family = UInt16(AF_INET)
        id.proto = UInt8(IPPROTO_ESP)
        var delete = NetlinkRequest(type: UInt16(XFRM_MSG_DELSA), flags: UInt16(NLM_F_REQUEST | NLM_F_ACK),
                                    sequence: socket.sequence(), header: withUnsafeBytes(of: id) { Array($0) })
        delete.attributes.add(UInt16(XFRMA_SRCADDR.rawValue), source + [UInt8](repeating: 0, count: 12))
        _ = try? socket.exchange(delete.bytes, expecting: [delete.sequence])
        return true
    }
}
