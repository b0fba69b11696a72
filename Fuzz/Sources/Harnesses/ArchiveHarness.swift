import AdminAPI
import Archive

/// Backup archives (`.tar.gz`, `BackupArchive.read` with the limits `POST /api/restore` uses,
/// through the route's own multipart and restore-plan steps).
///
/// Input: a mode byte; mode 0 is a raw upload, mode 1 a raw tar that is gzipped first (so the
/// tar reader sees the input itself), mode 2 files to pack and read back, mode 3 a multipart
/// upload around a gzipped tar.
enum ArchiveHarness: FuzzHarness {
    static let name = "archive"
    static let summary = "backup tar.gz: raw uploads and tars are refused or read within limits; make and read are inverse"

    static func run(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        switch input.byte() % 4 {
        case 0:
            let upload = input.rest()
            restore(upload, contentType: nil)
            if let files = try? BackupArchive.read(upload, maxFileSize: 1 << 20, maxTotalSize: 1 << 22) { checkPaths(files) }
        case 1:
            let tar = input.rest()
            guard let gzipped = try? Gzip.compress(tar) else {
                require(false, "gzip refused \(tar.count) bytes")
                return
            }
            require((try? Gzip.decompress(gzipped, limit: tar.count)) == tar, "gzip does not round-trip \(tar.count) bytes")
            restore(gzipped, contentType: nil)
            if let files = try? BackupArchive.read(gzipped, maxFileSize: 1 << 20, maxTotalSize: 1 << 22) { checkPaths(files) }
            if let files = try? BackupArchive.read(gzipped, maxFileSize: 64, maxTotalSize: 128) {
                require(files.allSatisfy { $0.contents.count <= 64 } && files.reduce(0) { $0 + $1.contents.count } <= 128,
                        "an archive past small limits was read")
            }
        case 2:
            var files: [ArchiveFile] = []
            for _ in 0..<input.int(in: 0...4) {
                let path = input.pick(["config.yaml", "node-id", "state.db", "tls/default.crt", "tls/a/b.key", "x"])
                    + (input.bool() ? input.text(upTo: 8) : "")
                files.append(ArchiveFile(path: path, mode: UInt32(input.integer(UInt16.self) & 0o777), contents: input.bytes(upTo: 200)))
            }
            let time = Int64(input.integer(UInt32.self))
            guard let archive = try? BackupArchive.make(files: files, modificationTime: time) else { return }
            do {
                let read = try BackupArchive.read(archive, maxFileSize: 1 << 20, maxTotalSize: 1 << 22)
                checkPaths(read)
                require(read == files, "files \(clip(files.map(\.path))) came back as \(clip(read.map(\.path)))")
            } catch {
                require(false, "an archive made of \(clip(files.map(\.path))) cannot be read: \(error)")
            }
            restore(archive, contentType: nil)
        default:
            let boundary = input.text(upTo: 12)
            let part = input.rest()
            let gzipped = (try? Gzip.compress(part)) ?? []
            let body = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"b.tar.gz\"\r\n\r\n".utf8)
                + gzipped + Array("\r\n--\(boundary)--\r\n".utf8)
            restore(body, contentType: "multipart/form-data; boundary=\"\(boundary)\"")
        }
    }

    /// What `TarEntry.path` promises, byte by byte as a file system reads it: relative, and no
    /// empty, `.` or `..` component, so it stays inside the directory it is joined to.
    private static func checkPaths(_ files: [ArchiveFile]) {
        for file in files {
            let components = Array(file.path.utf8).split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
            require(!file.path.utf8.isEmpty && file.path.utf8.first != UInt8(ascii: "/")
                    && !components.contains { $0.isEmpty || Array($0) == [0x2E] || Array($0) == [0x2E, 0x2E] },
                    "archive path \(clip(file.path.unicodeScalars.map { $0.escaped(asASCII: true) }.joined())) can leave its directory")
        }
    }

    /// The restore route's checks on an upload: each ends in a plan or an error, never a trap.
    private static func restore(_ body: [UInt8], contentType: String?) {
        guard let plan = try? RequestBodyDecoding.restorePlan(body, contentType: contentType) else { return }
        require(plan.nodeID.map { $0.count == 8 } ?? true, "a restore plan with node id \(clip(plan.nodeID as Any))")
    }

    static var seeds: [(label: String, bytes: [UInt8])] {
        let files = [
            ArchiveFile(path: "config.yaml", mode: 0o600, contents: Array("name: a\n".utf8)),
            ArchiveFile(path: "node-id", mode: 0o644, contents: Array("a1b2c3d4\n".utf8)),
            ArchiveFile(path: "tls/default.crt", mode: 0o644, contents: Array("-----BEGIN CERTIFICATE-----\n".utf8)),
        ]
        let archive = (try? BackupArchive.make(files: files, modificationTime: 1_700_000_000)) ?? []
        let tar = (try? Gzip.decompress(archive, limit: 1 << 20)) ?? []
        return [
            ("upload", [0] + archive),
            ("tar", [1] + tar),
            ("make", [2, 2, 0, 0, 0x80, 0x01, 8] + Array("name: b\n".utf8) + [1, 1, 3] + Array("/x/".utf8) + [0xA4, 0x01, 2, 0x41, 0x42, 1, 2, 3, 4]),
            ("multipart", [3, 5] + Array("XyZ12".utf8) + tar),
        ]
    }
}
