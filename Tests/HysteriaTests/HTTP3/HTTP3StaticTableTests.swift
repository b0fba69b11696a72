import Hysteria
import Testing
import WireFormat

@Suite("QPACK static table (RFC 9204 Appendix A)")
struct HTTP3StaticTableTests {
    /// Entries checked against the RFC text one by one.
    static let spotChecks: [(Int, String, String)] = [
        (0, ":authority", ""), (1, ":path", "/"), (2, "age", "0"), (4, "content-length", "0"),
        (15, ":method", "CONNECT"), (17, ":method", "GET"), (20, ":method", "POST"), (21, ":method", "PUT"),
        (22, ":scheme", "http"), (23, ":scheme", "https"), (24, ":status", "103"), (25, ":status", "200"),
        (27, ":status", "404"), (28, ":status", "503"), (29, "accept", "*/*"), (31, "accept-encoding", "gzip, deflate, br"),
        (44, "content-type", "application/dns-message"), (52, "content-type", "text/html; charset=utf-8"),
        (53, "content-type", "text/plain"), (54, "content-type", "text/plain;charset=utf-8"),
        (61, "x-content-type-options", "nosniff"), (63, ":status", "100"), (71, ":status", "500"),
        (72, "accept-language", ""), (85, "content-security-policy", "script-src 'none'; object-src 'none'; base-uri 'none'"),
        (95, "user-agent", ""), (98, "x-frame-options", "sameorigin"),
    ]

    @Test("has 99 entries, and the spot-checked ones match the RFC")
    func entries() {
        #expect(QPACKStaticTable.entries.count == 99)
        for (index, name, value) in Self.spotChecks {
            let entry = QPACKStaticTable.entry(at: UInt64(index))
            #expect(entry?.name == name && entry?.value == value, "index \(index)")
        }
        #expect(QPACKStaticTable.entry(at: 99) == nil)
        #expect(QPACKStaticTable.entry(at: .max) == nil)
    }

    @Test("lookups find the first exact match and the first name match")
    func lookups() {
        #expect(QPACKStaticTable.index(name: ":method", value: "POST") == 20)
        #expect(QPACKStaticTable.index(name: ":status", value: "233") == nil)
        #expect(QPACKStaticTable.index(name: ":status") == 24)
        #expect(QPACKStaticTable.index(name: "content-type") == 44)
        #expect(QPACKStaticTable.index(name: "hysteria-auth") == nil)
    }

    @Test("names are lower case and every entry is distinct")
    func shape() {
        var seen = Set<String>()
        for entry in QPACKStaticTable.entries {
            #expect(entry.name == entry.name.lowercased())
            #expect(seen.insert(entry.name + "\u{0}" + entry.value).inserted)
        }
    }
}
