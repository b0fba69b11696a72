/// One rule: an id that names it in plans and comments, and its statements in order.
public struct NftRule: Hashable, Sendable, CustomStringConvertible {
    /// Unique within its chain; a valid ``NftName``.
    public let id: String
    /// Run left to right; at most one verdict, and only at the end.
    public let statements: [NftStatement]

    /// A rule; checks the id and the statements' own values.
    /// - Throws: ``NftModelError`` for a bad id, interface name or set name, an empty rule, a
    ///   verdict before the end, or a tproxy address that is not 4 or 16 bytes.
    public init(id: String, _ statements: [NftStatement]) throws(NftModelError) {
        try NftName.validate(id, as: "rule id")
        guard !statements.isEmpty else { throw .badRule("rule \(id) has no statements") }
        for (index, statement) in statements.enumerated() {
            switch statement {
            case .destinationIn(let set, _): try NftName.validate(set, as: "set")
            case .inputInterface(let name), .outputInterface(let name): try NftName.validateInterface(name)
            case .tproxy(let address, _):
                guard IPFamily(addressLength: address.count) != nil else {
                    throw .badRule("rule \(id): tproxy address must be 4 or 16 bytes, got \(address.count)")
                }
            case .verdict:
                guard index == statements.count - 1 else {
                    throw .badRule("rule \(id): the verdict \"\(statement)\" must be the last statement")
                }
            case .transport, .destinationPort, .ipsecMissing, .markEquals, .transparentSocket, .setMark, .connectionMarkEquals, .setConnectionMark,
                 .masquerade: break
            }
        }
        self.id = id
        self.statements = statements
    }

    /// The rule in nft syntax, with its id as a trailing note: `ip daddr @s accept  # rule web`.
    public var description: String { "\(text)  # rule \(id)" }

    /// The statements in nft syntax, space separated.
    public var text: String { statements.map(\.description).joined(separator: " ") }

    /// The names of the sets this rule looks addresses up in.
    var referencedSets: [(name: String, family: IPFamily)] {
        statements.compactMap {
            if case .destinationIn(let set, let family) = $0 { return (set, family) }
            return nil
        }
    }
}
