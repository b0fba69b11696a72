import CNftnl
import Glibc

/// A generic netlink socket: requests to the families the kernel registers by name
/// (`wireguard`), in the current network namespace.
public final class GenericNetlink: Sendable {
    private let socket: NetlinkSocket

    public init() throws(NetlinkError) {
        socket = try NetlinkSocket(protocol: NETLINK_GENERIC)
    }

    /// The id of family `name`; `nil` when this kernel has no such family (not built, or its
    /// module not loaded yet).
    public func family(named name: String) throws(NetlinkError) -> UInt16? {
        var attributes = NetlinkAttributes.Builder()
        attributes.add(UInt16(CTRL_ATTR_FAMILY_NAME), string: name)
        do throws(NetlinkError) {
            let answers = try request(family: UInt16(GENL_ID_CTRL), command: UInt8(CTRL_CMD_GETFAMILY), version: 1,
                                      attributes: attributes)
            return answers.lazy.compactMap { $0.u16(UInt16(CTRL_ATTR_FAMILY_ID)) }.first
        } catch .refused(ENOENT, _) {
            return nil
        }
    }

    /// Sends `command` of family `family` and returns the attributes of every answer: one
    /// message for a request, each message of a dump.
    ///
    /// - Parameter dump: asks for a dump (`NLM_F_DUMP`), as families' GET commands want.
    public func request(family: UInt16, command: UInt8, version: UInt8, dump: Bool = false,
                        attributes: NetlinkAttributes.Builder) throws(NetlinkError) -> [NetlinkAttributes] {
        // genlmsghdr: command, version, two reserved bytes.
        var request = NetlinkRequest(type: family, flags: UInt16(NLM_F_REQUEST | NLM_F_ACK | (dump ? NLM_F_DUMP : 0)),
                                     sequence: socket.sequence(), header: [command, version, 0, 0])
        request.attributes = attributes
        return try socket.exchange(request.bytes, expecting: [request.sequence])
            .filter { $0.type == family }
            .map { NetlinkAttributes($0.payload.dropFirst(4)) }
    }
}
