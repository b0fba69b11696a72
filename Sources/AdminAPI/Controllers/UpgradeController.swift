import Archive
import Foundation
import HTTPTypes
import Logging
import Hummingbird
import NIOCore
import SystemCalls

/// `POST /api/upgrade` and `GET /api/system/arch` (reference §5.18): replace this node's binary
/// with an uploaded one, after checking it, then restart.
///
/// Two forms are accepted: a `.tar.gz` holding a `hy2scale` executable, or the Debian package.
/// An archive's binary must be an ELF executable for this machine that runs and names itself
/// `hy2scale`; it then replaces the running binary by rename (atomic). A package must be
/// `hy2scale` for this architecture; it is installed with `dpkg -i`. Nothing is replaced when
/// a check fails.
struct UpgradeController {
    let deps: AdminDependencies
    let limiter: LoginLimiter<ContinuousClock>
    /// How long a candidate binary may take to print its version, and dpkg to read a package.
    static let versionCheckTimeout: Duration = .seconds(10)
    /// How long `dpkg -i` may take: its maintainer scripts restart the service, and stopping it
    /// half-way would leave the package half configured.
    static let installTimeout: Duration = .seconds(300)

    func addRoutes(to group: RouterGroup<AdminRequestContext>) {
        group.post("upgrade", use: upgrade)
        group.get("system/arch", use: arch)
    }

    struct Arch: ResponseEncodable {
        var arch = "amd64"
        var os = "linux"
        var binary = "hy2scale"
        var in_docker = FileManager.default.fileExists(atPath: "/.dockerenv")
        var version = BuildInfo.version
    }

    @Sendable func arch(_ request: Request, context: AdminRequestContext) async throws -> Arch { Arch() }

    struct Done: ResponseEncodable {
        var status = "ok"
        var message: String
    }

    @Sendable func upgrade(_ request: Request, context: AdminRequestContext) async throws -> Done {
        let bytes = try await Upload.receive(request, context: context, action: "upgrade",
                                             reauthentication: Reauthentication(deps: deps, limiter: limiter))
        let message: String
        if bytes.starts(with: Array("!<arch>\n".utf8)) {
            message = try await installPackage(bytes)
        } else if bytes.starts(with: [0x1F, 0x8B]) {
            message = try await replaceBinary(fromArchive: bytes)
        } else {
            throw APIError.badRequest("send a hy2scale .deb package or a .tar.gz holding the hy2scale binary")
        }
        deps.logger.notice("upgrade installed; restarting",
                           metadata: ["upgrade.result": "\(message)", "client.address": "\(context.clientAddress)"])
        await deps.requestRestart()
        return Done(message: message + "; restarting")
    }

    private func replaceBinary(fromArchive bytes: [UInt8]) async throws -> String {
        let files: [ArchiveFile]
        do {
            files = try BackupArchive.read(bytes, maxFileSize: 200 << 20, maxTotalSize: 400 << 20)
        } catch {
            throw APIError.badRequest("not a readable .tar.gz: \(error)")
        }
        guard let binary = files.first(where: { $0.path == "hy2scale" || $0.path.hasSuffix("/hy2scale") }) else {
            throw APIError.badRequest("the archive has no hy2scale binary")
        }
        guard Self.isELFExecutableForThisMachine(binary.contents) else {
            throw APIError.badRequest("hy2scale in the archive is not an x86-64 Linux executable")
        }
        let target = URL(fileURLWithPath: deps.executablePath)
        let candidate = target.deletingLastPathComponent().appendingPathComponent(".hy2scale.upgrade-\(UUID().uuidString)")
        do {
            try Data(binary.contents).write(to: candidate)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: candidate.path)
        } catch {
            throw APIError(.forbidden, "cannot write next to \(target.path): \(error.localizedDescription)")
        }
        var placed = false
        defer { if !placed { try? FileManager.default.removeItem(at: candidate) } }  // best effort cleanup
        let version = try await Self.run(candidate.path, ["version"])
        guard version.status == 0, version.output.hasPrefix("hy2scale ") else {
            throw APIError.badRequest("the uploaded binary does not run as hy2scale (exit \(version.status))")
        }
        do throws(SystemCallError) {
            try Posix.rename(candidate.path, target.path)
        } catch {
            throw APIError(.forbidden, "cannot replace \(target.path): \(error.reason)")
        }
        placed = true
        return "installed \(version.output.trimmingCharacters(in: .whitespacesAndNewlines))"
    }

    private func installPackage(_ bytes: [UInt8]) async throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("hy2scale-upgrade-\(UUID().uuidString).deb")
        defer { try? FileManager.default.removeItem(at: file) }  // best effort: a temp file
        do {
            try Data(bytes).write(to: file)
        } catch {
            throw APIError(.internalServerError, "cannot store the package: \(error.localizedDescription)")
        }
        let fields = try await Self.run("/usr/bin/dpkg-deb", ["--field", file.path, "Package", "Architecture", "Version"])
        guard fields.status == 0 else { throw APIError.badRequest("not a Debian package: \(fields.output)") }
        let values = Dictionary(fields.output.split(separator: "\n").compactMap { line -> (String, String)? in
            let parts = line.split(separator: ":", maxSplits: 1)
            return parts.count == 2 ? (String(parts[0]), parts[1].trimmingCharacters(in: .whitespaces)) : nil
        }, uniquingKeysWith: { a, _ in a })
        guard values["Package"] == "hy2scale" else {
            throw APIError.badRequest("the package is \"\(values["Package"] ?? "?")\", not hy2scale")
        }
        let machine = try await Self.run("/usr/bin/dpkg", ["--print-architecture"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard values["Architecture"] == machine || values["Architecture"] == "all" else {
            throw APIError.badRequest("the package is for \(values["Architecture"] ?? "?"), this machine is \(machine)")
        }
        let install = try await Self.run("/usr/bin/dpkg", ["-i", file.path], within: Self.installTimeout)
        guard install.status == 0 else {
            throw APIError(.forbidden, "dpkg could not install the package: \(install.output.suffix(500))")
        }
        return "installed hy2scale \(values["Version"] ?? "")"
    }

    /// ELF magic, 64-bit, little-endian, executable or shared object, machine x86-64 (62).
    static func isELFExecutableForThisMachine(_ bytes: [UInt8]) -> Bool {
        guard bytes.count > 64, bytes.starts(with: [0x7F, 0x45, 0x4C, 0x46]), bytes[4] == 2, bytes[5] == 1 else { return false }
        let type = UInt16(bytes[16]) | UInt16(bytes[17]) << 8
        let machine = UInt16(bytes[18]) | UInt16(bytes[19]) << 8
        return (type == 2 || type == 3) && machine == 62
    }

    /// Runs a program to completion (stopped after `limit`), with its output. It waits by
    /// sleeping, so no thread of the cooperative pool is held while the program runs.
    static func run(_ path: String, _ arguments: [String],
                    within limit: Duration = versionCheckTimeout) async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw APIError(.internalServerError, "cannot run \(path): \(error.localizedDescription)")
        }
        let deadline = ContinuousClock.now.advanced(by: limit)
        while process.isRunning, ContinuousClock.now < deadline {
            // A client that goes away cancels the request, but an install is seen through: once
            // cancelled, a task's sleep returns at once, so the wait blocks instead of spinning.
            if Task.isCancelled { usleep(20_000) } else { try? await Task.sleep(for: .milliseconds(20)) }
        }
        if process.isRunning { process.terminate() }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
