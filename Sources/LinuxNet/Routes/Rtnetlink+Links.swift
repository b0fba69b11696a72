public import Addressing
import CNftnl
import Foundation

/// An interface as rtnetlink reports it.
public struct LinkState: Hashable, Sendable {
    public var index: UInt32
    public var name: String
    public var mtu: UInt32
    public var isUp: Bool
}

extension Rtnetlink {
    /// The interface named `name`; `nil` when there is none.
    public func link(named name: String) throws(NetlinkError) -> LinkState? {
        for message in try dump(type: UInt16(RTM_GETLINK), header: [UInt8](repeating: 0, count: 16))
        where message.type == UInt16(RTM_NEWLINK) && message.payload.count >= 16 {
            let attributes = NetlinkAttributes(message.payload.dropFirst(16))
            guard attributes.string(UInt16(IFLA_IFNAME)) == name else { continue }
            let flags = message.payload.loadUInt32(at: message.payload.startIndex + 8)
            return LinkState(index: message.payload.loadUInt32(at: message.payload.startIndex + 4), name: name,
                             mtu: attributes.u32(UInt16(IFLA_MTU)) ?? 0, isUp: flags & UInt32(IFF_UP) != 0)
        }
        return nil
    }

    /// Makes interface `name` of link type `kind` (`wireguard`), down. The kernel loads the
    /// type's module on demand; a kernel without it refuses with `EOPNOTSUPP`.
    ///
    /// - Parameter data: the kind's own settings (`IFLA_INFO_DATA`), when it has any.
    public func addLink(named name: String, kind: String, data: NetlinkAttributes.Builder? = nil) throws(NetlinkError) {
        var request = NetlinkRequest(type: UInt16(RTM_NEWLINK), flags: UInt16(NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL),
                                     sequence: socket.sequence(), header: [UInt8](repeating: 0, count: 16))
        request.attributes.add(UInt16(IFLA_IFNAME), string: name)
        var info = NetlinkAttributes.Builder()
        info.add(UInt16(IFLA_INFO_KIND), string: kind)
        if let data { info.add(UInt16(IFLA_INFO_DATA), nested: data) }
        request.attributes.add(UInt16(IFLA_LINKINFO), nested: info)
        try acknowledge(request)
    }

    /// Makes an xfrm interface: the packets of the kernel's IPsec SAs whose interface id is
    /// `interfaceID` come in on it, decrypted, and what is routed to it is encrypted by them.
    public func addXfrmInterface(named name: String, interfaceID: UInt32) throws(NetlinkError) {
        var data = NetlinkAttributes.Builder()
        data.add(UInt16(IFLA_XFRM_IF_ID), u32: interfaceID)
        try addLink(named: name, kind: "xfrm", data: data)
    }

    /// Deletes interface `name`; a TUN device's owner sees its descriptor fail and stops.
    public func deleteLink(named name: String) throws(NetlinkError) {
        let index = try requireIndex(of: name)
        var header: [UInt8] = [UInt8(AF_UNSPEC), 0, 0, 0]
        header.appendInteger(index)
        header.appendInteger(UInt32(0))
        header.appendInteger(UInt32(0))
        try acknowledge(NetlinkRequest(type: UInt16(RTM_DELLINK), flags: UInt16(NLM_F_REQUEST | NLM_F_ACK),
                                       sequence: socket.sequence(), header: header))
    }

    /// The addresses of interface `link` (as ``link(named:)`` read it), without IPv6 link-local
    /// ones (the kernel adds those).
    public func addresses(of link: LinkState) throws(NetlinkError) -> [IPNetwork] {
        try dump(type: UInt16(RTM_GETADDR), header: [UInt8](repeating: 0, count: 8)).compactMap { message in
            let header = message.payload
            guard message.type == UInt16(RTM_NEWADDR), header.count >= 8,
                  header.loadUInt32(at: header.startIndex + 4) == link.index else { return nil }
            let attributes = NetlinkAttributes(header.dropFirst(8))
            guard let raw = attributes[UInt16(IFA_LOCAL)] ?? attributes[UInt16(IFA_ADDRESS)],
                  let address = IPAddress(bytes: Array(raw)), !Self.isLinkLocal(address) else { return nil }
            return IPNetwork(address: address, prefixLength: Int(header[header.startIndex + 1]))
        }
    }

    /// Adds `address` (its prefix gives the connected route) to interface `name`.
    public func add(_ address: IPNetwork, toLink name: String) throws(NetlinkError) {
        try send(address, link: name, type: UInt16(RTM_NEWADDR), flags: UInt16(NLM_F_CREATE | NLM_F_EXCL))
    }

    /// Removes `address` from interface `name`.
    public func delete(_ address: IPNetwork, fromLink name: String) throws(NetlinkError) {
        try send(address, link: name, type: UInt16(RTM_DELADDR), flags: 0)
    }

    private func send(_ address: IPNetwork, link name: String, type: UInt16, flags: UInt16) throws(NetlinkError) {
        let index = try requireIndex(of: name)
        // ifaddrmsg: family, prefix length, flags, scope, index.
        var header: [UInt8] = [UInt8(address.address.isIPv4 ? AF_INET : AF_INET6), UInt8(address.prefixLength), 0, 0]
        header.appendInteger(index)
        var request = NetlinkRequest(type: type, flags: UInt16(NLM_F_REQUEST | NLM_F_ACK) | flags,
                                     sequence: socket.sequence(), header: header)
        request.attributes.add(UInt16(IFA_LOCAL), address.address.bytes)
        request.attributes.add(UInt16(IFA_ADDRESS), address.address.bytes)
        try acknowledge(request)
    }

    private static func isLinkLocal(_ address: IPAddress) -> Bool {
        !address.isIPv4 && address.bytes[0] == 0xfe && address.bytes[1] & 0xc0 == 0x80
    }

    /// The index of interface `name`; `ENODEV` when there is none.
    func requireIndex(of name: String) throws(NetlinkError) -> UInt32 {
        guard let index = try linkNames().first(where: { $0.value == name })?.key else {
            throw .refused(ENODEV, message: "no interface \(name)")
        }
        return index
    }
}
