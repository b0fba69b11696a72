import CNftnl
import Foundation

/// Reads and changes policy rules, routes and links over rtnetlink.
///
/// Observation returns only what hy2scale owns: rules in ``OwnedNames/rulePriorities`` and
/// routes in its tables; everything else the kernel reports is dropped here.
public struct Rtnetlink: Sendable {
    let socket: NetlinkSocket

    /// - Parameter namespacePath: a network namespace to work in (tests); the current one if nil.
    public init(namespacePath: String? = nil) throws(NetlinkError) {
        socket = try NetlinkSocket(protocol: NETLINK_ROUTE, namespacePath: namespacePath)
    }

    // MARK: policy rules

    /// The policy rules whose priority lies in hy2scale's band, in both families.
    public func ownedRules() throws(NetlinkError) -> [PolicyRule] {
        try dump(type: UInt16(RTM_GETRULE), header: [UInt8](repeating: 0, count: 12)).compactMap { message in
            guard message.type == UInt16(RTM_NEWRULE), message.payload.count >= 12 else { return nil }
            let header = message.payload
            guard let family = IPFamily(socketFamily: header[header.startIndex]) else { return nil }
            let attributes = NetlinkAttributes(header.dropFirst(12))
            guard let priority = attributes.u32(UInt16(FRA_PRIORITY)),
                  OwnedNames.rulePriorities.contains(priority) else { return nil }
            let table = attributes.u32(UInt16(FRA_TABLE)) ?? UInt32(header[header.startIndex + 4])
            let selector: PolicyRule.Selector
            if let mark = attributes.u32(UInt16(FRA_FWMARK)) {
                selector = .mark(mark, mask: attributes.u32(UInt16(FRA_FWMASK)) ?? 0xffff_ffff)
            } else if let destination = attributes[UInt16(FRA_DST)],
                      let prefix = IPPrefix(bytes: Array(destination), length: Int(header[header.startIndex + 1])) {
                selector = .destination(prefix)
            } else {
                // An owned priority with a selector we never write: report it as "everything" so
                // the diff deletes it.
                selector = .destination(.any(family))
            }
            return PolicyRule(family: family, priority: priority, selector: selector, table: table)
        }
    }

    public func add(_ rule: PolicyRule) throws(NetlinkError) {
        try send(rule, type: UInt16(RTM_NEWRULE), flags: UInt16(NLM_F_CREATE | NLM_F_EXCL))
    }

    public func delete(_ rule: PolicyRule) throws(NetlinkError) {
        try send(rule, type: UInt16(RTM_DELRULE), flags: 0)
    }

    private func send(_ rule: PolicyRule, type: UInt16, flags: UInt16) throws(NetlinkError) {
        var dstLength: UInt8 = 0
        if case .destination(let prefix) = rule.selector { dstLength = prefix.length }
        // fib_rule_hdr: family, dst_len, src_len, tos, table (in FRA_TABLE), 2 reserved, action.
        let header: [UInt8] = [rule.family.socketFamily, dstLength, 0, 0, 0, 0, 0, UInt8(FR_ACT_TO_TBL)] + [0, 0, 0, 0]
        var request = NetlinkRequest(type: type, flags: UInt16(NLM_F_REQUEST | NLM_F_ACK) | flags,
                                     sequence: socket.sequence(), header: header)
        request.attributes.add(UInt16(FRA_PRIORITY), u32: rule.priority)
        request.attributes.add(UInt16(FRA_TABLE), u32: rule.table)
        switch rule.selector {
        case .mark(let value, let mask):
            request.attributes.add(UInt16(FRA_FWMARK), u32: value)
            request.attributes.add(UInt16(FRA_FWMASK), u32: mask)
        case .destination(let prefix):
            if prefix.length > 0 { request.attributes.add(UInt16(FRA_DST), prefix.bytes) }
        }
        try acknowledge(request)
    }

    // MARK: routes

    /// The routes in `tables` (hy2scale's own), in both families.
    public func routes(inTables tables: ClosedRange<UInt32>) throws(NetlinkError) -> [Route] {
        let names = try linkNames()
        return try dump(type: UInt16(RTM_GETROUTE), header: [UInt8](repeating: 0, count: 12)).compactMap { message in
            guard message.type == UInt16(RTM_NEWROUTE), message.payload.count >= 12 else { return nil }
            let header = message.payload
            let start = header.startIndex
            guard let family = IPFamily(socketFamily: header[start]) else { return nil }
            let attributes = NetlinkAttributes(header.dropFirst(12))
            let table = attributes.u32(UInt16(RTA_TABLE.rawValue)) ?? UInt32(header[start + 4])
            guard tables.contains(table) else { return nil }
            let destinationBytes = attributes[UInt16(RTA_DST.rawValue)].map(Array.init) ?? IPPrefix.any(family).bytes
            guard let destination = IPPrefix(bytes: destinationBytes, length: Int(header[start + 1])) else { return nil }
            let device = attributes.u32(UInt16(RTA_OIF.rawValue)).flatMap { names[$0] } ?? "?"
            let kind: Route.Kind = header[start + 7] == UInt8(RTN_LOCAL) ? .local : .unicast
            return Route(kind: kind, table: table, destination: destination, device: device)
        }
    }

    public func add(_ route: Route) throws(NetlinkError) {
        try send(route, type: UInt16(RTM_NEWROUTE), flags: UInt16(NLM_F_CREATE | NLM_F_EXCL))
    }

    public func delete(_ route: Route) throws(NetlinkError) {
        try send(route, type: UInt16(RTM_DELROUTE), flags: 0)
    }

    private func send(_ route: Route, type: UInt16, flags: UInt16) throws(NetlinkError) {
        let index = try requireIndex(of: route.device)
        let isLocal = route.kind == .local
        // rtmsg: family, dst_len, src_len, tos, table (in RTA_TABLE), protocol, scope, type, flags.
        let header: [UInt8] = [
            route.family.socketFamily, route.destination.length, 0, 0, 0, UInt8(RTPROT_STATIC),
            UInt8(isLocal ? RT_SCOPE_HOST.rawValue : RT_SCOPE_LINK.rawValue),
            UInt8(isLocal ? RTN_LOCAL : RTN_UNICAST), 0, 0, 0, 0,
        ]
        var request = NetlinkRequest(type: type, flags: UInt16(NLM_F_REQUEST | NLM_F_ACK) | flags,
                                     sequence: socket.sequence(), header: header)
        request.attributes.add(UInt16(RTA_TABLE.rawValue), u32: route.table)
        if route.destination.length > 0 { request.attributes.add(UInt16(RTA_DST.rawValue), route.destination.bytes) }
        request.attributes.add(UInt16(RTA_OIF.rawValue), u32: index)
        try acknowledge(request)
    }

    // MARK: links

    /// Interface index to name, for the interfaces of this namespace.
    public func linkNames() throws(NetlinkError) -> [UInt32: String] {
        var names: [UInt32: String] = [:]
        for message in try dump(type: UInt16(RTM_GETLINK), header: [UInt8](repeating: 0, count: 16))
        where message.type == UInt16(RTM_NEWLINK) && message.payload.count >= 16 {
            let index = message.payload.loadUInt32(at: message.payload.startIndex + 4)
            if let name = NetlinkAttributes(message.payload.dropFirst(16)).string(UInt16(IFLA_IFNAME)) {
                names[index] = name
            }
        }
        return names
    }

    /// Brings interface `name` up or down and sets its MTU.
    public func setLink(_ name: String, up: Bool, mtu: UInt32) throws(NetlinkError) {
        let index = try requireIndex(of: name)
        // ifinfomsg: family, pad, type (u16), index (i32), flags (u32), change mask (u32).
        var header: [UInt8] = [UInt8(AF_UNSPEC), 0, 0, 0]
        header.appendInteger(index)
        header.appendInteger(up ? UInt32(IFF_UP) : 0)
        header.appendInteger(UInt32(IFF_UP))
        var request = NetlinkRequest(type: UInt16(RTM_NEWLINK), flags: UInt16(NLM_F_REQUEST | NLM_F_ACK),
                                     sequence: socket.sequence(), header: header)
        request.attributes.add(UInt16(IFLA_MTU), u32: mtu)
        try acknowledge(request)
    }

    // MARK: exchange

    func dump(type: UInt16, header: [UInt8]) throws(NetlinkError) -> [NetlinkMessage] {
        let sequence = socket.sequence()
        let request = NetlinkRequest(type: type, flags: UInt16(NLM_F_REQUEST | NLM_F_DUMP), sequence: sequence, header: header)
        return try socket.exchange(request.bytes, expecting: [sequence])
    }

    func acknowledge(_ request: NetlinkRequest) throws(NetlinkError) {
        _ = try socket.exchange(request.bytes, expecting: [request.sequence])
    }
}
