import NIOCore
import RuleEngine

/// The DNS forwarder's message codec (RFC 1035): `DNSMessage(parsing:)` on queries and answers
/// from the network, the refusals it builds from a query, and the addresses it learns.
///
/// Input: a mode byte; mode 0 reads the rest as a message, mode 1 chooses a name to query.
enum DNSHarness: FuzzHarness {
    static let name = "dns"
    static let summary = "DNSMessage: counts and names as promised; refusals parse and echo the question; queries read back"

    static func run(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        switch input.byte() % 2 {
        case 0:
            message(input.rest())
        default:
            let name = input.bool() ? input.text(upTo: 300) : (0..<input.int(in: 0...8)).map { _ in
                String(repeating: "a", count: input.int(in: 0...70))
            }.joined(separator: ".")
            let type = DNSRecordType(rawValue: input.integer(UInt16.self))
            guard let query = try? DNSMessage.query(id: 0x1234, name: name, type: type) else { return }
            guard let parsed = try? DNSMessage(parsing: query) else {
                require(false, "query for \(clip(name)) does not parse")
                return
            }
            let expected = String(name.lowercased().reversed().drop(while: { $0 == "." }).reversed())
            require(parsed.questions.map(\.name) == [expected] || name.unicodeScalars.contains { $0.value < 0x21 || $0.value > 0x7E || $0 == "\\" },
                    "query for \(clip(name)) reads back as \(clip(parsed.questions))")
            message(Array(buffer: query))
        }
    }

    private static func message(_ bytes: [UInt8]) {
        let buffer = ByteBuffer(bytes: bytes)
        let message: DNSMessage
        do throws(DNSMessageError) {
            message = try DNSMessage(parsing: buffer)
        } catch {
            require(!error.detail.isEmpty, "a DNS error without detail")
            refusal(of: buffer, parsed: nil)
            return
        }
        require(message.questions.count == Int(message.header.questionCount) && message.answers.count == Int(message.header.answerCount),
                "counts \(message.header.questionCount)/\(message.header.answerCount) but \(message.questions.count)/\(message.answers.count) read")
        for name in message.questions.map(\.name) + message.answers.map(\.name) {
            require(!name.hasSuffix(".") && !name.unicodeScalars.contains { ("A"..."Z").contains($0) || !$0.isASCII || $0.value < 0x21 },
                    "name \(clip(name)) is not in lower-case presentation form")
            require(name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty } || name.isEmpty,
                    "name \(clip(name)) has an empty label")
        }
        for question in message.questions {
            if let learned = message.addresses(for: question.name) {
                require(!learned.addresses.isEmpty && learned.ttl >= 0 && Set(learned.addresses).count == learned.addresses.count,
                        "learned \(learned.addresses) ttl \(learned.ttl)")
            }
        }
        refusal(of: buffer, parsed: message)
    }

    /// The answer a forwarder sends when it refuses `query`.
    private static func refusal(of query: ByteBuffer, parsed: DNSMessage?) {
        guard let answer = DNSMessage.answer(rejecting: query, with: .refused) else {
            require(query.readableBytes < 12, "no refusal for a query with a header")
            return
        }
        guard let reply = try? DNSMessage(parsing: answer) else {
            require(false, "a refusal does not parse")
            return
        }
        require(reply.header.isResponse && reply.header.responseCode == .refused && reply.answers.isEmpty,
                "refusal header \(reply.header)")
        if let parsed, parsed.questions.count == 1 {
            require(reply.questions == parsed.questions, "refusal questions \(clip(reply.questions)) for \(clip(parsed.questions))")
        } else {
            require(reply.questions.isEmpty, "a refusal echoes questions of a query without exactly one")
        }
        if let header = try? DNSHeader(parsing: query) {
            require(reply.header.id == header.id, "refusal id \(reply.header.id) for query \(header.id)")
        }
    }

    static var seeds: [(label: String, bytes: [UInt8])] {
        func hex(_ text: String) -> [UInt8] {
            var bytes: [UInt8] = []
            var digits = text.filter(\.isHexDigit).makeIterator()
            while let high = digits.next(), let low = digits.next() {
                bytes.append(UInt8(String([high, low]), radix: 16) ?? 0)
            }
            return bytes
        }
        return [
            ("query", [0] + hex("1234 0100 0001 0000 0000 0000 07 4578616d706c65 03 636f6d 00 0001 0001")),
            ("answer-cname", [0] + hex("""
                abcd 8180 0001 0002 0000 0000 03 777777 07 6578616d706c65 03 636f6d 00 0001 0001
                c00c 0005 0001 0000 0e10 0002 c010
                c010 0001 0001 0000 003c 0004 5db8d822
                """)),
            ("answer-aaaa", [0] + hex("0001 8180 0001 0001 0000 0000 01 61 00 001c 0001 c00c 001c 0001 8000 0000 0010 20010db8000000000000000000000001")),
            ("made-query", [1, 1, 11] + Array("Example.COM".utf8) + [28, 0]),
        ]
    }
}
