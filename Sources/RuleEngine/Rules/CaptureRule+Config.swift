public import ScaleConfig
import Routing

extension CaptureRule {
    /// The enabled rules of `config` in the order they are consulted. Targets that do not parse
    /// are left out (validation has refused such a file before it gets here).
    public static func all(in config: Config) -> [CaptureRule] {
        config.rules.filter(\.isEnabled).compactMap { rule -> CaptureRule? in
            let targets: Targets
            switch RuleType(spelling: rule.type) {
            case .ip: targets = .addresses(rule.targets.compactMap(AddressRange.init(target:)))
            case .domain: targets = .domains(rule.targets.map { $0.lowercased() })
            case nil: return nil
            }
            return CaptureRule(id: rule.id, priority: rule.priority, targets: targets,
                               exit: ExitRoute(via: rule.exitVia, paths: rule.exitPaths, mode: rule.exitMode,
                                               fallback: rule.fallback))
        }
        .sorted(by: precedes)
    }
}

extension AddressRange {
    /// A rule target: an address, a CIDR (host bits ignored) or `start-end`.
    public init?(target: String) {
        if let address = IPAddress(target) {
            self.init(address, address)
        } else if let network = IPNetwork(target) {
            let bytes = network.address.bytes
            func edge(_ fill: UInt8) -> IPAddress? {
                IPAddress(bytes: bytes.enumerated().map { index, byte in
                    let kept = max(0, min(8, network.prefixLength - index * 8))
                    let hostBits: UInt8 = kept == 8 ? 0 : 0xff >> kept
                    return (byte & ~hostBits) | (fill & hostBits)
                })
            }
            guard let low = edge(0), let high = edge(0xff) else { return nil }
            self.init(low, high)
        } else if let range = IPRange(target) {
            self.init(range.lowerBound, range.upperBound)
        } else {
            return nil
        }
    }
}
