/// A `multipart/form-data` body (RFC 7578 over RFC 2046 §5.1.1): its parts, with the name and
/// file name their `Content-Disposition` gives.
///
/// Bounded before anything is kept: at most ``maximumParts`` parts, each with at most
/// ``maximumHeaderBytes`` of headers. Anything malformed is a 400 naming what was expected.
struct MultipartForm {
    /// One part of the form.
    struct Part {
        /// The `name` parameter of its `Content-Disposition`.
        var name: String?
        /// The `filename` parameter, present for file uploads.
        var filename: String?
        var contents: ArraySlice<UInt8>
    }

    /// A form with a file and a few fields needs no more.
    static let maximumParts = 16
    /// Header bytes of one part; a browser sends a few hundred.
    static let maximumHeaderBytes = 8192
    /// RFC 2046 §5.1.1: a boundary is 1 to 70 characters.
    static let maximumBoundaryLength = 70

    /// In body order.
    private(set) var parts: [Part] = []

    /// Splits `body` into its parts.
    /// - Parameter contentType: the request's `Content-Type`, which names the boundary.
    /// - Throws: ``APIError`` 400 when the body is not a well-formed form.
    init(body: [UInt8], contentType: String) throws {
        guard let boundary = Self.boundary(in: contentType) else {
            throw APIError.badRequest("multipart body without a usable boundary parameter (1 to 70 characters)")
        }
        let crlf: [UInt8] = [13, 10]
        let delimiter = Array("--".utf8) + Array(boundary.utf8)
        // The first delimiter may open the body; later ones follow a CRLF that belongs to them.
        guard var cursor = body.starts(with: delimiter) ? body.startIndex + delimiter.count
                : body.firstRange(of: crlf + delimiter)?.upperBound else {
            throw APIError.badRequest("malformed multipart body: the boundary never appears")
        }
        while true {
            if body[cursor...].starts(with: Array("--".utf8)) { return }  // the close delimiter
            while cursor < body.endIndex, body[cursor] == 0x20 || body[cursor] == 0x09 { cursor += 1 }  // transport padding
            guard body[cursor...].starts(with: crlf) else {
                throw APIError.badRequest("malformed multipart body: a boundary line does not end with CRLF")
            }
            cursor += 2
            guard let next = body[cursor...].firstRange(of: crlf + delimiter) else {
                throw APIError.badRequest("malformed multipart body: a part has no closing boundary")
            }
            guard parts.count < Self.maximumParts else {
                throw APIError.badRequest("a multipart body may hold at most \(Self.maximumParts) parts")
            }
            parts.append(try Self.part(body[cursor..<next.lowerBound]))
            cursor = next.upperBound
        }
    }

    /// The uploaded file: the part named `file`, else the first part with a file name, else the
    /// first part (a form of one file).
    var file: ArraySlice<UInt8>? {
        (parts.first { $0.name == "file" } ?? parts.first { $0.filename != nil } ?? parts.first)?.contents
    }

    /// The text of the field `name`, if the form has one.
    func field(_ name: String) -> String? {
        parts.first { $0.name == name && $0.filename == nil }.map { String(decoding: $0.contents, as: UTF8.self) }
    }

    /// The `boundary` parameter of a `multipart/form-data` content type.
    static func boundary(in contentType: String) -> String? {
        let parameters = HeaderParameters(contentType)
        guard parameters.value.lowercased() == "multipart/form-data", let boundary = parameters["boundary"],
              (1...maximumBoundaryLength).contains(boundary.utf8.count) else { return nil }
        return boundary
    }

    private static func part(_ bytes: ArraySlice<UInt8>) throws -> Part {
        let separator: [UInt8] = [13, 10, 13, 10]
        let headerEnd: Range<Int>
        if bytes.starts(with: [13, 10]) {
            headerEnd = bytes.startIndex..<bytes.startIndex + 2  // no headers at all
        } else if let end = bytes.prefix(maximumHeaderBytes + separator.count).firstRange(of: separator) {
            headerEnd = end
        } else {
            throw APIError.badRequest("malformed multipart body: a part's headers are missing or longer than \(maximumHeaderBytes) bytes")
        }
        var part = Part(contents: bytes[headerEnd.upperBound...])
        let headers = String(decoding: bytes[bytes.startIndex..<headerEnd.lowerBound], as: UTF8.self)
        for line in headers.split(separator: "\r\n") {
            guard let colon = line.firstIndex(of: ":"),
                  line[..<colon].trimmingWhitespace().lowercased() == "content-disposition" else { continue }
            let disposition = HeaderParameters(String(line[line.index(after: colon)...]))
            part.name = disposition["name"]
            part.filename = disposition["filename"]
        }
        return part
    }
}

/// A header value with `; key=value` parameters, values optionally quoted (RFC 9110 §5.6.6).
struct HeaderParameters {
    /// What comes before the first `;`, trimmed.
    let value: String
    private var parameters: [(key: String, value: String)] = []

    init(_ text: String) {
        var fields: [String] = []
        var current = ""
        var isQuoted = false
        var isEscaped = false
        for character in text {
            if isEscaped {
                current.append(character)
                isEscaped = false
            } else if isQuoted, character == "\\" {
                isEscaped = true
            } else if character == "\"" {
                isQuoted.toggle()
            } else if character == ";", !isQuoted {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        value = fields[0].trimmingWhitespace()
        for field in fields.dropFirst() {
            guard let equals = field.firstIndex(of: "=") else { continue }
            parameters.append((field[..<equals].trimmingWhitespace().lowercased(),
                               field[field.index(after: equals)...].trimmingWhitespace()))
        }
    }

    /// The first parameter named `key` (case-insensitive), unquoted.
    subscript(key: String) -> String? {
        parameters.first { $0.key == key.lowercased() }?.value
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs.
    fileprivate func trimmingWhitespace() -> String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isBlank($0) }), let last = lastIndex(where: { !isBlank($0) }) else { return "" }
        return String(self[first...last])
    }
}
