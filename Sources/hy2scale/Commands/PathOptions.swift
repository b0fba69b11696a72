import ArgumentParser

/// Where the configuration and the state live; shared by every command.
struct PathOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The configuration file.", valueName: "file"))
    var config = "/etc/hy2scale/config.yaml"

    @Option(name: .customLong("state-dir"),
            help: ArgumentHelp("The state directory: node id, counters, sessions, TLS store.", valueName: "dir"))
    var stateDirectory = "/var/lib/hy2scale"
}
