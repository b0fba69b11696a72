import Foundation
import Glibc
import ScaleConfig
import TestSupport
import Testing

/// The admin password from the operator's side: what a fresh node does with it, and `passwd`.
@Suite("The admin password of a fresh node, and hy2scale passwd",
       .enabled(if: nodeBinary != nil, "the hy2scale binary is not built"),
       .enabled(if: ExternalTool.path("curl") != nil, "needs curl"))
struct AdminPasswordCommandTests {
    /// `POST`s or `GET`s `path` of the API on `port` with curl: the status and the JSON body.
    func call(_ port: Int, _ path: String, token: String? = nil, method: String = "GET",
              body: String? = nil) async throws -> (status: Int, json: [String: Any]) {
        var arguments = ["-s", "-o", "/dev/stdout", "-w", "\n%{http_code}", "-X", method, "-H", "Content-Type: application/json"]
        if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
        if let body { arguments += ["-d", body] }
        let run = try await ChildProcess.run(ExternalTool.path("curl")!, arguments + ["http://127.0.0.1:\(port)/scale/api/\(path)"])
        let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let json = (try? JSONSerialization.jsonObject(with: Data(lines.dropLast().joined(separator: "\n").utf8))) as? [String: Any]
        return (Int(lines.last ?? "") ?? 0, json ?? [:])
    }

    func login(_ port: Int, password: String) async throws -> (status: Int, json: [String: Any]) {
        try await call(port, "login", method: "POST",
                       body: #"{"username":"admin","password":"\#(AdminPassword.clientDigest(of: password))"}"#)
    }


    /// Runs `hy2scale passwd` with `input` on standard input.
    func passwd(_ dir: TemporaryDirectory, input: String, _ extra: [String] = []) async throws -> (status: Int32, stdout: String, stderr: String) {
        let binary = try #require(nodeBinary).path
        let command = ([binary, "passwd", "--config", dir.child("config.yaml").path, "--state-dir", dir.child("state").path] + extra)
            .map { "'\($0)'" }.joined(separator: " ")
        return try await ChildProcess.run("/bin/sh", ["-c", "printf '%s\\n' '\(input)' | \(command)"])
    }

    /// `hy2scale serve` on the directory's config and state, its API on any free port (read it
    /// with `boundPort("ui")`).
    func serve(_ dir: TemporaryDirectory) throws -> NodeProcess {
        try NodeProcess(["serve", "--config", dir.child("config.yaml").path, "--state-dir", dir.child("state").path,
                         "--api", "127.0.0.1:0"])
    }

    @Test("a fresh node refuses admin/admin, writes an initial password only it knows, and opens fully once that is changed")
    func freshNode() async throws {
        try await withTemporaryDirectory { dir in
            let node = try serve(dir)
            defer { if node.isRunning { node.signal(SIGKILL) } }
            #expect(await eventually { node.stderr.contains("config accepted") }, "\(node.stderr)")
            let port = try #require(await node.boundPort("ui"), "\(node.stderr)")
            let file = dir.child("state/initial-admin-password")
            let password = try String(contentsOf: file, encoding: .utf8).trimmingCharacters(in: .newlines)
            #expect(password.count == 23)
            var info = stat()
            #expect(stat(file.path, &info) == 0 && info.st_mode & 0o777 == 0o600)
            #expect(node.stderr.contains("password.file=\(file.path)"))
            #expect(!node.stderr.contains(password), "the log names the file, never the password")
            let config = try String(contentsOf: dir.child("config.yaml"), encoding: .utf8)
            #expect(config.contains("web_password: \"pbkdf2-sha256$"))
            #expect(!config.contains(password) && !config.contains(AdminPassword.clientDigest(of: password)))

            #expect(try await login(port, password: "admin").status == 401)
            let first = try await login(port, password: password)
            #expect(first.status == 200)
            #expect(first.json["force_password_change"] as? Bool == true)
            let token = try #require(first.json["token"] as? String)
            let refused = try await call(port, "users", token: token)
            #expect(refused.status == 403)
            #expect(refused.json["error"] as? String == "change the initial admin password first")
            #expect(try await call(port, "build-id").status == 200)

            let changed = try await call(port, "settings/password", token: token, method: "PUT",
                                         body: #"{"current_password":"\#(AdminPassword.clientDigest(of: password))","new_password":"\#(AdminPassword.clientDigest(of: "a-better-password"))"}"#)
            #expect(changed.status == 200, "\(changed.json)")
            #expect(!FileManager.default.fileExists(atPath: file.path))
            let second = try await login(port, password: "a-better-password")
            #expect(second.json["force_password_change"] as? Bool == false)
            #expect(try await call(port, "users", token: second.json["token"] as? String).status == 200)
            #expect(try await login(port, password: password).status == 401)

            node.signal(SIGTERM)
            #expect(await node.finish() == 0)
            let restarted = try serve(dir)
            defer { if restarted.isRunning { restarted.signal(SIGKILL) } }
            #expect(await eventually { restarted.stderr.contains("config accepted") })
            #expect(!restarted.stderr.contains("initial admin password"), "nothing is generated again")
            restarted.signal(SIGTERM)
            #expect(await restarted.finish() == 0)
        }
    }

    @Test("passwd sets the password in place, removes the initial one, and ends the running node's sessions")
    func passwdCommand() async throws {
        try await withTemporaryDirectory { dir in
            let node = try serve(dir)
            defer { if node.isRunning { node.signal(SIGKILL) } }
            #expect(await eventually { node.stderr.contains("config accepted") }, "\(node.stderr)")
            let port = try #require(await node.boundPort("ui"), "\(node.stderr)")
            let initial = try String(contentsOf: dir.child("state/initial-admin-password"), encoding: .utf8)
                .trimmingCharacters(in: .newlines)
            let token = try #require(try await login(port, password: initial).json["token"] as? String)
            let before = try String(contentsOf: dir.child("config.yaml"), encoding: .utf8)

            let short = try await passwd(dir, input: "admin")
            #expect(short.status == 1)
            #expect(short.stderr.contains("at least 8 characters"), "\(short.stderr)")
            #expect(try String(contentsOf: dir.child("config.yaml"), encoding: .utf8) == before)

            let set = try await passwd(dir, input: "set-from-the-shell")
            #expect(set.status == 0, "\(set.stderr)")
            let after = try String(contentsOf: dir.child("config.yaml"), encoding: .utf8)
            let changed = zip(before.split(separator: "\n"), after.split(separator: "\n")).filter { $0.0 != $0.1 }
            #expect(changed.count == 1 && changed.first?.1.hasPrefix("web_password: ") == true, "one line changes: \(changed)")
            #expect(after.split(separator: "\n").count == before.split(separator: "\n").count)
            #expect(!FileManager.default.fileExists(atPath: dir.child("state/initial-admin-password").path))

            #expect(await eventually { (try? await call(port, "settings/password", token: token, method: "PUT", body: "{}").status) == 401 },
                    "the running node ends the session made with the old password")
            let fresh = try await login(port, password: "set-from-the-shell")
            #expect(fresh.json["force_password_change"] as? Bool == false)

            let generated = try await passwd(dir, input: "", ["--generate", "--username", "root"])
            #expect(generated.status == 0, "\(generated.stderr)")
            let made = generated.stdout.trimmingCharacters(in: .newlines)
            #expect(made.count == 23)
            #expect(await eventually { (try? await call(port, "login", method: "POST",
                body: #"{"username":"root","password":"\#(AdminPassword.clientDigest(of: made))"}"#).status) == 200 })

            node.signal(SIGTERM)
            #expect(await node.finish() == 0)
        }
    }

    @Test("passwd writes nothing into a file that would not be valid, and says why")
    func passwdRefusesInvalidFile() async throws {
        try await withTemporaryDirectory { dir in
            let text = "name: t\nserver:\n  listen: 0.0.0.0:99999\n  password: node-password\n"
            try Data(text.utf8).write(to: dir.child("config.yaml"))
            let refused = try await passwd(dir, input: "a-long-password")
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("server.listen"), "\(refused.stderr)")
            #expect(refused.stderr.contains("nothing was written"))
            #expect(try String(contentsOf: dir.child("config.yaml"), encoding: .utf8) == text)
            let missing = try await ChildProcess.run(try #require(nodeBinary).path,
                                                     ["passwd", "--config", dir.child("none.yaml").path, "--generate"])
            #expect(missing.status == 1)
            #expect(missing.stderr.contains("no configuration file here"))
        }
    }
}
