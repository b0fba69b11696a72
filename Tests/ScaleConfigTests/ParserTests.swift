import Addressing
import ScaleConfig
import Testing

@Suite("value parsers")
struct ParserTests {
    @Test("IPv4 addresses", arguments: [
        ("1.2.3.4", true), ("255.255.255.255", true), ("0.0.0.0", true),
        ("256.1.1.1", false), ("01.2.3.4", false), ("1.2.3", false), ("1.2.3.4.5", false), ("a.b.c.d", false), ("", false),
        ("1..2.3", false), (".1.2.3", false), ("1.2.3.", false), ("1.2.3.4 ", false), ("1.2.3.1000", false),
        ("00.1.2.3", false), ("10.0.0.255", true), ("1.2.3.٣", false), ("+1.2.3.4", false),
    ])
    func ipv4(text: String, valid: Bool) {
        #expect((IPAddress(text) != nil) == valid)
    }

    @Test("IPv6 addresses with compression and embedded IPv4", arguments: [
        ("::", "::"), ("::1", "::1"), ("2001:db8::1", "2001:db8::1"), ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"),
        ("::ffff:1.2.3.4", "::ffff:102:304"), ("fe80::1:2", "fe80::1:2"), ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"),
    ])
    func ipv6(text: String, printed: String) throws {
        let address = try #require(IPAddress(text))
        #expect(!address.isIPv4)
        #expect(address.description == printed)
    }

    @Test("invalid IPv6", arguments: [":::", "1::2::3", "1:2:3:4:5:6:7:8:9", "12345::", "::g", "fe80::1%eth0", "1:2:3:4:5:6:7", ":1::2"])
    func invalidIPv6(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test("CIDRs and ranges")
    func networks() {
        #expect(IPNetwork("10.0.0.1/24")?.prefixLength == 24)
        #expect(IPNetwork("2001:db8::/32") != nil)
        #expect(IPNetwork("10.0.0.0/33") == nil)
        #expect(IPNetwork("10.0.0.0") == nil)
        #expect(IPNetwork("10.0.0.0/") == nil)
        #expect(IPRange("10.0.0.1-10.0.0.9") != nil)
        #expect(IPRange("10.0.0.9-10.0.0.1") == nil)
        #expect(IPRange("10.0.0.1-::1") == nil)
    }

    @Test("listen addresses")
    func listen() throws {
        let v4 = try ListenAddress.parse("0.0.0.0:443").get()
        #expect(v4.port == 443 && v4.isWildcard)
        let v6 = try ListenAddress.parse("[::]:443").get()
        #expect(v6.host == "::" && v6.isWildcard && v6.description == "[::]:443")
        #expect(try ListenAddress.parse(":1080").get().host == "")
        #expect(try ListenAddress.parse("example.com:80").get().isWildcard == false)
        let hopping = try ListenAddress.parse("host:5565,44000-45000", allowsPortHopping: true).get()
        #expect(hopping.port == 5565 && hopping.portRanges == [5565...5565, 44000...45000])
        for bad in ["0.0.0.0:99999", "0.0.0.0", ":::443", "[::1:443", "host:0", "host:5565,44000-45000", "a b:1", "300.1.1.1:1"] {
            #expect(throws: ParseFailure.self) { try ListenAddress.parse(bad).get() }
        }
        #expect(throws: ParseFailure.self) { try ListenAddress.parse("h:45000-44000", allowsPortHopping: true).get() }
        #expect(throws: ParseFailure.self) { try ListenAddress.parse(":443", requiresHost: true).get() }
    }

    @Test("exit paths")
    func exitPaths() throws {
        let names: Set<String> = ["home", "ea1b2adb"]
        #expect(try ExitPath.parse("", selfNames: names).get().isDirect)
        #expect(try ExitPath.parse("hk/tokyo", selfNames: names).get().hops == ["hk", "tokyo"])
        #expect(try ExitPath.parse("home/hk", selfNames: names).get().hops == ["hk"])
        #expect(try ExitPath.parse("hk/tokyo", selfNames: names).get().lastHop == "tokyo")
        for bad in ["hk//tokyo", "/hk", "hk/", "hk /x", "hk/tokyo/hk", "hk/home"] {
            #expect(throws: ParseFailure.self) { try ExitPath.parse(bad, selfNames: names).get() }
        }
    }

    @Test("base64 WireGuard keys")
    func keys() {
        #expect(WireGuardKey.decode(zeroKey) == Array(repeating: 0, count: 32))
        #expect(WireGuardKey.decode(oneKey) == Array(repeating: 1, count: 32))
        #expect(WireGuardKey.decode("AAAA") == nil)
        #expect(WireGuardKey.decode(String(zeroKey.dropLast())) == nil)
        #expect(WireGuardKey.decode("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB=") == nil)
        #expect(WireGuardKey.decode("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA-=") == nil)
        #expect(Base64.decode("aGVsbG8=") == Array("hello".utf8))
        #expect(Base64.decode("aGVsbA==") == Array("hell".utf8))
    }

    @Test("expiry dates", arguments: [
        ("2025-06-01", Int64(1_748_736_000)), ("2025-06-01T00:00:00Z", 1_748_736_000),
        ("2025-06-01T08:00:00+08:00", 1_748_736_000), ("2025-06-01 00:00:00.5z", 1_748_736_000),
        ("2024-02-29", 1_709_164_800), ("1970-01-01T00:00:00-00:30", 1800),
    ])
    func expiry(text: String, seconds: Int64) {
        #expect(ExpiryDate.parse(text)?.secondsSinceEpoch == seconds)
    }

    @Test("bad expiry dates", arguments: ["2025-13-01", "2025-02-29", "2025-6-1", "2025-06-01T25:00:00Z", "2025-06-01T00:00:00", "tomorrow", "2025-06-01T00:00:00+0800"])
    func badExpiry(text: String) {
        #expect(ExpiryDate.parse(text) == nil)
    }

    @Test("enums list their spellings")
    func enums() {
        #expect(ExitMode(spelling: "direct") == .direct)
        #expect(ExitMode(spelling: "stability") == .quality)
        #expect(ExitMode.isLegacy("speed"))
        #expect(ProxyProtocol(spelling: "") == .socks5)
        #expect(RuleType.acceptedList == "\"ip\" or \"domain\"")
        #expect(ShadowsocksMethod.acceptedSpellings.contains("2022-blake3-aes-256-gcm"))
        #expect(DNSServer("[2606:4700::1111]:5353")?.port == 5353)
        #expect(DNSServer("1.1.1.1")?.port == 53)
        #expect(DNSServer("dns.google") == nil)
    }
}
