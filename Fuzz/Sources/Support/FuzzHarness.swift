/// One parser under fuzzing: a name to select it by, what it covers, how to run one input, and
/// the seeds its committed corpus starts from.
protocol FuzzHarness: Sendable {
    /// The name on the command line and of the corpus directory (`Fuzz/Corpus/<name>`).
    static var name: String { get }
    /// One line: the parser and the invariants checked.
    static var summary: String { get }
    /// Runs one input; returns normally unless an invariant fails (then the process aborts).
    static func run(_ bytes: [UInt8])
    /// Inputs that reach deep into the parser, labelled for their file names.
    static var seeds: [(label: String, bytes: [UInt8])] { get }
}
