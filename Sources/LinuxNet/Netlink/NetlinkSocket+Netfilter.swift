import CNftnl

extension NetlinkSocket {
    /// A netfilter socket (nftables) in the current network namespace, or in the one at
    /// `namespacePath` (`/run/netns/<name>`): what ``NftablesDriver`` and ``NftRuntimeSet`` use.
    /// - Throws: ``NetlinkError`` naming the call that failed (and the namespace path).
    public static func netfilter(namespacePath: String? = nil) throws(NetlinkError) -> NetlinkSocket {
        try NetlinkSocket(protocol: NETLINK_NETFILTER, namespacePath: namespacePath)
    }
}
