@testable import AdminAPI
import Archive
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import TestSupport
import Testing

@Suite("Upgrade and restore ask for the admin password again")
struct ReauthenticationTests {
    static let config = "name: gw\n"

    func post(_ api: APIClient, _ path: String, token: String, headers: HTTPFields = [:],
              contentType: String = "application/gzip", body: [UInt8]) async throws -> APIClient.Answer {
        var fields = headers
        fields[.authorization] = "Bearer \(token)"
        fields[.contentType] = contentType
        return try await api.client.execute(uri: "/scale/api/" + path, method: .post, headers: fields,
                                            body: ByteBuffer(bytes: body)) { response in
            APIClient.Answer(status: response.status, headers: response.headers, body: String(buffer: response.body))
        }
    }

    /// A form of one file part and, when given, a `current_password` field.
    func form(file: [UInt8], password: String?) -> (contentType: String, body: [UInt8]) {
        let boundary = "----hy2scale-test-boundary"
        var text = ""
        if let password {
            text += "--\(boundary)\r\nContent-Disposition: form-data; name=\"current_password\"\r\n\r\n\(password)\r\n"
        }
        text += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.tar.gz\"\r\n"
        text += "Content-Type: application/gzip\r\n\r\n"
        return ("multipart/form-data; boundary=\(boundary)",
                Array(text.utf8) + file + Array("\r\n--\(boundary)--\r\n".utf8))
    }

    @Test("without the current password, or with a wrong one, nothing is looked at; a right one in a header or a form field passes",
          arguments: ["upgrade", "restore"])
    func guarded(path: String) async throws {
        let node = try APITestNode(config: Self.config)
        let before = node.text
        try await node.test { api in
            let token = try await api.login()
            let garbage = Array("not an archive".utf8)
            let missing = try await post(api, path, token: token, body: garbage)
            #expect(missing.status == .badRequest)
            #expect(missing.object["field"] as? String == Upload.passwordField)
            let wrong = try await post(api, path, token: token, headers: [.currentPassword: String(repeating: "0", count: 64)], body: garbage)
            #expect(wrong.status == .forbidden)
            #expect(wrong.object["error"] as? String == "current password incorrect")
            // A right password gets as far as the archive, which is refused for what it is.
            let header = try await post(api, path, token: token, headers: [.currentPassword: TestAdmin.digest], body: garbage)
            #expect(header.status == .badRequest)
            #expect(header.object["field"] as? String != Upload.passwordField, "\(header.body)")
            let (type, body) = form(file: garbage, password: TestAdmin.digest)
            let field = try await post(api, path, token: token, contentType: type, body: body)
            #expect(field.status == .badRequest)
            #expect(field.object["field"] as? String != Upload.passwordField, "\(field.body)")
            let (_, noField) = form(file: garbage, password: nil)
            #expect(try await post(api, path, token: token, contentType: type, body: noField).status == .badRequest)
            #expect(node.text == before)
            #expect(node.restarts.value.isEmpty)
        }
    }

    @Test("wrong passwords count with failed logins: the address is then rate limited")
    func rateLimited() async throws {
        try await APITestNode(config: Self.config).test { api in
            let token = try await api.login()
            for _ in 0..<5 {
                let wrong = try await post(api, "restore", token: token, headers: [.currentPassword: String(repeating: "1", count: 64)],
                                           body: [1])
                #expect(wrong.status == .forbidden)
            }
            let right = try await post(api, "restore", token: token, headers: [.currentPassword: TestAdmin.digest], body: [1])
            #expect(right.status == .tooManyRequests)
            let login = try await api.call(.post, "login", body: TestAdmin.loginBody)
            #expect(login.status == .tooManyRequests)
        }
    }
}

@Suite("multipart/form-data bodies")
struct MultipartFormTests {
    static let type = "multipart/form-data; boundary=XyZ"

    @Test("parts keep their names, file names and exact bytes; the file part and fields are found by name")
    func parts() throws {
        let body = Array("preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"current_password\"\r\n\r\nabc\r\n".utf8)
            + Array("--XyZ  \r\ncontent-disposition: form-data; name=\"file\"; filename=\"a;b.tgz\"\r\n\r\n".utf8)
            + [0, 13, 10, 45, 45, 255] + Array("\r\n--XyZ--\r\nepilogue".utf8)
        let form = try MultipartForm(body: body, contentType: Self.type)
        #expect(form.parts.count == 2)
        #expect(form.field("current_password") == "abc")
        #expect(form.field("file") == nil, "a file part is not a field")
        #expect(form.parts[1].filename == "a;b.tgz")
        #expect(form.file.map(Array.init) == [0, 13, 10, 45, 45, 255])
    }

    @Test("a quoted boundary, and a form of one unnamed part", arguments: ["multipart/form-data; boundary=\"XyZ\"", "Multipart/Form-Data;boundary=XyZ"])
    func quoted(type: String) throws {
        let form = try MultipartForm(body: Array("--XyZ\r\n\r\nbytes\r\n--XyZ--".utf8), contentType: type)
        #expect(form.file.map { String(decoding: $0, as: UTF8.self) } == "bytes")
    }

    @Test("malformed forms are refused with a 400", arguments: [
        ("--XyZ\r\n\r\nbytes", type),                                    // never closed
        ("bytes only", type),                                             // no boundary at all
        ("--XyZ", type),                                                  // nothing after the boundary
        ("--XyZ junk\r\n\r\nx\r\n--XyZ--", type),                         // a boundary line with text after it
        ("--XyZ\r\nno header end", type),                                 // headers never end
        ("--XyZ\r\n\r\nx\r\n--XyZ--", "multipart/form-data"),            // no boundary parameter
        ("--XyZ\r\n\r\nx\r\n--XyZ--", "multipart/form-data; boundary="), // an empty one
        ("--XyZ\r\n\r\nx\r\n--XyZ--", "multipart/form-data; boundary=" + String(repeating: "b", count: 71)),
        ("--XyZ\r\n\r\nx\r\n--XyZ--", "text/plain; boundary=XyZ"),
    ])
    func malformed(body: String, type: String) {
        #expect(throws: APIError.self) { try MultipartForm(body: Array(body.utf8), contentType: type) }
    }

    @Test("a part's headers are bounded, and so is the number of parts")
    func bounded() {
        let longHeader = "--XyZ\r\nX-Long: " + String(repeating: "a", count: MultipartForm.maximumHeaderBytes) + "\r\n\r\nx\r\n--XyZ--"
        #expect(throws: APIError.self) { try MultipartForm(body: Array(longHeader.utf8), contentType: Self.type) }
        let many = String(repeating: "--XyZ\r\n\r\nx\r\n", count: MultipartForm.maximumParts + 1) + "--XyZ--"
        #expect(throws: APIError.self) { try MultipartForm(body: Array(many.utf8), contentType: Self.type) }
        let enough = String(repeating: "--XyZ\r\n\r\nx\r\n", count: MultipartForm.maximumParts) + "--XyZ--"
        #expect((try? MultipartForm(body: Array(enough.utf8), contentType: Self.type))?.parts.count == MultipartForm.maximumParts)
    }
}
