/// Why a desired nftables table cannot be built. Raised while the model is constructed, so bad
/// input never reaches the kernel; each case says what is wrong and what would be accepted.
public enum NftModelError: Error, Hashable, Sendable, CustomStringConvertible {
    case badName(String)
    case badAddress(String)
    case badRule(String)
    case inconsistent(String)

    public var description: String {
        switch self {
        case .badName(let detail), .badAddress(let detail), .badRule(let detail), .inconsistent(let detail):
            return detail
        }
    }
}
