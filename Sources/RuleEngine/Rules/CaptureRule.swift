public import Addressing
public import LinuxNet
public import Routing

/// One enabled `rules[]` entry as the engine applies it: what it captures and where the flows go.
public struct CaptureRule: Hashable, Sendable {
    /// What a rule matches.
    public enum Targets: Hashable, Sendable {
        /// Addresses, as inclusive ranges (a single address or a CIDR is a range too).
        case addresses([AddressRange])
        /// Names; each also matches its subdomains (`example.com` matches `www.example.com`),
        /// and a leading `*.` says the same explicitly.
        case domains([String])
    }

    public var id: String
    /// Higher wins where targets overlap; equal priorities are ordered by id.
    public var priority: Int
    public var targets: Targets
    public var exit: ExitRoute

    public init(id: String, priority: Int, targets: Targets, exit: ExitRoute) {
        self.id = id
        self.priority = priority
        self.targets = targets
        self.exit = exit
    }

    /// Whether the rule's targets are names, whose addresses DNS answers teach.
    public var isDomainRule: Bool {
        if case .domains = targets { return true }
        return false
    }

    /// Whether an address rule's targets hold `address` (a domain rule holds what DNS taught
    /// the capture table, not known here).
    public func holds(_ address: IPAddress) -> Bool {
        guard case .addresses(let ranges) = targets else { return false }
        return ranges.contains { $0.contains(address.bytes) }
    }

    /// The order rules are consulted in, by the kernel's chains and by the listeners alike.
    public static func precedes(_ a: CaptureRule, _ b: CaptureRule) -> Bool {
        a.priority != b.priority ? a.priority > b.priority : a.id < b.id
    }
}
