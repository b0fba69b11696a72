@testable import AdminAPI
import Archive
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import TestSupport
import Testing

@Suite("The web UI served by the node")
struct WebUIServingTests {
    struct Page: Sendable {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: String
    }

    func get(_ api: APIClient, _ path: String, headers: HTTPFields = [:]) async throws -> Page {
        try await api.client.execute(uri: path, method: .get, headers: headers) { response in
            Page(status: response.status, headers: response.headers, body: String(buffer: response.body))
        }
    }

    @Test("the base path redirects to itself with a slash, which is index.html with a strict CSP")
    func index() async throws {
        let node = try APITestNode(config: "name: t\n")
        try await node.test { api in
            let bare = try await get(api, "/scale")
            #expect(bare.status == .movedPermanently && bare.headers[.location] == "/scale/")
            let page = try await get(api, "/scale/")
            #expect(page.status == .ok && page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.body == WebUIAssets.embedded["index.html"])
            #expect(page.body.contains("<script type=\"module\" src=\"js/app.js\"></script>"), "relative URLs, no inline code")
            let policy = try #require(page.headers[.contentSecurityPolicy])
            #expect(policy.contains("script-src 'self'") && policy.contains("frame-ancestors 'none'") && !policy.contains("unsafe"))
            #expect(page.headers[.xContentTypeOptions] == "nosniff" && page.headers[.cacheControl] == "no-cache")
        }
    }

    @Test("every file is served with its type and an ETag; a matching If-None-Match is a 304; gzip when asked")
    func files() async throws {
        let node = try APITestNode(config: "name: t\n")
        try await node.test { api in
            for (name, text) in WebUIAssets.embedded {
                let file = try await get(api, "/scale/" + name)
                #expect(file.status == .ok && file.body == text, "\(name)")
                #expect(file.headers[.contentType] == WebUIAssets.contentType(of: name))
                let etag = try #require(file.headers[.eTag])
                #expect(try await get(api, "/scale/" + name, headers: [.ifNoneMatch: etag]).status == .notModified)
            }
            let script = try await api.client.execute(uri: "/scale/js/app.js", method: .get,
                                                      headers: [.acceptEncoding: "gzip, br"]) { $0 }
            #expect(script.headers[.contentEncoding] == "gzip" && script.headers[.vary] == "Accept-Encoding")
            let unpacked = try Gzip.decompress(Array(buffer: script.body), limit: 1 << 20)
            #expect(String(decoding: unpacked, as: UTF8.self) == WebUIAssets.embedded["js/app.js"])
            #expect(script.headers[.eTag] != (try await get(api, "/scale/js/app.js").headers[.eTag]), "each encoding its own ETag")
        }
    }

    @Test("API paths stay JSON; unknown files and paths that would leave the UI are 404")
    func boundaries() async throws {
        let node = try APITestNode(config: "name: t\n")
        try await node.test { api in
            let missing = try await get(api, "/scale/api/no-such-thing")
            #expect(missing.status == .unauthorized || missing.headers[.contentType]?.contains("json") == true)
            for path in ["/scale/nope.js", "/scale/js/../index.html", "/scale/.oxlintrc.json", "/scale/js//app.js", "/index.html"] {
                let page = try await get(api, path)
                #expect(page.status == .notFound, "\(path)")
                #expect(page.headers[.contentType]?.contains("json") == true)
            }
            #expect(WebUIAssets.isSafe("js/app.js") && !WebUIAssets.isSafe("../x") && !WebUIAssets.isSafe("/etc/passwd")
                    && !WebUIAssets.isSafe("js/./app.js") && !WebUIAssets.isSafe(""))
        }
    }

    @Test("from a directory, files are read on every request, so an edit shows on reload")
    func directory() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try Data("one".utf8).write(to: dir.child("index.html"))
        #expect(WebUIAssets.file(at: "index.html", from: .directory(dir.url.path)).map { String(buffer: $0.body) } == "one")
        try Data("two".utf8).write(to: dir.child("index.html"))
        #expect(WebUIAssets.file(at: "index.html", from: .directory(dir.url.path)).map { String(buffer: $0.body) } == "two")
        #expect(WebUIAssets.file(at: "../index.html", from: .directory(dir.url.path + "/sub")) == nil)
    }

    @Test("any base path: the UI's names beside the API, and at the root when the base path is empty")
    func basePaths() {
        let admin = WebUIMiddleware(basePath: "/admin", source: .embedded)
        #expect(admin.uiName("/admin") == "" && admin.uiName("/admin/") == "index.html")
        #expect(admin.uiName("/admin/js/app.js") == "js/app.js" && admin.uiName("/admin/api/users") == nil)
        #expect(admin.uiName("/admin/api") == nil && admin.uiName("/scale/") == nil && admin.uiName("/adminx") == nil)
        let root = WebUIMiddleware(basePath: "", source: .embedded)
        #expect(root.uiName("/") == "index.html" && root.uiName("/app.css") == "app.css" && root.uiName("/api/status") == nil)
    }

    @Test("the build id follows the UI")
    func buildID() {
        #expect(WebUIAssets.digest.count == 16 && BuildInfo.buildID.count == 16)
    }
}
