import Addressing
import NIOCore
import RuleEngine
import ScaleConfig
import Testing

/// Answers captured from dnsmasq 2.90 (`--address=/example.test/10.9.0.5`,
/// `--host-record=v6.example.test,2001:db8::5`, `--cname=www.alias.test,v6.example.test`,
/// `--local-ttl=120`), as hex.
enum CapturedAnswers {
    /// `WWW.Example.test A`, id 0x1234: the mixed case is echoed; the answer's name is a pointer.
    static let mixedCaseA = "12348580000100010000000003575757074578616d706c6504746573740000010001c00c000100010000007800040a090005"
    /// `v6.example.test AAAA`, id 0xbeef.
    static let aaaa = "beef85800001000100000000027636076578616d706c65047465737400001c0001c00c001c000100000078001020010db8000000000000000000000005"
    /// `www.alias.test AAAA`: a CNAME, then the AAAA whose owner is a pointer into the CNAME's data.
    static let aliasAAAA = "0a0b858000010002000000000377777705616c696173047465737400001c0001c00c00050001000000780011027636076578616d706c65047465737400c02c001c000100000078001020010db8000000000000000000000005"
    /// `nothing.invalid A` with no upstream: REFUSED, no answers.
    static let refused = "000781850001000000000000076e6f7468696e6707696e76616c69640000010001"
}

/// Bytes from hex text, for vectors.
func bytes(hex: String) -> ByteBuffer {
    var buffer = ByteBuffer()
    var index = hex.startIndex
    while index < hex.endIndex {
        let next = hex.index(index, offsetBy: 2)
        buffer.writeInteger(UInt8(hex[index..<next], radix: 16) ?? 0)
        index = next
    }
    return buffer
}

@Suite struct DNSMessageTests {
    private func address(_ text: String) throws -> IPAddress { try #require(IPAddress(text)) }

    @Test("a built query parses back to its id, flags and question")
    func queryRoundTrip() throws {
        for (name, type) in [("www.example.com", DNSRecordType.a), ("v6.example.test.", .aaaa), ("", .a)] {
            let query = try DNSMessage.query(id: 0xABCD, name: name, type: type)
            let message = try DNSMessage(parsing: query)
            #expect(message.header.id == 0xABCD)
            #expect(!message.header.isResponse)
            #expect(message.header.wantsRecursion)
            #expect(message.header.opcode == 0)
            #expect(message.questions == [DNSQuestion(name: name.hasSuffix(".") ? String(name.dropLast()) : name, type: type)])
            #expect(message.answers.isEmpty)
        }
    }

    @Test("names compare in lower case, with dots and odd bytes inside a label escaped")
    func presentationForm() throws {
        var query = ByteBuffer()
        DNSHeader(id: 1, flags: 0, questionCount: 1).write(into: &query)
        query.writeBytes([4] + Array("A.b\\".utf8) + [3, 0x00, 0x7F, 0x20] + [3] + Array("COM".utf8) + [0, 0, 1, 0, 1])
        let message = try DNSMessage(parsing: query)
        #expect(message.questions.first?.name == #"a\046b\092.\000\127\032.com"#)
    }

    @Test("a dnsmasq answer with a compressed name yields its address and TTL in lower case")
    func dnsmasqA() throws {
        let message = try DNSMessage(parsing: bytes(hex: CapturedAnswers.mixedCaseA))
        #expect(message.header.id == 0x1234)
        #expect(message.header.isResponse)
        #expect(message.header.responseCode == .noError)
        #expect(message.questions == [DNSQuestion(name: "www.example.test", type: .a)])
        #expect(message.answers == [DNSRecord(name: "www.example.test", type: .a, ttl: 120, data: .address(try address("10.9.0.5")))])
        let found = try #require(message.addresses(for: "WWW.example.TEST."))
        #expect(found.addresses == [try address("10.9.0.5")])
        #expect(found.ttl == 120)
    }

    @Test("a dnsmasq AAAA answer yields the IPv6 address")
    func dnsmasqAAAA() throws {
        let message = try DNSMessage(parsing: bytes(hex: CapturedAnswers.aaaa))
        let found = try #require(message.addresses(for: "v6.example.test"))
        #expect(found.addresses == [try address("2001:db8::5")])
        #expect(found.ttl == 120)
    }

    @Test("addresses are followed along the alias chain, and only along it")
    func aliasChain() throws {
        let message = try DNSMessage(parsing: bytes(hex: CapturedAnswers.aliasAAAA))
        #expect(message.answers.first?.data == .alias("v6.example.test"))
        #expect(message.answers.last?.name == "v6.example.test")
        #expect(message.addresses(for: "www.alias.test")?.addresses == [try address("2001:db8::5")])
        // The same records asked for another name give nothing: they do not answer it.
        #expect(message.addresses(for: "other.test") == nil)
    }

    @Test("a refusal parses with its code and no addresses")
    func refusal() throws {
        let message = try DNSMessage(parsing: bytes(hex: CapturedAnswers.refused))
        #expect(message.header.responseCode == .refused)
        #expect(message.addresses(for: "nothing.invalid") == nil)
    }

    @Test("a TTL with the top bit set counts as zero (RFC 2181 §8)")
    func topBitTTL() {
        let record = DNSRecord(name: "x", type: .a, ttl: 0x8000_0000, data: .other)
        #expect(record.effectiveTTL == 0)
        #expect(DNSRecord(name: "x", type: .a, ttl: 0x7FFF_FFFF, data: .other).effectiveTTL == Int(Int32.max))
    }

    @Test("learned TTLs are kept between a minute and a week")
    func learnedTTLClamp() throws {
        let one = [try address("10.0.0.1")]
        #expect(LearnedAddresses(ruleID: "r", name: "n", addresses: one, answerTTL: 0).ttl == 60)
        #expect(LearnedAddresses(ruleID: "r", name: "n", addresses: one, answerTTL: 300).ttl == 300)
        #expect(LearnedAddresses(ruleID: "r", name: "n", addresses: one, answerTTL: 10_000_000).ttl == 604_800)
    }

    @Test("a rejecting answer keeps the id, opcode and RD and echoes the question byte for byte")
    func rejectingAnswer() throws {
        var query = try DNSMessage.query(id: 0x4242, name: "MiXeD.example.test", type: .aaaa)
        let answer = try #require(DNSMessage.answer(rejecting: query, with: .serverFailure))
        let message = try DNSMessage(parsing: answer)
        #expect(message.header.id == 0x4242)
        #expect(message.header.isResponse)
        #expect(message.header.wantsRecursion)
        #expect(message.header.responseCode == .serverFailure)
        #expect(message.header.answerCount == 0)
        query.moveReaderIndex(forwardBy: DNSHeader.size)
        #expect(answer.getSlice(at: DNSHeader.size, length: answer.readableBytes - DNSHeader.size) == query)
    }

    @Test("a rejecting answer to an unreadable question carries no question, and none to a runt")
    func rejectingGarbage() throws {
        var garbage = ByteBuffer()
        DNSHeader(id: 9, flags: 0, questionCount: 1).write(into: &garbage)
        garbage.writeBytes([0xC0, 0xFF, 0, 1])
        let answer = try DNSMessage(parsing: try #require(DNSMessage.answer(rejecting: garbage, with: .formatError)))
        #expect(answer.header.id == 9)
        #expect(answer.header.responseCode == .formatError)
        #expect(answer.questions.isEmpty)
        #expect(DNSMessage.answer(rejecting: ByteBuffer(bytes: [1, 2, 3]), with: .formatError) == nil)
    }

    @Test("names that cannot be written are refused with a reason")
    func unwritableNames() {
        let long = String(repeating: "a", count: 64)
        #expect(throws: DNSMessageError(.badName, "")) { try DNSMessage.query(id: 1, name: "\(long).test", type: .a) }
        #expect(throws: DNSMessageError(.badName, "")) { try DNSMessage.query(id: 1, name: "a..b", type: .a) }
        let tooLong = Array(repeating: String(repeating: "b", count: 63), count: 4).joined(separator: ".")
        #expect(throws: DNSMessageError(.badName, "")) { try DNSMessage.query(id: 1, name: tooLong, type: .a) }
        #expect(throws: DNSMessageError(.badName, "")) { try DNSMessage.query(id: 1, name: #"a\.b"#, type: .a) }
    }
}
