import LinuxNet
import Testing

@Suite struct AddressBlocksTests {
    @Test(arguments: [
        ("10.0.0.1-10.0.0.6", ["10.0.0.1", "10.0.0.2/31", "10.0.0.4/31", "10.0.0.6"]),
        ("10.0.0.0/8", ["10.0.0.0/8"]),
        ("0.0.0.0-255.255.255.255", ["0.0.0.0/0"]),
        ("192.0.2.255-192.0.3.0", ["192.0.2.255", "192.0.3.0"]),
        ("2001:db8::-2001:db8::2", ["2001:db8::/127", "2001:db8::2"]),
        ("::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", ["::/0"]),
    ])
    func aRangeIsCoveredByTheFewestBlocks(range: String, blocks: [String]) throws {
        #expect(try AddressRange(parsing: range).blocks.map(\.description) == blocks)
    }

    @Test func namePartsAreValidStableAndDistinct() throws {
        #expect(NftName.part(for: "web") == "web")
        let hyphen = NftName.part(for: "ip-1a2b3c4d"), underscore = NftName.part(for: "ip_1a2b3c4d")
        #expect(hyphen != underscore)
        #expect(hyphen == NftName.part(for: "ip-1a2b3c4d"))
        for text in ["ip-1a2b3c4d", "日本", "", String(repeating: "x", count: 300), "a b/c"] {
            let set = try NftSet.timeouts("r_\(NftName.part(for: text))_v4", of: .ipv4)
            #expect(set.name.utf8.count <= 64)
        }
    }
}
