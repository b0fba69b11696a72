import ArgumentParser
import Foundation
import NodeState
import ScaleConfig
import YAMLDocument

struct Passwd: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Set the admin password of the web UI and REST API.",
        discussion: """
        Writes the salted hash of a new password into `web_password` of the configuration file \
        and changes nothing else in it (comments and layout are kept). The initial password that \
        `serve` generated is deleted from the state directory. A running node applies the change \
        at once, and every admin session ends.

        The password is asked on the terminal, twice and without echo; when standard input is not \
        a terminal, its first line is the password. With --generate a random password is made and \
        printed on standard output instead. A password must have at least 8 characters.

        Nothing is written when the file, once edited, would not be valid: the problems are \
        printed as `validate` prints them. Exits 0 when the password was set, 1 otherwise.
        """
    )

    /// The shortest password accepted.
    static let minimumLength = 8

    @OptionGroup var paths: PathOptions

    @Option(help: ArgumentHelp("Also set the admin user name (`web_username`).", valueName: "name"))
    var username: String?

    @Flag(help: "Generate a random password and print it, instead of reading one.")
    var generate = false

    func validate() throws {
        if let username, username.isEmpty || username.contains(where: \.isNewline) {
            throw ValidationError("--username must be a non-empty name on one line")
        }
    }

    func run() throws {
        let url = URL(fileURLWithPath: paths.config)
        guard let data = FileManager.default.contents(atPath: paths.config) else {
            printError("\(paths.config): no configuration file here; `hy2scale serve` writes one on first start")
            throw ExitCode.failure
        }
        let password = try generate ? InitialAdminPassword.generate() : readPassword()
        var editor: YAMLEditor
        do {
            editor = try YAMLEditor(String(decoding: data, as: UTF8.self))
            try editor.set(["web_password"], to: .string(AdminPassword.hash(AdminPassword.clientDigest(of: password))))
            if let username { try editor.set(["web_username"], to: .string(username)) }
        } catch {
            printError("\(paths.config): cannot edit the file: \(error); nothing was written")
            throw ExitCode.failure
        }
        let edited = Data(editor.text.utf8)
        do {
            _ = try ConfigFile.parse(edited, path: paths.config,
                                     context: ValidationContext.reading(stateDirectory: paths.stateDirectory))
        } catch {
            for diagnostic in error.errors { printError(diagnostic.description) }
            printError("\(paths.config): the configuration has problems; fix them first (nothing was written)")
            throw ExitCode.failure
        }
        do {
            try FileIO.replaceKeepingMode(url, with: edited)
        } catch {
            printError("cannot write \(paths.config): \(error)")
            throw ExitCode.failure
        }
        try forgetInitialPassword()
        if generate { print(password) }
        printError("admin password set in \(paths.config)")
    }

    /// Asks on the terminal (twice, no echo), or reads the first line of a redirected input.
    private func readPassword() throws -> String {
        let password: String
        if let terminal = TerminalInput() {
            let first = try terminal.readHidden(prompt: "New admin password: ")
            let second = try terminal.readHidden(prompt: "Repeat it: ")
            guard first == second else {
                printError("the two passwords differ; nothing was written")
                throw ExitCode.failure
            }
            password = first
        } else {
            password = readLine(strippingNewline: true) ?? ""
        }
        guard password.count >= Self.minimumLength else {
            printError("the password must have at least \(Self.minimumLength) characters; nothing was written")
            throw ExitCode.failure
        }
        return password
    }

    /// Deletes the initial password's file and record, if the state directory has them.
    private func forgetInitialPassword() throws {
        let directory = URL(fileURLWithPath: paths.stateDirectory, isDirectory: true)
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent("state.db").path) else { return }
        do {
            let state = try StateDirectory(path: paths.stateDirectory)
            try state.initialAdminPassword(store: try state.openStore()).clear()
        } catch {
            printError("the password is set, but the initial password in \(paths.stateDirectory) could not be removed: \(error)")
            throw ExitCode.failure
        }
    }
}
