import Archive
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NodeState
import ScaleConfig
import YAMLDocument

/// `GET /api/backup` and `POST /api/restore`: a `.tar.gz` of the config file, the node id, the
/// state database and the TLS store (reference §5.17).
///
/// A restore is checked whole before anything is replaced: every entry must be one this node
/// writes, the config must validate against the certificates in the archive, the database must
/// open. A bad archive changes nothing (reference §9 item 22).
struct BackupController {
    let deps: AdminDependencies
    let limiter: LoginLimiter<ContinuousClock>
    /// Largest single file accepted from an archive.
    static let maximumFileSize = 32 << 20
    /// Largest total accepted (the route's upload limit is 50 MiB compressed).
    static let maximumTotalSize = 64 << 20

    func addRoutes(to group: RouterGroup<AdminRequestContext>) {
        group.get("backup", use: backup)
        group.post("restore", use: restore)
    }

    @Sendable func backup(_ request: Request, context: AdminRequestContext) async throws -> Response {
        var files: [ArchiveFile] = []
        do {
            let config = try Data(contentsOf: URL(fileURLWithPath: await deps.configStore.path))
            files.append(ArchiveFile(path: "config.yaml", mode: 0o600, contents: Array(config)))
            files.append(ArchiveFile(path: "node-id", mode: 0o644, contents: Array(deps.nodeID.utf8)))
            files.append(ArchiveFile(path: "state.db", mode: 0o600, contents: Array(try deps.counters.store.backupData())))
            let tls = deps.tlsStore.directory
            for name in try FileManager.default.contentsOfDirectory(atPath: tls.path).sorted() where Self.isStoreFile(name) {
                let data = try Data(contentsOf: tls.appendingPathComponent(name))
                files.append(ArchiveFile(path: "tls/" + name, mode: name.hasSuffix(".key") ? 0o600 : 0o644,
                                         contents: Array(data)))
            }
            let archive = try BackupArchive.make(files: files, modificationTime: Int64(Date().timeIntervalSince1970))
            return Response(status: .ok, headers: [
                .contentType: "application/gzip",
                .contentDisposition: "attachment; filename=\"hy2scale-\(deps.nodeID)-backup.tar.gz\"",
            ], body: .init(byteBuffer: ByteBuffer(bytes: archive)))
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError(.internalServerError, "cannot make the backup: \(error)")
        }
    }

    @Sendable func restore(_ request: Request, context: AdminRequestContext) async throws -> MutationAnswer<RestoreNote> {
        let bytes = try await Upload.receive(request, context: context, action: "restore",
                                             reauthentication: Reauthentication(deps: deps, limiter: limiter))
        guard !bytes.isEmpty else { throw APIError.badRequest("the body is empty; send the .tar.gz made by /api/backup") }
        let files: [ArchiveFile]
        do {
            files = try BackupArchive.read(bytes, maxFileSize: Self.maximumFileSize, maxTotalSize: Self.maximumTotalSize)
        } catch {
            throw APIError.badRequest("not a backup archive: \(error)")
        }
        let plan = try RestorePlan(files: files)
        // Check what can be checked before replacing anything.
        let certificateIDs = Set(plan.tlsFiles.keys.filter { $0.hasSuffix(".crt") }.map { String($0.dropLast(4)) })
        do {
            _ = try ConfigFile.parse(plan.config, path: "backup:config.yaml", context: ValidationContext(
                tlsCertificateIDs: certificateIDs, nodeID: plan.nodeID ?? deps.nodeID,
                fileExists: { FileManager.default.fileExists(atPath: $0) }))
        } catch {
            throw APIError(.unprocessableContent, "the configuration in the backup is not valid; nothing was restored",
                           field: error.errors.first?.path?.description, problems: error.errors.map(\.description))
        }
        let database = FileManager.default.temporaryDirectory.appendingPathComponent("hy2scale-restore-\(UUID().uuidString).db")
        defer { try? FileManager.default.removeItem(at: database) }  // best effort: a temp file
        if let state = plan.state {
            do {
                try state.write(to: database)
                _ = try StateStore(url: database)  // opens, checks the schema, migrates the copy
            } catch {
                throw APIError.badRequest("the state database in the backup cannot be used: \(error)", field: "state.db")
            }
        }
        // Replace: state rows (one transaction), TLS store, node id, and the config last.
        do {
            if plan.state != nil {
                try deps.counters.restore(fromDatabaseAt: database)
            }
            let tls = deps.tlsStore.directory
            for name in try FileManager.default.contentsOfDirectory(atPath: tls.path) where Self.isStoreFile(name) && plan.tlsFiles[name] == nil {
                try FileManager.default.removeItem(at: tls.appendingPathComponent(name))
            }
            for (name, data) in plan.tlsFiles.sorted(by: { $0.key < $1.key }) {
                try FileIO.replace(tls.appendingPathComponent(name), with: data, mode: name.hasSuffix(".key") ? 0o600 : 0o644)
            }
            if let nodeID = plan.nodeID, nodeID != deps.nodeID {
                try FileIO.replace(deps.tlsStore.directory.deletingLastPathComponent().appendingPathComponent("node-id"),
                                   with: Data(nodeID.utf8), mode: 0o644)
            }
        } catch {
            throw APIError(.internalServerError, "restore stopped part way: \(error); restore the archive again")
        }
        let result = try await deps.configStore.replaceAll(with: plan.config)
        let note = plan.nodeID.map { $0 != deps.nodeID } == true
            ? "restored; the node id \(plan.nodeID ?? "") takes effect at the next start" : "restored"
        return MutationAnswer(result: result, extra: RestoreNote(message: note))
    }

    struct RestoreNote: Encodable, Sendable { var message: String }

    /// `<id>.crt|key|name|ca` with a valid id.
    static func isStoreFile(_ name: String) -> Bool {
        guard let dot = name.lastIndex(of: ".") else { return false }
        return ["crt", "key", "name", "ca"].contains(name[name.index(after: dot)...])
            && TLSStore.isValid(id: String(name[..<dot]))
    }

    /// What an archive holds, sorted into what a restore writes.
    struct RestorePlan {
        var config = Data()
        var nodeID: String?
        var state: Data?
        var tlsFiles: [String: Data] = [:]

        init(files: [ArchiveFile]) throws {
            var hasConfig = false
            for file in files {
                let data = Data(file.contents)
                switch file.path {
                case "config.yaml":
                    config = data
                    hasConfig = true
                case "node-id":
                    let id = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
                    guard StateDirectory.isValidNodeID(id) else {
                        throw APIError.badRequest("node-id in the backup is not 8 lower-case hex characters", field: "node-id")
                    }
                    nodeID = id
                case "state.db":
                    state = data
                case let path where path.hasPrefix("tls/") && isStoreFile(String(path.dropFirst(4))):
                    tlsFiles[String(path.dropFirst(4))] = data
                default:
                    throw APIError.badRequest("unexpected entry \"\(file.path)\"; a backup holds config.yaml, node-id, state.db and tls/", field: file.path)
                }
            }
            guard hasConfig else { throw APIError.badRequest("the archive has no config.yaml", field: "config.yaml") }
        }
    }
}
