public import Addressing

extension DNSMessage {
    /// The most aliases followed from a question's name; real chains are a few links long, and
    /// a bound keeps a looping chain from doing any harm.
    static let maximumAliasChain = 16

    /// The A and AAAA addresses this answer gives for `name`, and the least TTL among them.
    ///
    /// Only records on the alias chain that starts at `name` count (`name`, then each CNAME
    /// target in turn), in class IN: an address for an unrelated name in the same answer is not
    /// what the client will connect to for `name`, and learning it would let one answer steer
    /// other traffic into a rule.
    ///
    /// - Returns: the distinct addresses in answer order, and the least effective TTL in
    ///   seconds (RFC 2181 §8); `nil` when there is none.
    public func addresses(for name: String) -> (addresses: [IPAddress], ttl: Int)? {
        var owners: Set<String> = [Self.normalised(name)]
        var current = Self.normalised(name)
        for _ in 0..<Self.maximumAliasChain {
            guard let next = answers.first(where: { $0.recordClass == DNSRecord.internetClass && $0.name == current
                                                    && $0.type == .cname })
            else { break }
            guard case .alias(let target) = next.data, owners.insert(target).inserted else { break }
            current = target
        }
        var addresses: [IPAddress] = []
        var least = Int.max
        for record in answers where record.recordClass == DNSRecord.internetClass && owners.contains(record.name) {
            guard case .address(let address) = record.data else { continue }
            if !addresses.contains(address) { addresses.append(address) }
            least = min(least, record.effectiveTTL)
        }
        return addresses.isEmpty ? nil : (addresses, least)
    }

    /// Lower case, without a trailing dot: the form ``DNSQuestion/name`` and ``DNSRecord/name`` have.
    static func normalised(_ name: String) -> String {
        var text = name.lowercased()
        while text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
