import Archive
import Foundation
import TestSupport
import Testing

/// A backup like the admin API makes: config, state database, TLS store.
private func sampleFiles() -> [ArchiveFile] {
    var generator = SplitMix64(seed: 1)
    let database = (0..<20_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
    return [
        ArchiveFile(path: "config.yaml", mode: 0o600, contents: Array("listen: :443\nusers: []\n".utf8)),
        ArchiveFile(path: "state/state.db", mode: 0o600, contents: database),
        ArchiveFile(path: "tls/server.pem", mode: 0o644, contents: Array("-----BEGIN CERTIFICATE-----\n".utf8)),
        ArchiveFile(path: "tls/server.key", mode: 0o600, contents: Array("-----BEGIN PRIVATE KEY-----\n".utf8)),
        ArchiveFile(path: "empty.txt", mode: 0o640, contents: []),
        ArchiveFile(
            path: String(repeating: "long-directory-name/", count: 6) + String(repeating: "x", count: 60),
            mode: 0o600, contents: [1, 2, 3]
        ),
    ]
}

@Suite("Backup archive")
struct BackupArchiveTests {
    @Test("make then read gives the files back")
    func roundTrip() throws {
        let files = sampleFiles()
        let bytes = try BackupArchive.make(files: files, modificationTime: 1_700_000_000)
        #expect(try BackupArchive.read(bytes, maxFileSize: 1 << 20, maxTotalSize: 1 << 22) == files)
    }

    @Test("system tar lists and extracts the backup with identical contents and modes")
    func systemTarReads() async throws {
        try await withTemporaryDirectory { tmp in
            let files = sampleFiles()
            let backup = tmp.child("backup.tar.gz")
            try write(BackupArchive.make(files: files, modificationTime: 1_700_000_000), to: backup)

            let list = try shell(["tar", "-tzf", backup.path])
            #expect(list.status == 0, "\(list.output)")
            let listed = Set(list.output.split(separator: "\n").map(String.init))
            for file in files { #expect(listed.contains(file.path)) }
            #expect(listed.contains("tls/"))

            let out = tmp.child("out")
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            let extract = try shell(["tar", "-xpzf", backup.path, "-C", out.path])
            #expect(extract.status == 0, "\(extract.output)")
            for file in files {
                let url = out.appendingPathComponent(file.path)
                #expect(try read(url) == file.contents, "\(file.path)")
                #expect(try permissions(of: url) == file.mode, "\(file.path)")
            }
            #expect(try permissions(of: out.appendingPathComponent("tls")) == BackupArchive.directoryMode)
        }
    }

    @Test("an archive made by system tar is read correctly")
    func readsSystemTar() async throws {
        try await withTemporaryDirectory { tmp in
            let source = tmp.child("src")
            for file in sampleFiles() {
                let url = source.appendingPathComponent(file.path)
                try write(file.contents, to: url)
                try FileManager.default.setAttributes([.posixPermissions: Int(file.mode)], ofItemAtPath: url.path)
            }
            let expected = sampleFiles().sorted { $0.path < $1.path }
            // GNU tar's default format (long names as ././@LongLink) and POSIX ustar (prefix field).
            for (format, names) in [("ustar", ["."]), ("gnu", ["config.yaml", "state", "tls", "empty.txt"])] {
                let archive = tmp.child("system-\(format).tar.gz")
                let made = try shell(["tar", "--format=\(format)", "-czf", archive.path, "-C", source.path] + names)
                #expect(made.status == 0, "\(made.output)")
                let files = try BackupArchive.read(read(archive), maxFileSize: 1 << 20, maxTotalSize: 1 << 22)
                let want = format == "gnu" ? expected.filter { !$0.path.hasPrefix("long-") } : expected
                #expect(files.sorted { $0.path < $1.path } == want, "format \(format)")
            }
        }
    }

    @Test("a GNU long-name entry from system tar is refused, not misread")
    func gnuLongNameRefused() async throws {
        try await withTemporaryDirectory { tmp in
            let name = String(repeating: "n", count: 120)
            try write([1], to: tmp.child(name))
            let archive = tmp.child("long.tar.gz")
            #expect(try shell(["tar", "--format=gnu", "-czf", archive.path, "-C", tmp.url.path, name]).status == 0)
            #expect(throws: ArchiveError(.unsupportedEntryType, "")) {
                try BackupArchive.read(read(archive), maxFileSize: 100, maxTotalSize: 100)
            }
        }
    }

    @Test("a symlink archived by system tar is refused")
    func systemSymlinkRefused() async throws {
        try await withTemporaryDirectory { tmp in
            try FileManager.default.createSymbolicLink(atPath: tmp.child("passwd").path, withDestinationPath: "/etc/passwd")
            let archive = tmp.child("link.tar.gz")
            #expect(try shell(["tar", "-czf", archive.path, "-C", tmp.url.path, "passwd"]).status == 0)
            let error = #expect(throws: ArchiveError(.unsupportedEntryType, "")) {
                try BackupArchive.read(read(archive), maxFileSize: 100, maxTotalSize: 100)
            }
            #expect(error?.message.contains("symbolic link") == true)
        }
    }

    @Test("bad inputs each give their typed error")
    func badInputs() throws {
        func read(_ bytes: [UInt8]) throws(ArchiveError) { _ = try BackupArchive.read(bytes, maxFileSize: 1 << 20, maxTotalSize: 1 << 20) }
        var generator = SplitMix64(seed: 99)
        let random = (0..<10_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        #expect(throws: ArchiveError(.corruptGzip, "")) { try read(random) }

        let good = try BackupArchive.make(files: sampleFiles())
        #expect(throws: ArchiveError(.truncatedGzip, "")) { try read(Array(good.prefix(good.count / 2))) }

        let bomb = try Gzip.compress(RawTar.header(name: "zeros", size: 64 << 20) + [UInt8](repeating: 0, count: 64 << 20) + RawTar.end)
        #expect(throws: ArchiveError(.decompressedTooLarge, "")) { try read(bomb) }

        #expect(throws: ArchiveError(.invalidPath, "")) { try read(Gzip.compress(RawTar.archive(name: "../evil", contents: [1]))) }
        #expect(throws: ArchiveError(.invalidPath, "")) { try read(Gzip.compress(RawTar.archive(name: "/etc/passwd", contents: [1]))) }
        #expect(throws: ArchiveError(.unsupportedEntryType, "")) {
            try read(Gzip.compress(RawTar.archive(name: "passwd", type: "2", linkName: "/etc/passwd")))
        }
        #expect(throws: ArchiveError(.badChecksum, "")) {
            try read(Gzip.compress(RawTar.header(name: "a", checksumDelta: -1) + RawTar.end))
        }
        #expect(throws: ArchiveError(.truncatedTar, "")) { try read(Gzip.compress(RawTar.header(name: "a", size: 10))) }
    }

    @Test("per-file and total bounds apply")
    func bounds() throws {
        let bytes = try BackupArchive.make(files: sampleFiles())
        #expect(throws: ArchiveError(.fileTooLarge, "")) { try BackupArchive.read(bytes, maxFileSize: 10_000, maxTotalSize: 1 << 20) }
        #expect(throws: ArchiveError(.archiveTooLarge, "")) { try BackupArchive.read(bytes, maxFileSize: 1 << 20, maxTotalSize: 20_000) }
    }

    @Test("make refuses unsafe paths, duplicates, and a file that is another file's directory")
    func makeRefuses() {
        #expect(throws: ArchiveError(.invalidPath, "")) { try BackupArchive.make(files: [ArchiveFile(path: "../x", contents: [])]) }
        #expect(throws: ArchiveError(.duplicatePath, "")) {
            try BackupArchive.make(files: [ArchiveFile(path: "a", contents: []), ArchiveFile(path: "a", contents: [])])
        }
        #expect(throws: ArchiveError(.duplicatePath, "")) {
            try BackupArchive.make(files: [ArchiveFile(path: "a/b", contents: []), ArchiveFile(path: "a", contents: [])])
        }
        #expect(throws: ArchiveError(.duplicatePath, "")) {
            try BackupArchive.make(files: [ArchiveFile(path: "a", contents: []), ArchiveFile(path: "a/b", contents: [])])
        }
    }

    @Test("randomly corrupted backups give a result or an ArchiveError, never a trap or a hang",
          .timeLimit(.minutes(2)))
    func corruptionLoop() throws {
        let seed = ProcessInfo.processInfo.environment["ARCHIVE_FUZZ_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 0...UInt64.max)
        print("ArchiveTests corruption loop seed: \(seed) (replay with ARCHIVE_FUZZ_SEED=\(seed))")
        var generator = SplitMix64(seed: seed)
        let files = Array(sampleFiles().prefix(4)) + [ArchiveFile(path: "small", contents: [9])]
        var tar = TarArchive()
        for file in files { try tar.addFile(path: file.path, mode: file.mode, contents: file.contents) }
        let tarBytes = tar.bytes
        let gzBytes = try Gzip.compress(tarBytes)

        func mutate(_ input: [UInt8]) -> [UInt8] {
            var bytes = input
            switch Int.random(in: 0..<4, using: &generator) {
            case 0:  // flip a few bytes, biased to the headers where they matter most
                for _ in 0..<Int.random(in: 1...8, using: &generator) where !bytes.isEmpty {
                    let index = Bool.random(using: &generator) ? Int.random(in: 0..<min(512, bytes.count), using: &generator)
                                                               : Int.random(in: 0..<bytes.count, using: &generator)
                    bytes[index] = UInt8.random(in: 0...255, using: &generator)
                }
            case 1:
                bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &generator)))
            case 2:
                let at = Int.random(in: 0...bytes.count, using: &generator)
                bytes.insert(contentsOf: (0..<Int.random(in: 1...600, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }, at: at)
            default:
                let start = Int.random(in: 0...bytes.count, using: &generator)
                bytes.removeSubrange(start..<Int.random(in: start...bytes.count, using: &generator))
            }
            return bytes
        }

        var outcomes: [String: Int] = [:]
        for round in 0..<600 {
            // Half the rounds damage the gzip stream, half damage the tar inside a valid gzip.
            let input = round % 2 == 0 ? mutate(gzBytes) : try Gzip.compress(mutate(tarBytes))
            do throws(ArchiveError) {
                let read = try BackupArchive.read(input, maxFileSize: 1 << 20, maxTotalSize: 1 << 21)
                outcomes["ok", default: 0] += 1
                for file in read { #expect(!file.path.hasPrefix("/") && !file.path.split(separator: "/").contains("..")) }
            } catch {
                outcomes[error.code.rawValue, default: 0] += 1
                #expect(!error.message.isEmpty)
            }
        }
        print("ArchiveTests corruption loop outcomes: \(outcomes.sorted { $0.key < $1.key })")
        #expect(outcomes.count > 3)
    }
}
