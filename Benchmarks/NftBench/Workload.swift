import LinuxNet
import Routing
import RuleEngine

/// The benchmark's tables. Targets are pseudo-random but the same in every run (a fixed-seed
/// generator).
/// - one rule: one interval set of 10,000 IPv4 targets and the chains of a capture setup;
/// - many rules: 10,000 rules of 10 targets each (100,000 targets), laid out by `RulePlan` as
///   the node lays out a config's rules: a set per rule and its rules in prerouting and output.
enum Workload {
    static let targetCount = 10_000
    static let setName = "r_bench_v4"
    static let ruleCount = 10_000
    static let targetsPerRule = 10

    /// 60% single addresses, 25% CIDR blocks (/22 to /30), 15% short `a-b` ranges, spread over
    /// the unicast space; overlaps are merged by the model, as they would be from a config.
    static func targets(count: Int = targetCount, seed: UInt64 = 0x6879_7363_616c_65) throws -> [AddressRange] {
        var generator = SeededGenerator(seed: seed)
        var ranges: [AddressRange] = []
        for _ in 0..<count {
            let base = UInt32.random(in: 0x0100_0000...0xDFFF_FFFF, using: &generator)
            let kind = Int.random(in: 0..<100, using: &generator)
            if kind < 60 {
                ranges.append(try AddressRange(address: bytes(base)))
            } else if kind < 85 {
                ranges.append(try AddressRange(network: bytes(base), prefixLength: Int.random(in: 22...30, using: &generator)))
            } else {
                let length = UInt32.random(in: 2...50, using: &generator)
                ranges.append(try AddressRange(first: bytes(base), last: bytes(base + length)))
            }
        }
        return ranges
    }

    static func table(targets: [AddressRange]) throws -> NftTable {
        let capture = OwnedNames.captureMark, bypass = OwnedNames.bypassMark
        let set = try NftSet.intervals(setName, of: .ipv4, targets)
        let dns = try NftSet.timeouts("d_bench_v4", of: .ipv4)
        let prerouting = try NftChain(name: "prerouting", hook: .init(type: .filter, hook: .prerouting, priority: -150), rules: [
            try NftRule(id: "bypass", [.markEquals(bypass), .verdict(.return)]),
            try NftRule(id: "bench_tcp", [.destinationIn(set: setName, family: .ipv4), .transport(.tcp),
                                          .tproxy(address: [127, 0, 0, 1], port: 12380), .setMark(capture), .verdict(.accept)]),
            try NftRule(id: "bench_udp", [.destinationIn(set: setName, family: .ipv4), .transport(.udp),
                                          .tproxy(address: [127, 0, 0, 1], port: 12380), .setMark(capture), .verdict(.accept)]),
            try NftRule(id: "dns", [.destinationIn(set: "d_bench_v4", family: .ipv4), .transport(.tcp),
                                    .tproxy(address: [127, 0, 0, 1], port: 12381), .setMark(capture), .verdict(.accept)]),
        ])
        let output = try NftChain(name: "output", hook: .init(type: .route, hook: .output, priority: -150), rules: [
            try NftRule(id: "own", [.markEquals(bypass), .verdict(.return)]),
            try NftRule(id: "bench", [.destinationIn(set: setName, family: .ipv4), .setMark(capture)]),
        ])
        return try NftTable(sets: [set, dns], chains: [prerouting, output])
    }

    /// The node's table for `ruleCount` capture rules of `targetsPerRule` targets each.
    static func ruleTable(extra: AddressRange? = nil) throws -> NftTable {
        let all = try targets(count: ruleCount * targetsPerRule, seed: 0x7275_6c65_73)
        let rules = (0..<ruleCount).map { index in
            var own = Array(all[index * targetsPerRule..<(index + 1) * targetsPerRule])
            if index == 0, let extra { own.append(extra) }
            return CaptureRule(id: "rule\(index)", priority: 0, targets: .addresses(own), exit: ExitRoute(paths: ["exit"]))
        }
        let plan = RulePlan(rules: rules, tunnelIDs: [], peerAddresses: ["192.0.2.1:443"], tunnelsAvailable: false)
        guard let table = try plan.table(exitSlots: []) else { throw Failure(description: "the rule plan made no table") }
        return table
    }

    static func bytes(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}

/// SplitMix64, so the workload is the same on every run and machine.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
