
/// The users of one Shadowsocks listener: keys of one method, in user order. Built once per
/// configuration and shared by every connection; the codecs answer with an index into it.
public struct ShadowsocksKeyring: Sendable {
    public let method: ShadowsocksCipher
    public let keys: [ShadowsocksKey]

    /// Refuses an empty list and keys of different methods (the salt length must be known
    /// before any key is tried).
    public init(_ keys: [ShadowsocksKey]) throws(ShadowsocksError) {
        guard let method = keys.first?.method else { throw .badKey(reason: "no users") }
        guard keys.allSatisfy({ $0.method == method }) else { throw .badKey(reason: "users have different methods") }
        self.method = method
        self.keys = keys
    }

    /// A ring of one key (a client, or a listener with a single user).
    public init(_ key: ShadowsocksKey) {
        method = key.method
        keys = [key]
    }

    /// Key and salt length in bytes.
    public var keyLength: Int { method.keyLength }

    /// Whether the method is Shadowsocks 2022 (UDP then needs ``Shadowsocks2022UDPServer``
    /// rather than ``ShadowsocksClassicUDP``).
    public var is2022: Bool { method.is2022 }

    /// The first non-nil `attempt` over the user indices, trying `hint` (such as the user of the
    /// previous packet from the same peer) before the others.
    package func firstMatch<Result>(hint: Int? = nil, _ attempt: (Int) -> Result?) -> Result? {
        if let hint, keys.indices.contains(hint), let result = attempt(hint) { return result }
        for index in keys.indices where index != hint {
            if let result = attempt(index) { return result }
        }
        return nil
    }
}
