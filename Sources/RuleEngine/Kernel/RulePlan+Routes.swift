public import LinuxNet

extension RulePlan {
    /// Routes and policy rules for the plan and the live exit tunnels `exitSlots`:
    /// - capture: marked packets are delivered locally, where TPROXY hands them to a listener;
    /// - TUN rules: their targets route into `hy2tun0`, at a priority from the rule's;
    /// - exit tunnels: replies marked by a tunnel's connections route back into its device.
    public func routingEntries(exitSlots: Set<Int>) -> [RoutingEntry] {
        var entries: [RoutingEntry] = []
        if capturesAnything {
            for family in IPFamily.allCases {
                entries.append(.route(Route(kind: .local, table: OwnedNames.captureRouteTable, destination: .any(family), device: "lo")))
                entries.append(.rule(PolicyRule(family: family, priority: OwnedNames.capturePriority,
                                                selector: .mark(OwnedNames.captureMark), table: OwnedNames.captureRouteTable)))
            }
        }
        var tunnelFamilies = Set<IPFamily>()
        var tunnelRules = Set<PolicyRule>()
        for rule in tunnelled {
            guard case .addresses(let ranges) = rule.targets else { continue }
            let priority = OwnedNames.tunPriority(forRulePriority: rule.priority)
            for block in ranges.flatMap(\.blocks) {
                tunnelFamilies.insert(block.family)
                tunnelRules.insert(PolicyRule(family: block.family, priority: priority, selector: .destination(block),
                                              table: OwnedNames.tunRouteTable))
            }
        }
        for family in tunnelFamilies.sorted() {
            entries.append(.route(Route(kind: .unicast, table: OwnedNames.tunRouteTable, destination: .any(family),
                                        device: TunnelEntry.deviceName)))
        }
        entries += tunnelRules.map(RoutingEntry.rule)
        for slot in exitSlots.sorted() {
            for family in IPFamily.allCases {
                entries.append(.route(Route(kind: .unicast, table: OwnedNames.exitRouteTable(slot), destination: .any(family),
                                            device: TunnelExits.deviceName(slot))))
                entries.append(.rule(PolicyRule(family: family, priority: OwnedNames.exitPriority,
                                                selector: .mark(OwnedNames.exitMark(slot)), table: OwnedNames.exitRouteTable(slot))))
            }
        }
        return entries
    }
}
