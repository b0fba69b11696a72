import Archive
import Crypto
import Foundation
import NIOCore
import NodeState

/// The web UI's files (`WebUI/` of this module), embedded at build time by the EmbedAdminAssets
/// plugin as ``embedded``, or read from a directory while the UI is being worked on.
public enum WebUIAssets {
    /// One file ready to serve.
    struct File: Sendable {
        let body: ByteBuffer
        let contentType: String
        /// A strong validator of this representation (its gzip form has its own).
        let etag: String
        /// The gzip form, when the file is compressible and it saves something.
        let gzip: (body: ByteBuffer, etag: String)?
    }

    /// Where the files come from.
    public enum Source: Sendable, Equatable {
        /// The files built into the binary, so an upgrade never pairs an old UI with a new API.
        case embedded
        /// A directory read on every request (development: edit, reload the page).
        case directory(String)
    }

    /// The embedded files, digested and compressed once.
    static let prepared: [String: File] = embedded.reduce(into: [:]) { files, entry in
        files[entry.key] = file(path: entry.key, bytes: Array(entry.value.utf8), compress: true)
    }

    /// 16 hex characters that change whenever any embedded file changes.
    static let digest: String = {
        var hash = SHA256()
        for path in embedded.keys.sorted() {
            hash.update(data: Data(path.utf8))
            hash.update(data: Data(embedded[path, default: ""].utf8))
        }
        return SecretGenerator.hex(hash.finalize().prefix(8))
    }()

    /// The file at `path` (relative, `js/app.js`), or `nil`: absent, or a path that would leave
    /// the UI's directory.
    static func file(at path: String, from source: Source) -> File? {
        guard isSafe(path) else { return nil }
        switch source {
        case .embedded:
            return prepared[path]
        case .directory(let root):
            guard let data = FileManager.default.contents(atPath: root + "/" + path) else { return nil }
            return file(path: path, bytes: Array(data), compress: false)
        }
    }

    /// No empty, `.` or `..` component and no leading `/`: only names below the UI's root.
    static func isSafe(_ path: String) -> Bool {
        !path.isEmpty && !path.hasPrefix("/") && !path.contains("\\")
            && path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." && !$0.hasPrefix(".") }
    }

    static func contentType(of path: String) -> String {
        switch path.split(separator: ".").last {
        case "html": "text/html; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "svg": "image/svg+xml"
        case "json": "application/json"
        default: "text/plain; charset=utf-8"
        }
    }

    private static func file(path: String, bytes: [UInt8], compress: Bool) -> File {
        let etag = "\"" + SecretGenerator.hex(SHA256.hash(data: bytes).prefix(8)) + "\""
        var gzip: (ByteBuffer, String)?
        if compress, bytes.count > 512, let packed = try? Gzip.compress(bytes), packed.count < bytes.count {
            gzip = (ByteBuffer(bytes: packed), String(etag.dropLast()) + "-gzip\"")
        }
        return File(body: ByteBuffer(bytes: bytes), contentType: contentType(of: path), etag: etag, gzip: gzip)
    }
}
