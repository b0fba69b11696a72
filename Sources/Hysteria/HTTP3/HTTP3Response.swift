public import NIOCore

/// The head of an HTTP/3 response: `:status` and regular fields (RFC 9114 §4.3.2).
public struct HTTP3Response: Equatable, Sendable {
    /// Three decimal digits, 100...999 on the wire; callers send 100...599.
    public var status: Int
    /// Regular fields in order, `:status` excluded.
    public var headers: [HTTP3Field]

    public init(status: Int, headers: [HTTP3Field] = []) {
        self.status = status
        self.headers = headers
    }

    /// Parses decoded response fields.
    /// - Throws: ``HTTP3Error/malformedMessage(_:)`` when `:status` is missing, repeated, not three
    ///   digits, or joined by another pseudo-header, and for bad fields.
    public init(fields: [HTTP3Field]) throws(HTTP3Error) {
        let (pseudo, headers) = try HTTP3FieldValidation.split(fields, allowedPseudo: [":status"])
        guard let text = pseudo[":status"], text.utf8.count == 3, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            let status = Int(text), status >= 100
        else { throw .malformedMessage(":status is missing or not a three-digit code") }
        self.init(status: status, headers: headers)
    }

    /// `:status` first, then the regular fields.
    public var fields: [HTTP3Field] {
        [HTTP3Field(name: ":status", value: String(status))] + headers
    }

    /// The first value of the regular field `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        HTTP3FieldValidation.value(named: name, in: headers)
    }

    /// Appends a HEADERS frame and, when `body` has bytes, one DATA frame; returns the byte count.
    /// The caller ends the stream (FIN) after these bytes.
    @discardableResult
    public func write(body: ByteBuffer? = nil, to buffer: inout ByteBuffer) -> Int {
        var section = ByteBuffer()
        QPACKEncoder.encode(fields, into: &section)
        var written = HTTP3Frame.headers(section).write(to: &buffer)
        if let body, body.readableBytes > 0 {
            written += HTTP3Frame.data(body).write(to: &buffer)
        }
        return written
    }
}
