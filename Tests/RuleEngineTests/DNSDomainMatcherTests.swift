import RuleEngine
import Routing
import Testing

@Suite struct DNSDomainMatcherTests {
    private func rule(_ id: String, priority: Int = 0, _ names: [String]) -> CaptureRule {
        CaptureRule(id: id, priority: priority, targets: .domains(names), exit: ExitRoute(paths: [id]))
    }

    @Test("a name matches itself and its subdomains, never a look-alike")
    func subdomains() {
        let matcher = DomainMatcher(rules: [rule("gh", ["github.com"])])
        #expect(matcher.rule(for: "github.com")?.id == "gh")
        #expect(matcher.rule(for: "api.github.com")?.id == "gh")
        #expect(matcher.rule(for: "a.b.github.com")?.id == "gh")
        #expect(matcher.rule(for: "notgithub.com") == nil)
        #expect(matcher.rule(for: "github.com.evil.test") == nil)
        #expect(matcher.rule(for: "com") == nil)
    }

    @Test("a leading *. means the name and its subdomains")
    func wildcard() {
        let matcher = DomainMatcher(rules: [rule("gh", ["*.GitHub.com."])])
        #expect(matcher.rule(for: "github.com")?.id == "gh")
        #expect(matcher.rule(for: "Raw.GITHUB.com.")?.id == "gh")
    }

    @Test("names that would match everything are ignored")
    func rootNames() {
        let matcher = DomainMatcher(rules: [rule("all", ["*.", ".", "*", ""])])
        #expect(matcher.rule(for: "example.com") == nil)
        #expect(matcher.rule(for: "") == nil)
    }

    @Test("priority decides between overlapping rules, then id, whatever the depth")
    func precedence() {
        let broad = rule("broad", priority: 10, ["example.com"])
        let narrow = rule("narrow", priority: 1, ["www.example.com"])
        let twin = rule("a-twin", priority: 10, ["example.com"])
        let matcher = DomainMatcher(rules: [narrow, broad, twin])
        #expect(matcher.rule(for: "www.example.com")?.id == "a-twin")
        #expect(DomainMatcher(rules: [narrow, rule("low", priority: 0, ["example.com"])]).rule(for: "www.example.com")?.id == "narrow")
    }

    @Test("address rules are left out")
    func addressRules() throws {
        let ip = CaptureRule(id: "ip", priority: 99, targets: .addresses([]), exit: .direct)
        let matcher = DomainMatcher(rules: [ip, rule("d", ["x.test"])])
        #expect(matcher.rules.map(\.id) == ["d"])
        #expect(matcher.rule(for: "x.test")?.id == "d")
    }

    @Test("an escaped dot inside a label does not separate labels")
    func escapedDot() {
        let matcher = DomainMatcher(rules: [rule("ex", ["example.com"])])
        #expect(matcher.rule(for: #"evil\046example.com"#) == nil)
        #expect(matcher.rule(for: #"evil\046x.example.com"#)?.id == "ex")
    }
}
