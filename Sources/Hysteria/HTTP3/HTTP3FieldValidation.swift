/// The message rules of RFC 9114 §4.2-§4.3 shared by requests and responses.
///
/// Field names are compared case-insensitively (spec/hysteria2-and-quic.md §1.2) instead of
/// treating upper case as malformed: the strictness would buy nothing and could lock out a client.
enum HTTP3FieldValidation {
    /// Splits decoded fields into pseudo-headers (by name, without duplicates) and regular fields.
    /// - Throws: ``HTTP3Error/malformedMessage(_:)`` for a pseudo-header that is not in `allowed`,
    ///   repeated, or after a regular field; for a bad name or value; for a connection-specific field.
    static func split(
        _ fields: [HTTP3Field],
        allowedPseudo allowed: Set<String>
    ) throws(HTTP3Error) -> (pseudo: [String: String], headers: [HTTP3Field]) {
        var pseudo: [String: String] = [:]
        var headers: [HTTP3Field] = []
        for field in fields {
            try checkValue(field.value)
            if field.isPseudo {
                let name = field.name.lowercased()
                guard allowed.contains(name) else { throw .malformedMessage("pseudo-header \(name) is not allowed here") }
                guard headers.isEmpty else { throw .malformedMessage("pseudo-header \(name) after a regular field") }
                guard pseudo.updateValue(field.value, forKey: name) == nil else {
                    throw .malformedMessage("pseudo-header \(name) appears twice")
                }
            } else {
                try checkRegular(field)
                headers.append(field)
            }
        }
        return (pseudo, headers)
    }

    /// Names that only mean something on an HTTP/1.1 connection (RFC 9114 §4.2).
    private static let connectionSpecific: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade",
    ]

    /// A regular name is a non-empty token (RFC 9110 §5.1) and not connection-specific; `te` may only say `trailers`.
    private static func checkRegular(_ field: HTTP3Field) throws(HTTP3Error) {
        guard !field.name.isEmpty, field.name.utf8.allSatisfy(isTokenCharacter) else {
            throw .malformedMessage("a field name is empty or has characters outside RFC 9110 tokens")
        }
        let name = field.name.lowercased()
        guard !connectionSpecific.contains(name) else { throw .malformedMessage("connection-specific field \(name)") }
        guard name != "te" || field.value.lowercased() == "trailers" else {
            throw .malformedMessage("te may only be \"trailers\"")
        }
    }

    /// Values must not carry NUL, CR or LF (RFC 9114 §4.2, RFC 9110 §5.5).
    private static func checkValue(_ value: String) throws(HTTP3Error) {
        guard !value.utf8.contains(where: { $0 == 0 || $0 == 0x0a || $0 == 0x0d }) else {
            throw .malformedMessage("a field value contains NUL, CR or LF")
        }
    }

    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }

    /// The first value of the regular field called `name`, compared case-insensitively.
    static func value(named name: String, in headers: [HTTP3Field]) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }
}
