import ArgumentParser

/// The `hy2scale` command: a Hysteria 2 mesh relay node driven by one YAML file.
@main
struct HY2Scale: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hy2scale",
        abstract: "A Hysteria 2 mesh relay node, configured by one YAML file.",
        discussion: """
        The configuration file (default /etc/hy2scale/config.yaml) is the single source of truth. \
        `serve` applies it and keeps applying it: on start-up, whenever the file changes (editors and \
        `git pull` are noticed by watching its directory), on SIGHUP, on every change made through the \
        REST API, and in a periodic drift check. An invalid file is never applied; the last valid \
        configuration keeps running and the problems are logged. Runtime state (node id, traffic \
        counters, sessions, TLS store) lives in the state directory (default /var/lib/hy2scale).

        Exit status: 0 on success, 1 when the configuration is invalid or the node cannot start, \
        64 for a usage error.
        """,
        version: NodeVersion.description,
        subcommands: [Serve.self, Validate.self, Plan.self, Passwd.self, Version.self],
        defaultSubcommand: nil
    )
}
