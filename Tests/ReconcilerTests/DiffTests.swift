import Reconciler
import Testing

@Suite("diff: desired against observed")
struct DiffTests {
    static let a = FakeListener(listen: "0.0.0.0:1080", protocolName: "socks5")
    static let aHTTP = FakeListener(listen: "0.0.0.0:1080", protocolName: "http")
    static let b = FakeListener(listen: "0.0.0.0:8080", protocolName: "http")
    static let c = FakeListener(listen: "127.0.0.1:9000", protocolName: "socks5")

    static let cases: [(desired: [FakeListener], observed: [FakeListener], plan: [String])] = [
        ([], [], []),
        ([a, b], [b, a], []),
        ([a], [], ["+ socks5 0.0.0.0:1080"]),
        ([], [a], ["- socks5 0.0.0.0:1080"]),
        ([aHTTP], [a], ["~ socks5 0.0.0.0:1080 -> http 0.0.0.0:1080"]),
        ([c, b], [a, c], ["+ http 0.0.0.0:8080", "- socks5 0.0.0.0:1080"]),
        ([c, aHTTP, b], [c, b, a], ["~ socks5 0.0.0.0:1080 -> http 0.0.0.0:1080"]),
    ]

    @Test("plans list creates and updates before deletes, each sorted by key", arguments: cases)
    func table(_ example: (desired: [FakeListener], observed: [FakeListener], plan: [String])) {
        let plan = diff(desired: example.desired, observed: example.observed)
        #expect(plan.changes.map(\.description) == example.plan)
        #expect(plan.isEmpty == example.plan.isEmpty)
    }

    @Test("applying a plan and diffing again gives an empty plan")
    func idempotent() {
        for example in Self.cases {
            var system = Dictionary(uniqueKeysWithValues: example.observed.map { ($0.key, $0) })
            for change in diff(desired: example.desired, observed: example.observed).changes {
                switch change {
                case .create(let r), .update(_, let r): system[r.key] = r
                case .delete(let r): system[r.key] = nil
                }
            }
            #expect(diff(desired: example.desired, observed: Array(system.values)).isEmpty)
        }
    }

    @Test("a plan prints one line per change, or says there are none")
    func printable() {
        #expect(diff(desired: [Self.a], observed: [Self.a]).description == "no changes")
        #expect(diff(desired: [Self.a, Self.b], observed: []).description
                == "+ socks5 0.0.0.0:1080\n+ http 0.0.0.0:8080")
    }

    private struct InUse: Error, CustomStringConvertible {
        var description: String { "address in use" }
    }

    @Test("applyEach applies the changes in order; a failed one says why and the later ones still run")
    func applyEach() async {
        let plan = diff(desired: [Self.a, Self.c], observed: [Self.b])
        var seen: [String] = []
        let outcomes = await plan.applyEach { change in
            seen.append(change.description)
            if change.key == Self.a.key { throw InUse() }
        }
        #expect(seen == plan.changes.map(\.description))
        #expect(outcomes.map(\.isFailure) == [true, false, false])
        #expect(outcomes.map(\.failureReason) == ["address in use", nil, nil])
        #expect(outcomes.first?.description == "+ socks5 0.0.0.0:1080  FAILED: address in use")
    }
}
