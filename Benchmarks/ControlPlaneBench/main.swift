import Foundation
import Glibc

// The control plane at scale: validate, start-up, single-user toggles, user listings, a
// 1,000-user batch and memory, for configs of 1k, 10k and 100k users with 10k rules, for this
// build and (with --baseline) another binary, side by side in one run. Not a test: run it with
// scripts/control-plane-bench, or
//   swift build -c release --product hy2scale && swift run -c release control-plane-bench [--baseline BINARY]

struct Options {
    var ours = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("hy2scale").path
    var baseline: String?
    var sizes = [1_000, 10_000, 100_000]
    var rules = 10_000
    var toggles = 40
    /// Time one binary may spend on one measurement before it stops taking samples.
    var budget = Duration.seconds(60)

    static let help = """
    usage: control-plane-bench [--ours BINARY] [--baseline BINARY] [--sizes 1000,10000,100000]
                               [--rules 10000] [--toggles 40] [--budget SECONDS]
    Runs each binary on generated configs (N users, the given number of IP rules with ten targets
    each) and prints validate time, start-up to API ready, single-user toggle p50/p99 through the
    API, GET /api/users after an edit, a 1,000-user batch add (the median of three in a row),
    and RSS idle, after the edits and a minute later, with baseline/ours ratios.
    A binary without POST /api/batch adds users one call at a time; past the budget its figure is
    extrapolated and marked `~`.
    """

    init() throws {
        var arguments = CommandLine.arguments.dropFirst()
        while let flag = arguments.popFirst() {
            if flag == "--help" || flag == "-h" { print(Self.help); exit(0) }
            guard let value = arguments.popFirst() else { throw BenchFailure("\(flag) needs a value\n\(Self.help)") }
            switch flag {
            case "--ours": ours = value
            case "--baseline": baseline = value
            case "--sizes": sizes = value.split(separator: ",").compactMap { Int($0) }
            case "--rules": rules = Int(value) ?? rules
            case "--toggles": toggles = Int(value) ?? toggles
            case "--budget": budget = .seconds(Int(value) ?? 60)
            default: throw BenchFailure("unknown option \(flag)\n\(Self.help)")
            }
        }
    }
}

/// One binary's figures for one config size; `nil` where it could not be measured.
struct Figures {
    var validate: Double?
    var start: Double?
    var toggleP50: Double?
    var toggleP99: Double?
    var toggleSamples = 0
    var listUsers: Double?
    var batch: Double?
    var batchEstimated = false
    var residentIdle: Double?
    var residentAfter: Double?
    var residentSettled: Double?
}

func percentile(_ values: [Double], _ p: Double) -> Double? {
    guard !values.isEmpty else { return nil }
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
}

/// Takes up to `count` samples of `body`, fewer when the budget runs out (at least `minimum`).
func samples(_ count: Int, minimum: Int = 3, budget: Duration, _ body: (Int) throws -> Double) rethrows -> [Double] {
    let deadline = ContinuousClock.now + budget
    var values: [Double] = []
    for i in 0..<count {
        if i >= minimum, ContinuousClock.now > deadline { break }
        values.append(try body(i))
    }
    return values
}

func run(_ program: String, _ arguments: [String]) throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
}

func expect(_ response: HTTPConnection.Response, _ what: String) throws {
    guard (200..<300).contains(response.status) else {
        throw BenchFailure("\(what): HTTP \(response.status) \(response.text.prefix(300))")
    }
}

func measure(binary: String, users: Int, options: Options, directory: URL) throws -> Figures {
    var figures = Figures()
    let port = freePort()
    let config = Workload.config(users: users, rules: options.rules, uiPort: port)
    let file = directory.appendingPathComponent("check.yaml").path
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    try config.write(toFile: file, atomically: true, encoding: .utf8)
    let validations = try samples(3, minimum: 1, budget: options.budget) { _ in
        var status: Int32 = 0
        let time = try milliseconds { status = try run(binary, ["validate", "--config", file]) }
        guard status == 0 else { throw BenchFailure("\(binary) validate refused the generated config") }
        return time
    }
    figures.validate = percentile(validations, 0.5)

    let node = try NodeProcess(binary: binary, config: config, port: port, directory: directory.appendingPathComponent("node"))
    defer { node.stop() }
    figures.start = node.startMilliseconds
    let api = HTTPConnection(port: port)
    let login = try api.send("POST", "/scale/api/login",
                             json: #"{"username":"admin","password":"\#(Workload.adminDigest)"}"#)
    try expect(login, "login")
    guard let token = (try JSONSerialization.jsonObject(with: Data(login.body)) as? [String: Any])?["token"] as? String else {
        throw BenchFailure("login answered without a token: \(login.text.prefix(200))")
    }
    api.token = token
    sleep(2)
    figures.residentIdle = node.residentMiB

    let toggles = try samples(options.toggles, budget: options.budget) { i in
        let user = (i &* 7_919 &+ 13) % users  // spread over the file, the same every run
        var answer: HTTPConnection.Response?
        let time = try milliseconds { answer = try api.send("PUT", "/scale/api/users/u\(user)/toggle") }
        try expect(answer!, "toggle u\(user)")
        return time
    }
    figures.toggleP50 = percentile(toggles, 0.5)
    figures.toggleP99 = percentile(toggles, 0.99)
    figures.toggleSamples = toggles.count

    // A listing right after an edit: what a UI shows once its change is saved.
    let listings = try samples(5, budget: options.budget) { i in
        try expect(try api.send("PUT", "/scale/api/users/u\(i)/toggle"), "toggle before listing")
        var answer: HTTPConnection.Response?
        let time = try milliseconds { answer = try api.send("GET", "/scale/api/users") }
        try expect(answer!, "GET /api/users")
        return time
    }
    figures.listUsers = percentile(listings, 0.5)

    let newUsers = (users..<users + 1_000).map(Workload.userJSON)
    let batchBody = batch(adding: newUsers)
    var batchAnswer: HTTPConnection.Response?
    let batchTime = try milliseconds { batchAnswer = try api.send("POST", "/scale/api/batch", json: batchBody) }
    if batchAnswer!.status == 404 {
        // No batch endpoint: one call per user, as a script would have to.
        let singles = try samples(newUsers.count, minimum: 5, budget: options.budget) { i in
            var answer: HTTPConnection.Response?
            let time = try milliseconds { answer = try api.send("POST", "/scale/api/users", json: newUsers[i]) }
            try expect(answer!, "POST /api/users")
            return time
        }
        figures.batch = singles.reduce(0, +) * Double(newUsers.count) / Double(singles.count)
        figures.batchEstimated = singles.count < newUsers.count
    } else {
        // One batch swings with what the allocator and the last trim left: the median of three
        // in a row, each adding 1,000 users of its own (the second runs on the file plus 1,000).
        try expect(batchAnswer!, "POST /api/batch")
        let again = try samples(2, minimum: 2, budget: options.budget) { round in
            let more = batch(adding: (users + 1_000 * (round + 1)..<users + 1_000 * (round + 2)).map(Workload.userJSON))
            var answer: HTTPConnection.Response?
            let time = try milliseconds { answer = try api.send("POST", "/scale/api/batch", json: more) }
            try expect(answer!, "POST /api/batch")
            return time
        }
        figures.batch = percentile([batchTime] + again, 0.5)
    }
    sleep(2)
    figures.residentAfter = node.residentMiB
    // The node trims its heaps at the second of its looks (every 30 s) after the last edit.
    sleep(65)
    figures.residentSettled = node.residentMiB
    return figures
}

/// A `POST /api/batch` body creating the users whose JSON is given.
func batch(adding users: [String]) -> String {
    #"{"operations":["# + users.map { #"{"method":"POST","path":"/api/users","body":\#($0)}"# }.joined(separator: ",") + "]}"
}

func cell(_ value: Double?, _ unit: String, estimated: Bool = false) -> String {
    guard let value else { return "-" }
    let number = value >= 100 ? String(format: "%.0f", value) : String(format: "%.1f", value)
    return (estimated ? "~" : "") + number + " " + unit
}

func fileSizeMiB(_ path: String) -> Double {
    let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    return Double(size) / 1_048_576
}

do {
    let options = try Options()
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("control-plane-bench-\(getpid())")
    defer { try? FileManager.default.removeItem(at: root) }
    var binaries = [("ours", options.ours)]
    if let baseline = options.baseline { binaries.append(("baseline", baseline)) }
    for (name, path) in binaries {
        guard FileManager.default.isExecutableFile(atPath: path) else { throw BenchFailure("\(name): no executable at \(path)") }
        print("\(name): \(path), \(String(format: "%.1f", fileSizeMiB(path))) MiB")
    }
    for users in options.sizes {
        print("\n\(users) users, \(options.rules) rules x \(Workload.targetsPerRule) targets")
        var results: [Figures] = []
        for (name, path) in binaries {
            print("  measuring \(name)...", terminator: "")
            fflush(nil)  // every output stream: the line so far shows while the node works
            let figures = try measure(binary: path, users: users, options: options,
                                      directory: root.appendingPathComponent("\(name)-\(users)"))
            print(" done (\(figures.toggleSamples) toggles)")
            results.append(figures)
        }
        let rows: [(String, (Figures) -> (Double?, Bool), String)] = [
            ("hy2scale validate", { ($0.validate, false) }, "ms"),
            ("start-up to API ready", { ($0.start, false) }, "ms"),
            ("toggle one user, p50", { ($0.toggleP50, false) }, "ms"),
            ("toggle one user, p99", { ($0.toggleP99, false) }, "ms"),
            ("GET /api/users after an edit", { ($0.listUsers, false) }, "ms"),
            ("add 1,000 users (batch)", { ($0.batch, $0.batchEstimated) }, "ms"),
            ("RSS idle", { ($0.residentIdle, false) }, "MiB"),
            ("RSS after the edits", { ($0.residentAfter, false) }, "MiB"),
            ("RSS a minute later", { ($0.residentSettled, false) }, "MiB"),
        ]
        print("  " + "figure".padding(toLength: 30, withPad: " ", startingAt: 0)
              + binaries.map { $0.0.leftPadded(14) }.joined() + (results.count > 1 ? "  baseline/ours" : ""))
        for (title, pick, unit) in rows {
            let values = results.map(pick)
            var line = "  " + title.padding(toLength: 30, withPad: " ", startingAt: 0)
                + values.map { cell($0.0, unit, estimated: $0.1).leftPadded(14) }.joined()
            if values.count > 1, let ours = values[0].0, let theirs = values[1].0, ours > 0 {
                line += String(format: "  %10.2fx", theirs / ours)
            }
            print(line)
        }
    }
} catch {
    FileHandle.standardError.write(Data("control-plane-bench: \(error)\n".utf8))
    exit(1)
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
