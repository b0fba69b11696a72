import Hysteria
import NIOCore
import TestSupport
import Testing

@Suite("HTTP/3 requests and responses, and the Hysteria auth exchange (spec §1.2, §1.7)")
struct HTTP3MessageTests {
    private func fields(_ pairs: [(String, String)]) -> [HTTP3Field] {
        pairs.map { HTTP3Field(name: $0.0, value: $0.1) }
    }

    @Test("the auth request goes through QPACK and a HEADERS frame and comes back equal")
    func authRequestRoundTrip() throws {
        var rng = SplitMix64(seed: 1)
        let auth = HTTP3AuthRequest(auth: "user:pa ss", congestionControlReceive: 12_500_000, padding: HTTP3AuthPadding.random(using: &rng))
        var stream = ByteBuffer()
        var section = ByteBuffer()
        QPACKEncoder.encode(auth.request.fields, into: &section)
        HTTP3Frame.headers(section).write(to: &stream)

        var reader = HTTP3FrameReader()
        guard case .headers(let received)? = try reader.next(from: &stream) else {
            Issue.record("no HEADERS frame")
            return
        }
        let request = try HTTP3Request(fields: try QPACKDecoder().decode(received))
        #expect(request.method == "POST" && request.scheme == "https" && request.authority == "hysteria" && request.path == "/auth")
        #expect(HTTP3AuthRequest(request: request) == auth)
        #expect(!String(describing: auth).contains("pa ss"))
    }

    @Test("auth header names match case-insensitively; missing or odd values read as the official server reads them")
    func authRequestLenient() throws {
        let request = try HTTP3Request(fields: fields([
            (":method", "POST"), (":scheme", "https"), (":authority", "hysteria"), (":path", "/auth"),
            ("Hysteria-Auth", "pw"), ("HYSTERIA-CC-RX", "fast"),
        ]))
        #expect(HTTP3AuthRequest(request: request) == HTTP3AuthRequest(auth: "pw", congestionControlReceive: 0, padding: ""))
    }

    @Test("requests that are not POST hysteria /auth are for the masquerade", arguments: [
        ("GET", "hysteria", "/auth"), ("POST", "example.com", "/auth"), ("POST", "hysteria", "/"),
    ])
    func notAuth(method: String, authority: String, path: String) throws {
        let request = HTTP3Request(method: method, scheme: "https", authority: authority, path: path)
        let parsed = try HTTP3Request(fields: request.fields)
        #expect(parsed == request)
        #expect(HTTP3AuthRequest(request: parsed) == nil)
    }

    @Test("the 233 response round trips, with auto and numeric rates")
    func authResponse() throws {
        for rate in [HTTP3AuthResponse.ReceiveRate.auto, .bytesPerSecond(0), .bytesPerSecond(1 << 40)] {
            let response = HTTP3AuthResponse(isUDPEnabled: rate == .auto, congestionControlReceive: rate, padding: "xyz")
            var stream = ByteBuffer()
            response.response.write(to: &stream)
            var reader = HTTP3FrameReader()
            guard case .headers(let section)? = try reader.next(from: &stream) else {
                Issue.record("no HEADERS frame")
                return
            }
            #expect(stream.readableBytes == 0)
            let parsed = try HTTP3Response(fields: try QPACKDecoder().decode(section))
            #expect(parsed.status == 233)
            #expect(HTTP3AuthResponse(response: parsed) == response)
        }
        #expect(HTTP3AuthResponse(response: HTTP3Response(status: 404)) == nil)
    }

    @Test("sing-box's 233 with Huffman values, date and content-length parses")
    func singBoxResponse() throws {
        var rest = ByteBuffer()
        QPACKEncoder.encode(
            fields([("hysteria-udp", "true"), ("hysteria-cc-rx", "0"), ("date", "Mon, 21 Oct 2013 20:13:21 GMT"), ("content-length", "0")]),
            into: &rest
        )
        rest.moveReaderIndex(forwardBy: 2)  // its own field section prefix
        var combined = HTTP3TestBytes.buffer("0000 5f09 83132cff")
        combined.writeBuffer(&rest)
        let response = try HTTP3Response(fields: try QPACKDecoder().decode(combined))
        #expect(HTTP3AuthResponse(response: response) == HTTP3AuthResponse(isUDPEnabled: true, congestionControlReceive: .bytesPerSecond(0), padding: ""))
    }

    @Test("the masquerade 404 is HEADERS then DATA \"404 page not found\\n\"")
    func notFound() throws {
        var stream = ByteBuffer()
        let written = HTTP3Response.writeNotFound(to: &stream)
        #expect(written == stream.readableBytes)
        var reader = HTTP3FrameReader()
        guard case .headers(let section)? = try reader.next(from: &stream), case .data(let body)? = try reader.next(from: &stream) else {
            Issue.record("expected HEADERS then DATA")
            return
        }
        #expect(stream.readableBytes == 0)
        // ls-qpack encodes the same head to these bytes.
        #expect(HTTP3TestBytes.hex(section) == "0000db5f1d92497ca58ae819aafb50938ec415305a99567bfd54023139")
        let response = try HTTP3Response(fields: try QPACKDecoder().decode(section))
        #expect(response.status == 404 && response.header("Content-Length") == "19")
        #expect(String(buffer: body) == "404 page not found\n")
    }

    @Test("malformed requests are refused (RFC 9114 §4.3)", arguments: [
        [(":method", "GET"), (":path", "/")],  // no :scheme
        [(":method", "GET"), (":scheme", "https")],  // no :path
        [(":method", "GET"), (":scheme", "https"), (":path", "")],  // empty :path
        [(":scheme", "https"), (":path", "/")],  // no :method
        [(":method", "GET"), (":scheme", "https"), (":path", "/"), (":path", "/x")],  // repeated
        [(":method", "GET"), (":scheme", "https"), (":path", "/"), (":status", "200")],  // response pseudo
        [(":method", "GET"), (":scheme", "https"), (":path", "/"), (":protocol", "websocket")],  // unknown pseudo
        [(":method", "GET"), ("accept", "*/*"), (":scheme", "https"), (":path", "/")],  // pseudo after regular
        [(":method", "GET"), (":scheme", "https"), (":path", "/"), ("connection", "close")],
        [(":method", "GET"), (":scheme", "https"), (":path", "/"), ("te", "gzip")],
        [(":method", "GET"), (":scheme", "https"), (":path", "/"), ("bad name", "x")],
        [(":method", "GET"), (":scheme", "https"), (":path", "/"), ("x", "a\r\nb")],
        [(":method", "CONNECT"), (":authority", "a:1"), (":path", "/")],
        [(":method", "CONNECT")],
    ])
    func malformedRequests(pairs: [(String, String)]) {
        #expect(throws: HTTP3Error.self) { try HTTP3Request(fields: fields(pairs)) }
    }

    @Test("malformed responses are refused", arguments: ["", "99", "2000", "20a", "-10"])
    func malformedResponses(status: String) {
        #expect(throws: HTTP3Error.self) { try HTTP3Response(fields: [HTTP3Field(name: ":status", value: status)]) }
        #expect(throws: HTTP3Error.self) { try HTTP3Response(fields: [HTTP3Field(name: "server", value: "x")]) }
    }

    @Test("errors carry their RFC codes and say what went wrong")
    func errorCodes() {
        #expect(HTTP3Error.frameTooLarge(type: 1, length: 2, limit: 1).code == 0x107)
        #expect(HTTP3Error.malformedFrame(type: 7, reason: "x").code == 0x106)
        #expect(HTTP3Error.duplicateSetting(1).code == 0x109)
        #expect(HTTP3Error.dynamicTableReference.code == 0x200)
        #expect(HTTP3Error.malformedMessage("x").code == 0x10e)
        #expect(HTTP3Error.duplicateSetting(6).description == "setting 0x6 appears twice in SETTINGS (error 0x109)")
    }
}
