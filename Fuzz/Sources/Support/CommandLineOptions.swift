/// The `--name=value` options of the command line.
enum CommandLineOptions {
    /// The value of `--name=`, if given.
    static func value(of name: String) -> String? {
        CommandLine.arguments.dropFirst().first { $0.hasPrefix("--\(name)=") }
            .map { String($0.dropFirst(name.count + 3)) }
    }
}
