import ArgumentParser

struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the version and exit.")

    func run() {
        print(NodeVersion.description)
    }
}
