import Addressing
import LinuxNet
import RuleEngine
import Routing
import ScaleConfig
import Testing

@Suite struct CaptureRuleTests {
    private func address(_ text: String) throws -> IPAddress { try #require(IPAddress(text)) }

    @Test func higherPriorityComesFirstThenId() {
        let a = CaptureRule(id: "b", priority: 5, targets: .domains(["x.test"]), exit: .direct)
        let b = CaptureRule(id: "a", priority: 1, targets: .domains(["x.test"]), exit: .direct)
        let c = CaptureRule(id: "a", priority: 5, targets: .domains(["x.test"]), exit: .direct)
        #expect([b, a, c].sorted(by: CaptureRule.precedes).map(\.id) == ["a", "b", "a"])
        #expect([b, a, c].sorted(by: CaptureRule.precedes).map(\.priority) == [5, 5, 1])
    }

    @Test func anAddressRuleHoldsItsRangesEndsAndOnlyItsFamily() throws {
        let rule = CaptureRule(id: "r", priority: 0, targets: .addresses([try AddressRange(parsing: "10.0.0.5-10.0.0.9")]),
                               exit: .direct)
        #expect(rule.holds(try address("10.0.0.5")))
        #expect(rule.holds(try address("10.0.0.9")))
        #expect(!rule.holds(try address("10.0.0.10")))
        #expect(!rule.holds(try address("::ffff:10.0.0.6")))
    }
}
