public import NIOCore

/// The messages the forwarder writes itself: queries (for tests and probes) and the answers it
/// gives when it cannot or will not forward.
extension DNSMessage {
    /// A standard query for `name` with one question, class IN.
    ///
    /// - Parameters:
    ///   - name: dotted text; a trailing dot is optional; `""` or `"."` is the root. Labels are
    ///     taken as written (no `\DDD` escapes).
    /// - Throws: ``DNSMessageError/Code/badName`` for an empty or over-long label, a backslash,
    ///   or a name over 255 octets on the wire.
    public static func query(id: UInt16, name: String, type: DNSRecordType,
                             wantsRecursion: Bool = true) throws(DNSMessageError) -> ByteBuffer {
        var buffer = ByteBuffer()
        DNSHeader(id: id, flags: wantsRecursion ? DNSHeader.recursionDesiredBit : 0, questionCount: 1).write(into: &buffer)
        try writeName(name, into: &buffer)
        buffer.writeMultipleIntegers(type.rawValue, DNSRecord.internetClass)
        return buffer
    }

    /// An answer to `query` that carries only `code`: the query's id, opcode and RD and CD bits,
    /// and its question section echoed byte for byte when it has exactly one question that
    /// parses (otherwise no question).
    ///
    /// - Returns: `nil` when `query` is shorter than a header, so there is no id to answer to.
    public static func answer(rejecting query: ByteBuffer, with code: DNSResponseCode) -> ByteBuffer? {
        guard var header = try? DNSHeader(parsing: query) else { return nil }
        // A question that cannot be read is left out: the answer then only says why.
        let questions: ByteBuffer? = {
            guard header.questionCount == 1, let parsed = try? DNSMessage(parsing: query) else { return nil }
            return query.getSlice(at: query.readerIndex + DNSHeader.size, length: parsed.questionSectionEnd - DNSHeader.size)
        }()
        header.flags = DNSHeader.responseBit | DNSHeader.recursionAvailableBit | UInt16(code.rawValue)
            | (header.flags & (DNSHeader.opcodeMask | DNSHeader.recursionDesiredBit | DNSHeader.checkingDisabledBit))
        header.questionCount = questions == nil ? 0 : 1
        header.answerCount = 0
        header.authorityCount = 0
        header.additionalCount = 0
        var answer = ByteBuffer()
        header.write(into: &answer)
        if let questions { answer.writeImmutableBuffer(questions) }
        return answer
    }

    /// Appends `name` in wire form, uncompressed; returns the bytes written.
    @discardableResult
    static func writeName(_ name: String, into buffer: inout ByteBuffer) throws(DNSMessageError) -> Int {
        var labels = name.split(separator: ".", omittingEmptySubsequences: false)
        if labels.last == "" { labels.removeLast() }
        if labels == [""] { labels = [] }  // "." alone
        var wire: [UInt8] = []
        for label in labels {
            let bytes = Array(label.utf8)
            guard (1...DNSWireReader.maximumLabelOctets).contains(bytes.count) else {
                throw DNSMessageError(.badName, "\"\(name)\" has a label of \(bytes.count) octets; a label needs 1 to 63")
            }
            guard !bytes.contains(UInt8(ascii: "\\")) else {
                throw DNSMessageError(.badName, "\"\(name)\" holds a backslash; escapes are not supported here")
            }
            wire.append(UInt8(bytes.count))
            wire += bytes
        }
        wire.append(0)
        guard wire.count <= DNSWireReader.maximumNameOctets else {
            throw DNSMessageError(.badName, "\"\(name)\" takes \(wire.count) octets on the wire; the limit is 255")
        }
        return buffer.writeBytes(wire)
    }
}
