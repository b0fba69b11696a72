@testable import LinuxNet
import Reconciler
import Testing

@Suite struct NftModelTests {
    @Test("interval input is sorted, and overlapping and adjacent ranges are merged")
    func normalisation() throws {
        let set = try NftSet.intervals("s", of: .ipv4, parsing: ["10.0.1.0/24", "10.0.0.0/24", "10.0.0.7", "10.0.3.0-10.0.3.9",
                                                                 "10.0.3.5-10.0.4.0", "9.255.255.255", "1.1.1.1"])
        #expect(set.elements.map(\.description) == ["1.1.1.1", "9.255.255.255-10.0.1.255", "10.0.3.0-10.0.4.0"])
    }

    @Test("ranges parse from CIDRs, single addresses and a-b forms of both families, and print back")
    func parsing() throws {
        #expect(try AddressRange(parsing: "10.1.2.3/8").description == "10.0.0.0/8")
        #expect(try AddressRange(parsing: " 10.0.0.1 - 10.0.0.9 ").description == "10.0.0.1-10.0.0.9")
        #expect(try AddressRange(parsing: "10.0.0.0-10.0.0.255").description == "10.0.0.0/24")
        #expect(try AddressRange(parsing: "2001:db8::1/32").description == "2001:db8::/32")
        #expect(try AddressRange(parsing: "::/0").last == [UInt8](repeating: 0xFF, count: 16))
        #expect(throws: NftModelError.self) { try AddressRange(parsing: "10.0.0.9-10.0.0.1") }
        #expect(throws: NftModelError.self) { try AddressRange(parsing: "10.0.0.0/33") }
        #expect(throws: NftModelError.self) { try AddressRange(parsing: "10.0.0.1-::1") }
        #expect(throws: NftModelError.self) { try AddressRange(parsing: "example.com") }
    }

    @Test("a range of the wrong family in a set is refused")
    func wrongFamily() {
        #expect(throws: NftModelError.self) { try NftSet.intervals("s", of: .ipv6, parsing: ["10.0.0.1"]) }
    }

    @Test("bad names, ids and interfaces are rejected with a message saying what is allowed",
          arguments: [
              ("set", "1set", "must start with a letter"),
              ("set", "web-set", "contains \"-\""),
              ("set", String(repeating: "a", count: 65), "at most 64"),
              ("set", "", "empty"),
              ("rule", "has space", "contains \" \""),
              ("rule", "quote\"d", "contains \"\"\""),
              ("iface", "averyveryverylongname", "1 to 15 bytes"),
              ("iface", "a b", "space"),
              ("iface", "pp*p", "only a trailing *"),
              ("chain", "pré", "byte 0xc3"),
          ])
    func badNames(kind: String, name: String, message: String) {
        do {
            switch kind {
            case "set": _ = try NftSet.timeouts(name, of: .ipv4)
            case "rule": _ = try NftRule(id: name, [.verdict(.accept)])
            case "iface": _ = try NftRule(id: "r", [.inputInterface(name), .verdict(.accept)])
            default: _ = try NftChain(name: name, rules: [])
            }
            Issue.record("\(kind) name \(name) was accepted")
        } catch {
            #expect(error.description.contains(message), "\(error.description)")
        }
    }

    @Test("a table refuses duplicate names, lookups of missing sets and of sets of the other family")
    func tableConsistency() throws {
        let v4 = try NftSet.timeouts("s", of: .ipv4)
        let lookup6 = try NftRule(id: "r", [.destinationIn(set: "s", family: .ipv6), .verdict(.accept)])
        let lookupMissing = try NftRule(id: "r", [.destinationIn(set: "nope", family: .ipv4), .verdict(.accept)])
        #expect(throws: NftModelError.self) { try NftTable(sets: [v4, v4]) }
        #expect(throws: NftModelError.self) { try NftTable(sets: [v4], chains: [try NftChain(name: "c", rules: [lookup6])]) }
        #expect(throws: NftModelError.self) { try NftTable(sets: [v4], chains: [try NftChain(name: "c", rules: [lookupMissing])]) }
        #expect(throws: NftModelError.self) { try NftChain(name: "c", rules: [lookupMissing, lookupMissing]) }
        #expect(throws: NftModelError.self) { try NftRule(id: "r", [.verdict(.accept), .masquerade]) }
    }

    @Test("rule text is nft's, and the comment changes with the rule and with the shape of its sets")
    func ruleTextAndComment() throws {
        let table = try NftSamples.table()
        let rule = try #require(table.chains.first { $0.name == "prerouting" }?.rules.first { $0.id == "web_tcp" })
        #expect(rule.description == "ip daddr @r_web_v4 meta l4proto tcp tproxy ip to 127.0.0.1:12380 meta mark set 0x00006879 accept  # rule web_tcp")
        let comment = table.comment(for: rule)
        #expect(comment.hasPrefix("web_tcp ") && comment.count == "web_tcp ".count + 16)
        #expect(try NftSamples.table(web: ["1.2.3.4"]).comment(for: rule) == comment)
        #expect(try NftSamples.table(webKind: .timeouts).comment(for: rule) != comment)
        #expect(table.descriptionLines.contains("  set r_web_v4 (ipv4_addr, interval, 3 elements)"))
    }

    @Test("interval elements read back: nft's leading end marker, ranges to the last address, any order")
    func intervalDecoding() throws {
        typealias E = IntervalElements.Element
        let elements = [E(key: [10, 0, 0, 0], isEnd: false), E(key: [0, 0, 0, 0], isEnd: true), E(key: [11, 0, 0, 0], isEnd: true),
                        E(key: [255, 0, 0, 0], isEnd: false), E(key: [11, 0, 0, 0], isEnd: false), E(key: [11, 0, 0, 1], isEnd: true)]
        #expect(IntervalElements.ranges(from: elements)?.map(\.description) == ["10.0.0.0/8", "11.0.0.0", "255.0.0.0/8"])
        #expect(IntervalElements.ranges(from: [E(key: [1, 0, 0, 0], isEnd: false), E(key: [2, 0, 0, 0], isEnd: false)]) == nil)
    }

    @Test("a one-element change becomes one removal and one addition; a teardown is one message")
    func operations() throws {
        let old = try NftSamples.table().resources
        let new = try NftSamples.table(web: NftSamples.web.dropLast() + ["172.16.0.2"]).resources
        let operations = NftOperation.operations(for: diff(desired: new, observed: old))
        #expect(operations == [.deleteElements(set: "r_web_v4", ranges: [try AddressRange(parsing: "172.16.0.1")]),
                               .addElements(set: "r_web_v4", ranges: [try AddressRange(parsing: "172.16.0.2")])])
        #expect(NftOperation.operations(for: diff(desired: [], observed: old)) == [.deleteTable])
        let summary = diff(desired: new, observed: old).changes.map(\.description)
        #expect(summary == ["~ set r_web_v4: +1 -1 (+172.16.0.2, -172.16.0.1)"])
    }
}
