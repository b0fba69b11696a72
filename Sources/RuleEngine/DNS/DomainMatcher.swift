/// Finds the domain rule a DNS query name falls under.
///
/// A rule name matches itself and every name below it: `example.com` matches `example.com`
/// and `www.example.com`, never `badexample.com`. A leading `*.` says the same thing
/// (`*.example.com` also matches `example.com`), since the rule captures a site, and a site's
/// apex and its subdomains are served alike; a rule for subdomains only would leave the apex
/// leaking past the capture. Matching ignores case and trailing dots. A name that is empty
/// after that (`*.` or `.`) would match every query and is ignored.
///
/// Where several rules match, the first in ``CaptureRule/precedes(_:_:)`` order wins, whatever
/// the depth of the match: priority decides, as it does for address rules.
public struct DomainMatcher: Sendable {
    /// The domain rules, sorted by ``CaptureRule/precedes(_:_:)``.
    public let rules: [CaptureRule]
    /// Each normalised rule name and the index in ``rules`` of the first rule that lists it.
    private let firstRuleByName: [String: Int]

    /// A matcher over the domain rules among `rules`; address rules are left out. The rules
    /// are sorted here, so callers need not.
    public init(rules: [CaptureRule]) {
        self.rules = rules.filter(\.isDomainRule)
            .sorted(by: CaptureRule.precedes)
        var firstRuleByName: [String: Int] = [:]
        for (index, rule) in self.rules.enumerated() {
            guard case .domains(let names) = rule.targets else { continue }
            for name in names {
                let key = Self.normalised(name)
                guard !key.isEmpty, firstRuleByName[key] == nil else { continue }
                firstRuleByName[key] = index
            }
        }
        self.firstRuleByName = firstRuleByName
    }

    /// A matcher with no rules: every name goes the unmatched way.
    public static let empty = DomainMatcher(rules: [])

    /// The first rule whose names match `name` (itself or a parent of it), or `nil`.
    ///
    /// Costs one dictionary lookup per label of `name`, however many rules there are.
    public func rule(for name: String) -> CaptureRule? {
        var candidate = Substring(Self.normalised(name))
        var best: Int?
        while !candidate.isEmpty {
            if let index = firstRuleByName[String(candidate)], index < best ?? Int.max { best = index }
            guard let dot = candidate.firstIndex(of: ".") else { break }
            candidate = candidate[candidate.index(after: dot)...]
        }
        return best.map { rules[$0] }
    }

    /// Lower case, without trailing dots or a leading `*.`.
    static func normalised(_ name: String) -> String {
        var text = Substring(name.lowercased())
        while text.hasSuffix(".") { text.removeLast() }
        if text.hasPrefix("*.") { text.removeFirst(2) } else if text == "*" { text = "" }
        return String(text)
    }
}
