import Archive
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import TestSupport
import Testing

@Suite("Upgrades are checked before anything is replaced")
struct UpgradeAPITests {
    static let config = "name: gw\nserver:\n  listen: 127.0.0.1:5565\n  password: node-password\n"

    /// A small x86-64 executable that answers `version` like hy2scale, built with the system compiler.
    static func fakeNode(in dir: TemporaryDirectory, says line: String) throws -> [UInt8]? {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/cc") else { return nil }
        let source = dir.child("fake.c"), binary = dir.child("fake")
        try Data("#include <stdio.h>\nint main(void) { puts(\"\(line)\"); return 0; }\n".utf8).write(to: source)
        let cc = Process()
        cc.executableURL = URL(fileURLWithPath: "/usr/bin/cc")
        cc.arguments = ["-o", binary.path, source.path]
        try cc.run()
        cc.waitUntilExit()
        return cc.terminationStatus == 0 ? Array(try Data(contentsOf: binary)) : nil
    }

    func upload(_ api: APIClient, _ token: String, _ bytes: [UInt8]) async throws -> APIClient.Answer {
        try await api.client.execute(uri: "/scale/api/upgrade", method: .post,
                                     headers: [.authorization: "Bearer \(token)", .contentType: "application/gzip",
                                               .currentPassword: TestAdmin.digest],
                                     body: ByteBuffer(bytes: bytes)) { response in
            APIClient.Answer(status: response.status, headers: response.headers, body: String(buffer: response.body))
        }
    }

    @Test("an archive whose binary runs as hy2scale replaces the binary and asks for a restart",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/cc"), "needs a C compiler to build a stand-in binary"))
    func archive() async throws {
        let node = try APITestNode(config: Self.config)
        let good = try #require(try Self.fakeNode(in: node.dir, says: "hy2scale 9.9.9 (relay protocol 3)"))
        let impostor = try #require(try Self.fakeNode(in: node.dir, says: "something else"))
        try await node.test { api in
            let token = try await api.login()
            let refused: [[UInt8]] = [
                Array("not an archive".utf8),
                try BackupArchive.make(files: [ArchiveFile(path: "hy2scale", mode: 0o755, contents: Array("#!/bin/sh\necho hy2scale\n".utf8))]),
                try BackupArchive.make(files: [ArchiveFile(path: "hy2scale", mode: 0o755, contents: impostor)]),
                try BackupArchive.make(files: [ArchiveFile(path: "README", mode: 0o644, contents: Array("x".utf8))]),
            ]
            for bytes in refused {
                let answer = try await upload(api, token, bytes)
                #expect(answer.status == .badRequest, "\(answer.body)")
            }
            #expect(try String(contentsOf: node.executable, encoding: .utf8) == "old binary")
            #expect(node.restarts.value.isEmpty)

            let answer = try await upload(api, token, try BackupArchive.make(files: [
                ArchiveFile(path: "hy2scale-linux-amd64/hy2scale", mode: 0o755, contents: good),
            ]))
            #expect(answer.status == .ok, "\(answer.body)")
            #expect(Array(try Data(contentsOf: node.executable)) == good)
            #expect(node.restarts.value == "restart")
            let arch = try await api.call(.get, "system/arch", token: token).object
            #expect(arch["arch"] as? String == "amd64")
        }
    }

    @Test("a Debian package that is not hy2scale is refused",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/dpkg-deb"), "needs dpkg-deb"))
    func package() async throws {
        let node = try APITestNode(config: Self.config)
        let root = node.dir.child("pkg")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("DEBIAN"), withIntermediateDirectories: true)
        try Data("Package: other\nVersion: 1.0\nArchitecture: amd64\nMaintainer: t <t@example.invalid>\nDescription: t\n".utf8)
            .write(to: root.appendingPathComponent("DEBIAN/control"))
        let build = Process()
        build.executableURL = URL(fileURLWithPath: "/usr/bin/dpkg-deb")
        build.arguments = ["--build", root.path, node.dir.child("other.deb").path]
        build.standardOutput = FileHandle.nullDevice
        try build.run()
        build.waitUntilExit()
        let deb = Array(try Data(contentsOf: node.dir.child("other.deb")))
        try await node.test { api in
            let answer = try await upload(api, try await api.login(), deb)
            #expect(answer.status == .badRequest)
            #expect(answer.object["error"] as? String == "the package is \"other\", not hy2scale")
            #expect(node.restarts.value.isEmpty)
        }
    }
}
