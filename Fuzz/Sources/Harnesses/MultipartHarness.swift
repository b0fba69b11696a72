import AdminAPI

/// `multipart/form-data` bodies as the upload routes (`/api/upgrade`, `/api/restore`) split them.
///
/// Input: a mode byte; mode 0 is a raw body under a boundary from the input, mode 1 a form built
/// from parts the input chooses, which must come back part for part.
enum MultipartHarness: FuzzHarness {
    static let name = "multipart"
    static let summary = "multipart/form-data: any body splits into bounded parts or a 400; a form built from parts reads back as them"

    static func run(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        if input.byte() % 2 == 0 {
            let type = "multipart/form-data; boundary=" + input.text(upTo: 80)
            let body = input.rest()
            guard let parts = try? RequestBodyDecoding.multipartParts(body, contentType: type) else { return }
            require(parts.count <= 16, "\(parts.count) parts")
            require(parts.allSatisfy { body.indices.contains($0.contents.startIndex) || $0.contents.isEmpty },
                    "a part outside the body")
            return
        }
        let boundary = "b" + String(input.integer(UInt64.self), radix: 36)
        var parts: [(name: String, filename: String?, contents: [UInt8])] = []
        for index in 0..<input.int(in: 1...4) {
            let contents = input.bytes(upTo: 64)
            parts.append(("p\(index)", input.bool() ? "f\(index).bin" : nil, contents))
        }
        var body = Array(input.bytes(upTo: 8).filter { $0 != 0x2D })  // a preamble without dashes
        for part in parts {
            var disposition = "Content-Disposition: form-data; name=\"\(part.name)\""
            if let filename = part.filename { disposition += "; filename=\"\(filename)\"" }
            body += Array("\r\n--\(boundary)\r\n\(disposition)\r\n\r\n".utf8) + part.contents
        }
        body += Array("\r\n--\(boundary)--\r\n".utf8)
        // A part that holds the delimiter itself ends early: RFC 2046 lets a sender pick a
        // boundary that does not occur, and this one may.
        let delimiter = Array("\r\n--\(boundary)".utf8)
        guard !parts.contains(where: { ($0.contents + Array("\r\n".utf8)).firstRange(of: delimiter) != nil }) else { return }
        do {
            let read = try RequestBodyDecoding.multipartParts(body, contentType: "multipart/form-data; boundary=\(boundary)")
            require(read.map(\.name) == parts.map(\.name) && read.map(\.filename) == parts.map(\.filename)
                    && read.map { Array($0.contents) } == parts.map(\.contents),
                    "parts \(clip(parts.map(\.name))) came back as \(clip(read.map(\.name)))")
        } catch {
            require(false, "a well-formed form of \(parts.count) parts was refused: \(error)")
        }
    }

    static var seeds: [(label: String, bytes: [UInt8])] {
        [
            ("raw", [0, 3] + Array("XyZ--XyZ\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc\r\n--XyZ--".utf8)),
            ("built", [1, 7, 0, 0, 0, 0, 0, 0, 0, 2, 3] + Array("abc".utf8) + [1, 2] + Array("hi".utf8) + [0, 2] + Array("xy".utf8)),
        ]
    }
}
