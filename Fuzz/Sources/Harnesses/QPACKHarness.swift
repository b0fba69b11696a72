import Hysteria
import NIOCore

/// `QPACKDecoder` (RFC 9204, static table only, with the Huffman code of RFC 7541) and what the
/// server builds from the fields: `HTTP3Request`, `HTTP3AuthRequest`, `HTTP3Response`.
///
/// Input: a mode byte; mode 0 is a raw field section (with limits from the next bytes), mode 1
/// puts the rest as a Huffman string into a section, mode 2 chooses fields to encode.
enum QPACKHarness: FuzzHarness {
    static let name = "qpack"
    static let summary = "QPACK field sections and Huffman: limits hold; encode and decode are inverse; requests re-parse to themselves"

    static func run(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        switch input.byte() % 3 {
        case 0:
            let small = input.bool()
            let decoder = small
                ? QPACKDecoder(maximumFieldSectionSize: input.int(in: 0...512), maximumFieldCount: input.int(in: 0...8))
                : QPACKDecoder()
            decode(ByteBuffer(bytes: input.rest()), with: decoder)
        case 1:
            // Literal Field Line with a static Name Reference (index 1, `:path`) whose value is
            // the rest of the input as a Huffman string.
            let huffman = input.rest()
            var section = ByteBuffer(bytes: [0, 0, 0x51])
            writePrefixedInteger(UInt64(huffman.count), prefixBits: 7, flags: 0x80, into: &section)
            section.writeBytes(huffman)
            decode(section, with: QPACKDecoder())
        default:
            var fields: [HTTP3Field] = []
            while !input.isAtEnd, fields.count < 12 {
                let name = input.bool() ? input.pick(names) : input.text(upTo: 20)
                let value = input.bool() ? input.pick(values) : input.text(upTo: 64)
                fields.append(HTTP3Field(name: name, value: value))
            }
            var section = ByteBuffer()
            QPACKEncoder.encode(fields, into: &section)
            let decoded = try? QPACKDecoder(maximumFieldSectionSize: 1 << 20, maximumFieldCount: 64).decode(section)
            require(decoded == fields.map { HTTP3Field(name: $0.name.lowercased(), value: $0.value) },
                    "fields \(clip(fields)) came back as \(clip(decoded as Any))")
            checkMessages(fields)
        }
    }

    private static let names = [":method", ":scheme", ":authority", ":path", ":status", "hysteria-auth", "hysteria-cc-rx",
                                "hysteria-padding", "content-type", "te", "connection", "Host", "x-Custom"]
    private static let values = ["POST", "GET", "CONNECT", "https", "hysteria", "/auth", "233", "200", "trailers", "auto",
                                 "0", "18446744073709551615", "", "a\u{0}b", "x\r\ny"]

    private static func decode(_ section: ByteBuffer, with decoder: QPACKDecoder) {
        guard let fields = try? decoder.decode(section) else { return }
        require(fields.count <= decoder.maximumFieldCount, "\(fields.count) fields passed the limit \(decoder.maximumFieldCount)")
        // Names and values may grow when bytes that are not UTF-8 become U+FFFD, so the size is
        // bounded by what the section holds rather than exactly by the limit.
        var encoded = ByteBuffer()
        QPACKEncoder.encode(fields, into: &encoded)
        let again = try? QPACKDecoder(maximumFieldSectionSize: 1 << 22, maximumFieldCount: 1 << 16).decode(encoded)
        require(again == fields.map { HTTP3Field(name: $0.name.lowercased(), value: $0.value) },
                "decoded fields \(clip(fields)) do not survive encode and decode: \(clip(again as Any))")
        checkMessages(fields)
    }

    /// Requests and responses built from fields give their fields back, and parse again to
    /// themselves.
    private static func checkMessages(_ fields: [HTTP3Field]) {
        if let request = try? HTTP3Request(fields: fields) {
            require((try? HTTP3Request(fields: request.fields)) == request, "request \(clip(request)) does not re-parse")
            if let auth = HTTP3AuthRequest(request: request) {
                require(HTTP3AuthRequest(request: auth.request) == auth, "auth request does not survive")
            }
        }
        if let response = try? HTTP3Response(fields: fields) {
            require((try? HTTP3Response(fields: response.fields)) == response, "response \(clip(response)) does not re-parse")
            if let auth = HTTP3AuthResponse(response: response) {
                require(HTTP3AuthResponse(response: auth.response) == auth, "auth response does not survive")
            }
        }
    }

    /// An RFC 7541 §5.1 prefixed integer.
    private static func writePrefixedInteger(_ value: UInt64, prefixBits: Int, flags: UInt8, into buffer: inout ByteBuffer) {
        let mask = UInt64(1 << prefixBits) - 1
        guard value >= mask else {
            buffer.writeInteger(flags | UInt8(value))
            return
        }
        buffer.writeInteger(flags | UInt8(mask))
        var rest = value - mask
        while rest >= 0x80 {
            buffer.writeInteger(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        buffer.writeInteger(UInt8(rest))
    }

    static var seeds: [(label: String, bytes: [UInt8])] {
        var auth = ByteBuffer()
        QPACKEncoder.encode(HTTP3AuthRequest(auth: "user:pass", congestionControlReceive: 0, padding: "abcdef").request.fields, into: &auth)
        var response = ByteBuffer()
        QPACKEncoder.encode(HTTP3AuthResponse(isUDPEnabled: true, congestionControlReceive: .auto, padding: "xyz").response.fields,
                            into: &response)
        return [
            ("auth-request", [0, 0] + Array(buffer: auth)),
            ("auth-response", [0, 1, 200, 4] + Array(buffer: response)),
            ("huffman", [1, 0xF1, 0xE3, 0xC2, 0xE5, 0xF2, 0x3A, 0x6B, 0xA0, 0xAB, 0x90, 0xF4, 0xFF]),
            ("fields", [2, 1, 0, 1, 0, 0, 5] + Array("x-abc".utf8) + [0, 3] + Array("v w".utf8)),
        ]
    }
}
