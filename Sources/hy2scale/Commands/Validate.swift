import ArgumentParser
import NodeState
import ScaleConfig

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check configuration files without applying them.",
        discussion: """
        Prints every problem as FILE:LINE:COLUMN: message (on standard error), notices included, \
        and `FILE: valid` for each good file. Certificate ids are checked against the TLS store of \
        the state directory, which is only read. Exits 0 when every file is valid, 1 otherwise.
        """
    )

    @OptionGroup var paths: PathOptions

    @Argument(help: ArgumentHelp("Files to check (default: the --config file).", valueName: "file"))
    var files: [String] = []

    func run() throws {
        let context = ValidationContext.reading(stateDirectory: paths.stateDirectory)
        var allValid = true
        for file in files.isEmpty ? [paths.config] : files {
            do {
                let loaded = try ConfigFile.load(path: file, context: context)
                for notice in loaded.notices { printError(notice.description) }
                print("\(file): valid")
            } catch {
                allValid = false
                for diagnostic in error.diagnostics { printError(diagnostic.description) }
            }
        }
        if !allValid { throw ExitCode.failure }
    }
}
