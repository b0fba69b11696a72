import Foundation
import LinuxNet
import Reconciler

// nftables apply: hy2scale's one-batch netlink path next to the nft tool, in a throwaway network
// namespace, for a 10,000-target set and for 10,000 rules of 10 targets. Run as root:
// swift build -c release --product nft-bench && .build/release/nft-bench

struct Failure: Error, CustomStringConvertible { var description: String }

let repeats = 7
let namespace = "hy2bench-\(getpid())"

@discardableResult
func run(_ program: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let output = out.fileHandleForReading.readDataToEndOfFile()
    let errors = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw Failure(description: "\(program) \(arguments.joined(separator: " ")) failed: \(String(decoding: errors, as: UTF8.self))")
    }
    return String(decoding: output, as: UTF8.self)
}

/// `nft -f path` inside the namespace, as an operator or a script would run it.
func nftFile(_ path: String) throws { try run("/usr/sbin/ip", ["netns", "exec", namespace, "nft", "-f", path]) }

func milliseconds(_ body: () async throws -> Void) async rethrows -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    try await body()
    let elapsed = clock.now - start
    return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

try run("/usr/sbin/ip", ["netns", "add", namespace])
defer { _ = try? run("/usr/sbin/ip", ["netns", "delete", namespace]) }

let socket = try NetlinkSocket.netfilter(namespacePath: "/run/netns/\(namespace)")
let driver = NftablesDriver<NftTable?>(socket: socket) { $0 }

/// Observe, diff and apply towards `desired`, as one reconcile does.
func reconcile(_ desired: NftTable?) async throws {
    let plan = diff(desired: driver.desired(for: desired), observed: try await driver.observe())
    let outcomes = await driver.apply(plan)
    if let failed = outcomes.first(where: \.isFailure) { throw Failure(description: "\(failed)") }
}

func row(_ name: String, _ ours: [Double], _ theirs: [Double]) -> String {
    let o = median(ours), t = median(theirs)
    return name.padding(toLength: 46, withPad: " ", startingAt: 0)
        + String(format: "%10.2f %10.2f %8.1fx", o, t, t / o)
}

let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nft-bench-\(getpid())")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: directory) }

/// Applies `table` from empty and adds one element to its set `grown` (`changed` is `table` with
/// that element), ours and `nft -f`'s, and prints the medians.
func measure(_ title: String, table: NftTable, changed: NftTable, grown set: String, extra: AddressRange) async throws {
    guard table.sets.contains(where: { $0.name == set }) else { throw Failure(description: "no set \(set) in the table") }
    let fullFile = directory.appendingPathComponent("full.nft").path
    try table.nftText.write(toFile: fullFile, atomically: true, encoding: .utf8)
    let addOneFile = directory.appendingPathComponent("add-one.nft").path
    try "add element inet hy2scale \(set) { \(extra) }\n".write(toFile: addOneFile, atomically: true, encoding: .utf8)
    let reloadFile = directory.appendingPathComponent("reload.nft").path
    try ("flush table inet hy2scale\n" + changed.nftText).write(toFile: reloadFile, atomically: true, encoding: .utf8)

    var oursFull: [Double] = [], nftFull: [Double] = []
    var oursOne: [Double] = [], nftOne: [Double] = [], nftReload: [Double] = []
    for _ in 0..<repeats {
        try await reconcile(nil)
        oursFull.append(try await milliseconds { try await reconcile(table) })
        try await reconcile(nil)
        nftFull.append(try await milliseconds { try nftFile(fullFile) })
        // The table nft loaded is the one we would write: adopting it costs nothing.
        guard try await diff(desired: driver.desired(for: table), observed: driver.observe()).isEmpty else {
            throw Failure(description: "the table nft -f loaded does not observe as the model")
        }

        oursOne.append(try await milliseconds { try await reconcile(changed) })
        try await reconcile(table)
        nftOne.append(try await milliseconds { try nftFile(addOneFile) })
        try await reconcile(table)
        nftReload.append(try await milliseconds { try nftFile(reloadFile) })
        try await reconcile(table)
    }
    try await reconcile(nil)

    print(title)
    print("case".padding(toLength: 46, withPad: " ", startingAt: 0) + "  hy2scale     nft -f  nft/ours")
    print(row("full apply from empty", oursFull, nftFull))
    print(row("one element added (nft: add element file)", oursOne, nftOne))
    print(row("one element added (nft: flush + whole table)", oursOne, nftReload))
    print()
}

// A target outside the workloads' space (they only use 1.0.0.0-223.255.255.255 plus a little).
let extra = try AddressRange(parsing: "240.0.0.1")

let targets = try Workload.targets()
let table = try Workload.table(targets: targets)
let elementCount = table.sets.first { $0.name == Workload.setName }?.elements.count ?? 0
try await measure("one set of \(targets.count) targets -> \(elementCount) ranges after normalisation, median of \(repeats) runs (ms)",
                  table: table, changed: try Workload.table(targets: targets + [extra]), grown: Workload.setName, extra: extra)

let rules = try Workload.ruleTable()
let ruleCount = rules.chains.reduce(0) { $0 + $1.rules.count }
try await measure("\(Workload.ruleCount) rules x \(Workload.targetsPerRule) targets as the node lays them out: \(rules.sets.count) sets, "
                  + "\(ruleCount) chain rules, median of \(repeats) runs (ms)",
                  table: rules, changed: try Workload.ruleTable(extra: extra), grown: "captured_v4", extra: extra)
print("hy2scale = observe + diff + one netlink batch; nft -f includes starting `ip netns exec nft`.")
