import Foundation
import Testing

/// The manual page `packaging/man/hy2scale.8` against what the binary itself says in `--help` and
/// `help COMMAND`: the same commands, options, defaults and version.
@Suite("hy2scale(8)", .enabled(if: nodeBinary != nil, "the hy2scale binary is not built"))
struct ManualPageTests {
    /// The page's source with roff's escapes for `-` and a space resolved.
    static let page: String = {
        let url = repositoryRoot.appendingPathComponent("packaging/man/hy2scale.8")
        let source = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        return source.replacingOccurrences(of: "\\-", with: "-").replacingOccurrences(of: "\\ ", with: " ")
    }()

    @Test("every subcommand of --help has an entry under COMMANDS and a SYNOPSIS line with its options")
    func subcommands() async throws {
        let help = try await Self.help([])
        let names = Self.subcommands(in: help)
        #expect(names.sorted() == ["passwd", "plan", "serve", "validate", "version"])
        let documented = Self.entries(in: Self.section("COMMANDS"))
        for name in names {
            #expect(documented.contains(name), "COMMANDS has no entry for \(name)")
            let usage = try await Self.help(["help", name])
            let usageLine = usage.split(separator: "\n").first { $0.hasPrefix("USAGE: ") }.map(String.init) ?? ""
            #expect(usageLine.hasPrefix("USAGE: hy2scale \(name)"), "\(usage)")
            let synopsis = Self.synopsis["hy2scale \(name)"]
            #expect(synopsis != nil, "SYNOPSIS has no line for hy2scale \(name)")
            #expect(synopsis == Self.options(in: usageLine), "SYNOPSIS of \(name) against \(usageLine)")
        }
    }

    @Test("every option the binary prints is documented under OPTIONS, and nothing more")
    func options() async throws {
        var printed = Self.options(in: try await Self.help(["--help"]))
        for name in Self.subcommands(in: try await Self.help([])) {
            printed.formUnion(Self.options(in: try await Self.help(["help", name])))
        }
        let documented = Self.options(in: Self.entries(in: Self.section("OPTIONS")).joined(separator: " "))
        #expect(printed.isSuperset(of: ["--config", "--state-dir", "--api", "--drift-interval", "--log-level"]))
        #expect(documented == printed, "documented \(documented.sorted()), printed \(printed.sorted())")
    }

    @Test("every default the help states is in the page")
    func defaults() async throws {
        let flatPage = Self.flattened(Self.page)
        for name in Self.subcommands(in: try await Self.help([])) {
            let help = Self.flattened(try await Self.help(["help", name]))
            for match in help.matches(of: /\(default: ([^)]+)\)/) {
                let value = String(match.output.1)
                #expect(flatPage.contains("default: \(value)") || flatPage.contains("default: .IR \(value)"),
                        "the page does not give \(value) as a default (hy2scale help \(name))")
            }
        }
    }

    @Test("the page names the binary's version")
    func version() async throws {
        let printed = try await Self.help(["version"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let release = printed.split(separator: " ").dropFirst().first.map(String.init) ?? ""
        #expect(!release.isEmpty, "\(printed)")
        let header = Self.page.split(separator: "\n").first { $0.hasPrefix(".TH ") } ?? ""
        #expect(header.contains("\"hy2scale \(release)\""), "\(header)")
    }

    // MARK: - Reading the binary and the page

    /// What `hy2scale arguments` prints on standard output, which must succeed.
    static func help(_ arguments: [String]) async throws -> String {
        let result = try await NodeProcess.run(arguments.isEmpty ? ["--help"] : arguments)
        #expect(result.status == 0, "hy2scale \(arguments.joined(separator: " ")): \(result.stderr)")
        return result.stdout
    }

    /// The names listed under SUBCOMMANDS: of `hy2scale --help` (two spaces in; wrapped lines have more).
    static func subcommands(in help: String) -> [String] {
        guard let start = help.range(of: "SUBCOMMANDS:\n") else { return [] }
        return help[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false)
            .prefix { !$0.isEmpty }
            .compactMap { line in line.wholeMatch(of: #/  ([a-z][a-z-]*)(?: .*)?/#).map { String($0.output.1) } }
    }

    /// Long options and `-h` as they appear in `text`.
    static func options(in text: String) -> Set<String> {
        var found = Set(text.matches(of: /(?:^|[^\w-])(--[a-z][a-z-]*[a-z])/).map { String($0.output.1) })
        if text.contains(/(?:^|[^\w-])-h(?:[^\w-]|$)/) { found.insert("-h") }
        return found
    }

    /// The lines of the page's section `name`, up to the next `.SH`.
    static func section(_ name: String) -> [Substring] {
        let lines = page.split(separator: "\n")
        guard let start = lines.firstIndex(of: Substring(".SH \(name)")) else { return [] }
        return Array(lines[(start + 1)...].prefix { !$0.hasPrefix(".SH ") })
    }

    /// The tag lines of a section's `.TP` entries, without their font macros.
    static func entries(in lines: [Substring]) -> [String] {
        zip(lines, lines.dropFirst()).compactMap { previous, line in
            previous == ".TP" ? line.split(separator: " ").dropFirst().joined(separator: " ") : nil
        }.map { $0.replacingOccurrences(of: "\"", with: "") }
            .flatMap { entry in [entry, entry.split(separator: " ").first.map(String.init) ?? ""] }
    }

    /// The SYNOPSIS's lines (separated by `.br`) by their command, with the options each shows.
    static let synopsis: [String: Set<String>] = {
        var result: [String: Set<String>] = [:]
        let blocks = ManualPageTests.section("SYNOPSIS").split(separator: ".br")
        for block in blocks {
            guard let first = block.first, first.hasPrefix(".B hy2scale") else { continue }
            let command = String(first.dropFirst(3))
            result[command] = ManualPageTests.options(in: block.joined(separator: " "))
        }
        return result
    }()

    /// `text` with every run of white space made one space.
    static func flattened(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
