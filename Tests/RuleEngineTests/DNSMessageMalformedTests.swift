import NIOCore
import RuleEngine
import TestSupport
import Testing

/// Bytes from a hostile network: every fault is an error value, never a trap or a hang.
@Suite struct DNSMessageMalformedTests {
    /// A header with the given counts, then `body`.
    private func message(questions: UInt16 = 1, answers: UInt16 = 0, _ body: [UInt8]) -> ByteBuffer {
        var buffer = ByteBuffer()
        DNSHeader(id: 7, flags: 0x8180, questionCount: questions, answerCount: answers).write(into: &buffer)
        buffer.writeBytes(body)
        return buffer
    }

    private func code(_ bytes: ByteBuffer) -> DNSMessageError.Code? {
        do {
            _ = try DNSMessage(parsing: bytes)
            return nil
        } catch {
            #expect(!error.detail.isEmpty)
            return error.code
        }
    }

    @Test("a header cut short is truncated", arguments: 0..<12)
    func shortHeader(length: Int) {
        #expect(code(ByteBuffer(bytes: Array(repeating: 0, count: length))) == .truncated)
    }

    @Test("a captured answer cut at any offset is an error, never a crash")
    func truncationAtEveryOffset() {
        for hex in [CapturedAnswers.mixedCaseA, CapturedAnswers.aaaa, CapturedAnswers.aliasAAAA] {
            let whole = bytes(hex: hex)
            for length in 0..<whole.readableBytes {
                let cut = whole.getSlice(at: 0, length: length) ?? ByteBuffer()
                #expect(code(cut) != nil, "cut at \(length) of \(hex)")
            }
        }
    }

    @Test("counts the bytes cannot hold are caught before anything is read")
    func lyingCounts() throws {
        let question: [UInt8] = [1, 0x61, 0, 0, 1, 0, 1]
        #expect(code(message(questions: 0xFFFF, question)) == .countMismatch)
        #expect(code(message(answers: 0xFFFF, question)) == .countMismatch)
        // A count that fits the byte budget but not the records still fails, as truncation.
        #expect(code(message(answers: 1, question + Array(repeating: 0xC0, count: 11))) != nil)
        // Authority and additional counts are not read.
        var buffer = ByteBuffer()
        DNSHeader(id: 7, flags: 0, questionCount: 1, authorityCount: 0xFFFF, additionalCount: 0xFFFF).write(into: &buffer)
        buffer.writeBytes(question)
        #expect(try DNSMessage(parsing: buffer).questions.count == 1)
    }

    @Test("a pointer to itself, forward, past the end or into the header is refused")
    func badPointers() {
        // The question name starts at 12.
        #expect(code(message([0xC0, 12, 0, 1, 0, 1])) == .badPointer)                  // itself
        #expect(code(message([0xC0, 14, 1, 0x61, 0, 0, 1, 0, 1])) == .badPointer)       // forward
        #expect(code(message([0xC0, 200, 0, 1, 0, 1])) == .badPointer)                  // past the end
        #expect(code(message([0xFF, 0xFF, 0, 1, 0, 1])) == .badPointer)                 // far past the end
        #expect(code(message([0xC0, 2, 0, 1, 0, 1])) == .badPointer)                    // into the header
        // Two pointers pointing at each other (12 -> 14 -> 12) never get past the first jump.
        #expect(code(message([0xC0, 14, 0xC0, 12, 0, 1])) == .badPointer)
        // A label, then a pointer back to that label's own start.
        #expect(code(message([1, 0x61, 0xC0, 12, 0, 1, 0, 1])) == .badPointer)
    }

    @Test("a chain of backward pointers is followed")
    func backwardChain() throws {
        // "a" at 12 ends the name; the next question is "b" + pointer to 12.
        let body: [UInt8] = [1, 0x61, 0, 0, 1, 0, 1] + [1, 0x62, 0xC0, 12, 0, 1, 0, 1]
        let parsed = try DNSMessage(parsing: message(questions: 2, body))
        #expect(parsed.questions.map(\.name) == ["a", "b.a"])
    }

    @Test("a 64-byte label and reserved label types are refused")
    func badLabels() {
        #expect(code(message([64] + Array(repeating: 0x61, count: 64) + [0, 0, 1, 0, 1])) == .badLabel)
        #expect(code(message([0x80, 0, 1, 0, 1])) == .badLabel)
    }

    @Test("a name over 255 octets is refused, directly or through pointers")
    func longNames() {
        let label: [UInt8] = [63] + Array(repeating: 0x61, count: 63)
        #expect(code(message(label + label + label + label + [0, 0, 1, 0, 1])) == .nameTooLong)
        // 254 octets plus the root is exactly 255 and passes.
        let fits: [UInt8] = label + label + label + [61] + Array(repeating: 0x62, count: 61) + [0, 0, 1, 0, 1]
        #expect(code(message(fits)) == nil)
        // A second name that adds one label to the first, through a pointer, goes over.
        let over: [UInt8] = fits + [1, 0x63, 0xC0, 12, 0, 1, 0, 1]
        #expect(code(message(questions: 2, over)) == .nameTooLong)
    }

    @Test("record data of the wrong size for its type is refused")
    func badRecordData() {
        let question: [UInt8] = [1, 0x61, 0, 0, 1, 0, 1]
        let shortA: [UInt8] = [0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 3, 10, 0, 0]
        #expect(code(message(answers: 1, question + shortA)) == .badRecordData)
        let longAAAA: [UInt8] = [0xC0, 12, 0, 28, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 1]
        #expect(code(message(answers: 1, question + longAAAA)) == .badRecordData)
        let overlong: [UInt8] = [0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0xFF, 0xFF, 10, 0, 0, 1]
        #expect(code(message(answers: 1, question + overlong)) == .truncated)
        let aliasShort: [UInt8] = [0xC0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 1, 0xC0, 12]
        #expect(code(message(answers: 1, question + aliasShort)) == .badRecordData)
    }

    @Test("a message longer than 65535 bytes is refused")
    func oversize() {
        #expect(code(ByteBuffer(bytes: Array(repeating: 0, count: 65_536))) == .tooLong)
    }

    @Test("random bytes and mutated answers give an answer or an error, never a crash or a hang")
    func fuzz() {
        let seed = UInt64.random(in: .min ... .max)
        print("DNS codec fuzz seed: \(seed)")
        var random = SplitMix64(seed: seed)
        let seeds = [CapturedAnswers.mixedCaseA, CapturedAnswers.aaaa, CapturedAnswers.aliasAAAA, CapturedAnswers.refused]
            .map { Array(bytes(hex: $0).readableBytesView) }
        for round in 0..<20_000 {
            var input: [UInt8]
            if round % 2 == 0 {
                input = (0..<Int.random(in: 0...300, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            } else {
                input = seeds[Int.random(in: 0..<seeds.count, using: &random)]
                for _ in 0..<Int.random(in: 1...6, using: &random) where !input.isEmpty {
                    input[Int.random(in: 0..<input.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
            }
            let buffer = ByteBuffer(bytes: input)
            if let message = try? DNSMessage(parsing: buffer) {
                _ = message.addresses(for: message.questions.first?.name ?? "")
            }
            _ = DNSMessage.answer(rejecting: buffer, with: .serverFailure)
        }
    }
}
