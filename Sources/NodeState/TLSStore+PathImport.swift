public import Foundation

/// `POST /api/tls/import-path`: importing files from the server's own file system, confined to
/// allowed directories (fixes reference §9 item 21, which reads any file the process can).
extension TLSStore {
    /// Imports a certificate (and optionally its key) read from files under `allowedDirectories`,
    /// then checks and stores them exactly as ``importPEM(id:name:certificatePEM:keyPEM:replace:)``.
    ///
    /// A path must be absolute. It is resolved (symlinks, `.`, `..`) and must then lie inside one
    /// of `allowedDirectories` (themselves resolved; absent ones allow nothing); the file is
    /// opened without following a final symlink and, on Linux, the opened file's real path is
    /// checked again, so a symlink swapped in between cannot lead outside. Only regular files of
    /// at most ``fileSizeLimit`` bytes are read. Whether a file outside exists is not revealed.
    /// - Parameters:
    ///   - keyPath: `nil` or empty to import the certificate alone.
    ///   - allowedDirectories: where files may be read from; empty refuses every path.
    /// - Throws: ``TLSStoreError/pathNotAllowed(field:path:allowedDirectories:)``,
    ///   ``TLSStoreError/fileTooLarge(field:path:limit:)``, ``TLSStoreError/unreadableFile(field:path:reason:)``,
    ///   ``TLSStoreError/invalidField(field:reason:)`` (empty or relative path), then what
    ///   ``importPEM(id:name:certificatePEM:keyPEM:replace:)`` throws.
    @discardableResult
    public func importFromPath(
        id: String, name: String? = nil, certificatePath: String, keyPath: String? = nil,
        allowedDirectories: [URL], replace: Bool = false
    ) throws(TLSStoreError) -> CertificateInfo {
        _ = try files(id)  // refuse a bad id before reading anything
        let certificatePEM = try Self.readConfined(certificatePath, field: "cert_path", allowedDirectories: allowedDirectories)
        var keyPEM: String?
        if let keyPath, !keyPath.isEmpty {
            keyPEM = try Self.readConfined(keyPath, field: "key_path", allowedDirectories: allowedDirectories)
        }
        return try importPEM(id: id, name: name, certificatePEM: certificatePEM, keyPEM: keyPEM, replace: replace)
    }

    /// The text of the regular file at `path` if it resolves inside one of `allowedDirectories`.
    static func readConfined(_ path: String, field: String, allowedDirectories: [URL]) throws(TLSStoreError) -> String {
        let shown = allowedDirectories.map(\.path)
        guard path.hasPrefix("/") else {
            throw .invalidField(field: field, reason: "\(path.debugDescription) is not an absolute path; give the full path of a PEM file")
        }
        // An allowed directory that does not exist allows nothing.
        let roots = allowedDirectories.compactMap { try? FileIO.realPath($0.path) }
        let resolved: String
        do {
            resolved = try FileIO.realPath(path)
        } catch {
            // Say why only for paths that are inside by their spelling, so a refused request does
            // not tell whether a file exists elsewhere.
            guard isInside(URL(fileURLWithPath: path).standardizedFileURL.path, roots: roots) else {
                throw .pathNotAllowed(field: field, path: path, allowedDirectories: shown)
            }
            throw .unreadableFile(field: field, path: path, reason: error.reason)
        }
        guard isInside(resolved, roots: roots) else {
            throw .pathNotAllowed(field: field, path: path, allowedDirectories: shown)
        }
        let result: FileIO.RegularFileRead
        do {
            result = try FileIO.readRegularFile(resolved, limit: fileSizeLimit) { isInside($0, roots: roots) }
        } catch {
            throw .unreadableFile(field: field, path: path, reason: error.reason)
        }
        switch result {
        case .contents(let data):
            return String(decoding: data, as: UTF8.self)
        case .notAllowed:
            throw .pathNotAllowed(field: field, path: path, allowedDirectories: shown)
        case .notRegular:
            throw .unreadableFile(field: field, path: path, reason: "not a regular file")
        case .tooLarge:
            throw .fileTooLarge(field: field, path: path, limit: fileSizeLimit)
        }
    }

    /// Whether `path` is one of `roots` or below one, compared by whole components.
    static func isInside(_ path: String, roots: [String]) -> Bool {
        roots.contains { root in
            path == root || path.hasPrefix(root.hasSuffix("/") ? root : root + "/")
        }
    }
}
