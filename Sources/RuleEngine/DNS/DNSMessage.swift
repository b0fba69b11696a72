import Addressing
public import NIOCore

/// A DNS message as far as the forwarder reads it: the header, every question and every answer
/// record. Authority and additional records are not read, so their faults go unnoticed, and they
/// are never needed to route a query or learn its addresses.
///
/// Parsing is for bytes from the network: every count, length and pointer is checked against
/// the bytes present before anything is read or allocated, and every fault is a
/// ``DNSMessageError``, never a trap or an endless loop.
public struct DNSMessage: Hashable, Sendable {
    public var header: DNSHeader
    public var questions: [DNSQuestion]
    public var answers: [DNSRecord]
    /// The offset just past the question section, so an answer can echo the questions byte for
    /// byte (keeping a client's mixed-case name, which some check).
    let questionSectionEnd: Int

    /// Smallest wire sizes, used to see that a section count is a lie before reading it:
    /// a question is at least a root name and two 16-bit fields; a record adds TTL and length.
    private static let minimumQuestionSize = 5
    private static let minimumRecordSize = 11

    /// Parses the readable bytes of `message`, one whole message; its indices do not move.
    ///
    /// - Throws: ``DNSMessageError`` naming the first fault.
    public init(parsing message: ByteBuffer) throws(DNSMessageError) {
        let reader = try DNSWireReader(message)
        header = try DNSHeader(parsing: reader.bytes)
        var offset = DNSHeader.size
        let questionCount = Int(header.questionCount)
        try Self.checkCount(questionCount, of: "questions", each: Self.minimumQuestionSize,
                            remaining: reader.count - offset)
        questions = []
        questions.reserveCapacity(questionCount)
        for index in 0..<questionCount {
            let (name, end) = try reader.name(at: offset)
            let type = try reader.uint16(at: end, "type of question \(index)")
            let recordClass = try reader.uint16(at: end + 2, "class of question \(index)")
            questions.append(DNSQuestion(name: name, type: DNSRecordType(rawValue: type), recordClass: recordClass))
            offset = end + 4
        }
        questionSectionEnd = offset
        let answerCount = Int(header.answerCount)
        try Self.checkCount(answerCount, of: "answers", each: Self.minimumRecordSize, remaining: reader.count - offset)
        answers = []
        answers.reserveCapacity(answerCount)
        for index in 0..<answerCount {
            let (record, end) = try Self.record(in: reader, at: offset, index: index)
            answers.append(record)
            offset = end
        }
    }

    private static func checkCount(_ count: Int, of section: String, each minimum: Int,
                                   remaining: Int) throws(DNSMessageError) {
        guard count * minimum <= remaining else {
            throw DNSMessageError(.countMismatch, "the header counts \(count) \(section), but only \(remaining) bytes remain (each needs at least \(minimum))")
        }
    }

    /// One resource record (RFC 1035 §4.1.3) and the offset after it.
    private static func record(in reader: DNSWireReader, at offset: Int,
                               index: Int) throws(DNSMessageError) -> (DNSRecord, Int) {
        let (name, fieldsStart) = try reader.name(at: offset)
        let type = DNSRecordType(rawValue: try reader.uint16(at: fieldsStart, "type of answer \(index)"))
        let recordClass = try reader.uint16(at: fieldsStart + 2, "class of answer \(index)")
        let ttl = try reader.uint32(at: fieldsStart + 4, "TTL of answer \(index)")
        let length = Int(try reader.uint16(at: fieldsStart + 8, "data length of answer \(index)"))
        let dataStart = fieldsStart + 10
        guard dataStart + length <= reader.count else {
            throw DNSMessageError(.truncated, "answer \(index) (\(name) \(type)) announces \(length) bytes of data at offset \(dataStart), past the end (\(reader.count) bytes)")
        }
        let data: DNSRecord.Data
        switch type {
        case .a, .aaaa:
            let size = type == .a ? 4 : 16
            guard length == size,
                  let address = IPAddress(bytes: try reader.bytes(at: dataStart, count: length, "address of answer \(index)"))
            else {
                throw DNSMessageError(.badRecordData, "answer \(index) (\(name) \(type)) has \(length) bytes of data; an address needs \(size)")
            }
            data = .address(address)
        case .cname:
            let (target, end) = try reader.name(at: dataStart)
            guard end == dataStart + length else {
                throw DNSMessageError(.badRecordData, "answer \(index) (\(name) CNAME) announces \(length) bytes of data but its name takes \(end - dataStart)")
            }
            data = .alias(target)
        default:
            data = .other
        }
        return (DNSRecord(name: name, type: type, recordClass: recordClass, ttl: ttl, data: data), dataStart + length)
    }
}
