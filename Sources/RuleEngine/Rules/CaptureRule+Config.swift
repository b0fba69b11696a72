public import ScaleConfig
import LinuxNet
import Routing

extension CaptureRule {
    /// The enabled rules of `config` in the order they are consulted. Targets that do not parse
    /// are left out (validation has refused such a file before it gets here).
    public static func all(in config: Config) -> [CaptureRule] {
        config.rules.filter(\.isEnabled).compactMap { rule -> CaptureRule? in
            let targets: Targets
            switch RuleType(spelling: rule.type) {
            case .ip: targets = .addresses(rule.targets.compactMap { try? AddressRange(parsing: $0) })
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
