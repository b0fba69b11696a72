public import Addressing
import CNftnl  // SOCK_DGRAM and SOCK_CLOEXEC: a release build finds them only through the shim
import Foundation
import Glibc
public import LinuxNet
public import Logging
import NodeState
import Synchronization
import SystemCalls

/// The L2TP server: a supervised xl2tpd, which starts a pppd per call, and the users' secrets
/// those read. Who holds which PPP address is what pppd's hooks recorded in the state directory,
/// so it survives a restart of the node.
///
/// pppd reads its secrets and options only under `/etc/ppp`; xl2tpd therefore runs in a mount
/// namespace of its own where the node's `ppp/` directory is mounted over `/etc/ppp` (the host's
/// stays untouched). Under the Debian unit, which mounts it there for the whole service
/// (`BindPaths=`), no namespace is made.
public final class L2TPGateway: Sendable {
    /// Where Debian's `xl2tpd` and `ppp` put them.
    public static let daemonPath = "/usr/sbin/xl2tpd"
    public static let pppdPath = "/usr/sbin/pppd"
    static let unsharePath = "/usr/bin/unshare"
    /// The devices clients' packets come in on: pppd makes one per call.
    public static let deviceName = "ppp*"
    /// How long a start may take before xl2tpd's control pipe is there.
    static let startLimit: Duration = .seconds(10)

    private let directory: String
    private let logger: Logger
    private let kernelESP: @Sendable () -> Bool
    private let exited: @Sendable () -> Void
    private let daemon = Mutex<(process: SupervisedProcess, server: L2TPSpec.Server)?>(nil)
    private let secrets = Mutex<[String: L2TPSpec.ChapSecret]>([:])
    private let lastFailure = Mutex<String?>(nil)

    /// - Parameters:
    ///   - directory: xl2tpd's configuration, pppd's `/etc/ppp` and the calls' records (in the
    ///     state directory).
    ///   - kernelESP: whether this kernel carries ESP, which L2TP's IPsec (transport mode) needs.
    ///   - exited: called when xl2tpd ended on its own (after its backoff).
    public init(directory: String, logger: Logger, kernelESP: @escaping @Sendable () -> Bool, exited: @escaping @Sendable () -> Void) {
        self.directory = directory
        self.logger = logger
        self.kernelESP = kernelESP
        self.exited = exited
    }

    var pppDirectory: String { directory + "/ppp" }
    var sessionsDirectory: String { directory + "/sessions" }
    private var controlPipe: String { directory + "/control" }

    static let notInstalled = "xl2tpd or pppd is not installed: install the Debian packages xl2tpd and ppp"

    /// What runs of what was asked: xl2tpd while it runs, and the secrets written.
    func observe() -> [L2TPResource] {
        let server = daemon.withLock { $0.flatMap { $0.process.isRunning ? $0.server : nil } }
        return (server.map { [.daemon($0)] } ?? []) + secrets.withLock { $0.values.map(L2TPResource.secret) }
    }

    /// Why this host cannot run the server; `nil` when it can.
    func missing() -> String? {
        guard geteuid() == 0 else { return "not running as root (NET_ADMIN and mounts are needed)" }
        guard [Self.daemonPath, Self.pppdPath].allSatisfy({ (try? Posix.access($0, X_OK)) != nil }),
              FileManager.default.fileExists(atPath: "/etc/ppp") else { return Self.notInstalled }
        if let missing = KernelPPP.missingL2TP() { return missing }
        return kernelESP() ? nil : IPsecGateway.noTransport
    }

    /// Writes the files and starts xl2tpd with `server`; one that was running is replaced, and
    /// its calls end.
    func start(_ server: L2TPSpec.Server) async throws(L2TPError) {
        if let missing = missing() { throw .unavailable(missing) }
        await stop()
        if Self.isTaken(port: server.port) {
            throw .daemon("UDP port \(server.port) is taken by another program (Debian's own xl2tpd service? systemctl disable --now xl2tpd)")
        }
        do {
            try writeFiles(server)
        } catch {
            throw .daemon("cannot write xl2tpd's files in \(directory): \(error)")
        }
        let process = SupervisedProcess(name: "xl2tpd", executable: launcher.executable, arguments: launcher.arguments,
                                        environment: [:], logger: logger, exited: exited)
        daemon.withLock { $0 = (process, server) }
        do {
            try await process.start(within: Self.startLimit) { [controlPipe] in FileManager.default.fileExists(atPath: controlPipe) }
        } catch {
            throw .daemon(error.reason)
        }
    }

    /// Stops xl2tpd and ends every call.
    func stop() async {
        let running = daemon.withLock { current in
            defer { current = nil }
            return current
        }
        await running?.process.stop()
        for (_, session) in sessions() { terminate(session) }
        try? FileManager.default.removeItem(atPath: sessionsDirectory)
    }

    /// Writes `secret` into `chap-secrets`; pppd reads it at each authentication.
    func load(_ secret: L2TPSpec.ChapSecret) throws(L2TPError) {
        secrets.withLock { $0[secret.username] = secret }
        try writeSecrets()
    }

    /// Takes `secret`'s user out of `chap-secrets` and ends the user's calls.
    func unload(_ secret: L2TPSpec.ChapSecret) throws(L2TPError) {
        secrets.withLock { $0[secret.username] = nil }
        try writeSecrets()
        for (_, session) in sessions() where session.username == secret.username { terminate(session) }
    }

    /// The user holding PPP address `address` now: the pppd the `ip-up` hook recorded for it,
    /// while that pppd lives.
    public func username(at address: IPAddress) -> String? {
        guard address.isIPv4, let session = session(at: "\(address)"), isPPPD(session.pid) else { return nil }
        return session.username
    }

    /// Records why the last change failed, for ``status()``; `nil` after a success.
    func record(failure: String?) { lastFailure.withLock { $0 = failure } }

    /// Whether xl2tpd runs and, when it does not or a change failed, why. Never probes the
    /// kernel (which would load its PPP and ESP modules): what a start found is the reason.
    public func status() -> (isRunning: Bool, reason: String?) {
        let process = daemon.withLock { $0?.process }
        let failure = lastFailure.withLock { $0 }
        guard let process, process.isRunning else { return (false, failure ?? process?.stoppedReason) }
        return (true, failure)
    }

    /// xl2tpd in the foreground with the node's files: directly when `/etc/ppp` already is the
    /// node's directory, else in a private mount namespace that mounts it there first.
    private var launcher: (executable: String, arguments: [String]) {
        let xl2tpd = [Self.daemonPath, "-D", "-c", directory + "/xl2tpd.conf", "-s", directory + "/l2tp-secrets",
                      "-p", directory + "/xl2tpd.pid", "-C", controlPipe]
        if Self.sameDirectory("/etc/ppp", pppDirectory) { return (xl2tpd[0], Array(xl2tpd.dropFirst())) }
        return (Self.unsharePath, ["--mount", "--propagation", "private", "/bin/sh", "-c",
                                   #"mount --bind "$0" /etc/ppp && exec "$@""#, pppDirectory] + xl2tpd)
    }

    private func writeFiles(_ server: L2TPSpec.Server) throws {
        let files = FileManager.default
        for path in [directory, pppDirectory, sessionsDirectory] {
            try files.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        for stale in (try? files.contentsOfDirectory(atPath: sessionsDirectory)) ?? [] {
            try? files.removeItem(atPath: sessionsDirectory + "/" + stale)
        }
        try? files.removeItem(atPath: controlPipe)
        let ipUp = pppDirectory + "/ip-up.hy2scale", ipDown = pppDirectory + "/ip-down.hy2scale"
        try write(L2TPFiles.ipUp(sessions: sessionsDirectory), to: ipUp, mode: 0o700)
        try write(L2TPFiles.ipDown(sessions: sessionsDirectory), to: ipDown, mode: 0o700)
        // pppd reads /etc/ppp/options before anything else: the node's is empty.
        try write("# Written by hy2scale: pppd's options are in options.xl2tpd.\n", to: pppDirectory + "/options", mode: 0o600)
        try write(L2TPFiles.pppOptions(server, ipUp: ipUp, ipDown: ipDown), to: pppDirectory + "/options.xl2tpd", mode: 0o600)
        try write(L2TPFiles.xl2tpdConf(server, pppOptions: pppDirectory + "/options.xl2tpd"), to: directory + "/xl2tpd.conf", mode: 0o600)
        try write("", to: directory + "/l2tp-secrets", mode: 0o600)
        try writeSecrets()
    }

    private func writeSecrets() throws(L2TPError) {
        let text = L2TPFiles.chapSecrets(secrets.withLock { $0.values.sorted { $0.username < $1.username } })
        do {
            try FileManager.default.createDirectory(atPath: pppDirectory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            try write(text, to: pppDirectory + "/chap-secrets", mode: 0o600)
        } catch {
            throw .daemon("cannot write \(pppDirectory)/chap-secrets: \(error)")
        }
    }

    /// Written whole and renamed into place, with its mode from the start (a secret is never
    /// readable by others, whatever the umask).
    private func write(_ text: String, to path: String, mode: UInt32) throws(FileSystemError) {
        try FileIO.replace(URL(fileURLWithPath: path), with: Data(text.utf8), mode: mode)
    }

    /// The calls the hooks recorded, by client address.
    private func sessions() -> [(String, L2TPFiles.Session)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: sessionsDirectory)) ?? []
        return names.filter { !$0.hasPrefix(".") }.compactMap { name in session(at: name).map { (name, $0) } }
    }

    private func session(at name: String) -> L2TPFiles.Session? {
        guard let record = try? String(contentsOfFile: sessionsDirectory + "/" + name, encoding: .utf8) else { return nil }
        return L2TPFiles.Session(record: record)
    }

    /// Ends a call: its pppd hangs up, and its `ip-down` hook forgets the address.
    private func terminate(_ session: L2TPFiles.Session) {
        guard isPPPD(session.pid) else { return }
        try? Posix.kill(session.pid, SIGTERM)
        logger.info("l2tp call ended", metadata: ["user": "\(session.username)", "device": "\(session.interface)"])
    }

    /// Whether `pid` is a pppd now (a record may outlive its pppd, and pids are reused).
    private func isPPPD(_ pid: Int32) -> Bool {
        (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) == "pppd"
    }

    /// Whether another socket holds UDP `port` on every address, where xl2tpd binds.
    private static func isTaken(port: UInt16) -> Bool {
        guard let descriptor = try? Posix.socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)) else { return false }
        defer { try? Posix.close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        do {
            try Posix.bind(descriptor, to: address)
            return false
        } catch {
            return error.errno == EADDRINUSE
        }
    }

    private static func sameDirectory(_ a: String, _ b: String) -> Bool {
        guard let first = try? Posix.stat(a), let second = try? Posix.stat(b) else { return false }
        return first.st_dev == second.st_dev && first.st_ino == second.st_ino
    }
}
