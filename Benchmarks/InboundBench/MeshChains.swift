import Foundation

// Relay hops: the same downloads through 0, 1 and 2 Hysteria 2 hops, through a chain of
// hy2scale nodes (the mesh: exit_via "h1" and "h1/h2") and through a chain of sing-box servers
// (hy2 outbounds chained by routing), all on loopback.

/// SOCKS5 entries of a chain for 0, 1 and 2 hops.
struct ChainEntries {
    var direct: Int
    var oneHop: Int
    var twoHops: Int
}

/// Three hy2scale nodes: the entry has one SOCKS5 listener per hop count (a listener's exit
/// overrides its users'), and dials h1, which dials h2.
@MainActor func startMeshChain() throws -> ChainEntries {
    let entries = ChainEntries(direct: port(), oneHop: port(), twoHops: port())
    let h1 = port(), h2 = port()
    let nodes = [
        ("entry", """
        server: {listen: 127.0.0.1:\(port()), password: mesh-entry-password}
        ui_listen: 127.0.0.1:\(port())
        clients:
          - {name: h1, addr: "127.0.0.1:\(h1)", password: mesh-h1-password, insecure: true}
        peers:
          h1: {nested: true}
        users:
          - {id: u1, username: \(user), password: \(password), enabled: true}
        proxies:
          - {id: hops0, protocol: socks5, listen: "127.0.0.1:\(entries.direct)", enabled: true}
          - {id: hops1, protocol: socks5, listen: "127.0.0.1:\(entries.oneHop)", enabled: true, exit_via: h1}
          - {id: hops2, protocol: socks5, listen: "127.0.0.1:\(entries.twoHops)", enabled: true, exit_via: h1/h2}
        """),
        ("h1", """
        server: {listen: 127.0.0.1:\(h1), password: mesh-h1-password}
        ui_listen: 127.0.0.1:\(port())
        clients:
          - {name: h2, addr: "127.0.0.1:\(h2)", password: mesh-h2-password, insecure: true}
        """),
        ("h2", """
        server: {listen: 127.0.0.1:\(h2), password: mesh-h2-password}
        ui_listen: 127.0.0.1:\(port())
        """),
    ]
    for (name, yaml) in nodes {
        let directory = work.appendingPathComponent("mesh-\(name)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config = try write("name: \(name)\n" + yaml, "mesh-\(name).yaml")
        try start(nodeBinary, ["serve", "--config", config, "--state-dir", directory.path, "--log-level", "warning"])
    }
    return entries
}

/// The same chain of sing-box processes: the entry's SOCKS5 inbounds go direct, to hop 1, or to
/// hop 1's second inbound, whose route goes on to hop 2.
@MainActor func startSingBoxChain(singBox: String, tls: String) throws -> ChainEntries {
    let entries = ChainEntries(direct: port(), oneHop: port(), twoHops: port())
    let hop1Exit = port(), hop1Onward = port(), hop2 = port()
    func hy2Out(_ tag: String, _ serverPort: Int) -> String {
        #"{"type": "hysteria2", "tag": "\#(tag)", "server": "127.0.0.1", "server_port": \#(serverPort), "password": "\#(hy2Password)", "tls": {"enabled": true, "server_name": "hy2scale", "insecure": true}}"#
    }
    func hy2In(_ tag: String, _ listenPort: Int) -> String {
        #"{"type": "hysteria2", "tag": "\#(tag)", "listen": "127.0.0.1", "listen_port": \#(listenPort), "users": [{"password": "\#(hy2Password)"}], \#(tls)}"#
    }
    func socksIn(_ tag: String, _ listenPort: Int) -> String {
        #"{"type": "socks", "tag": "\#(tag)", "listen": "127.0.0.1", "listen_port": \#(listenPort), "users": [{"username": "\#(user)", "password": "\#(password)"}]}"#
    }
    let configs = [
        ("entry", """
        {"log": {"level": "error"},
         "inbounds": [\(socksIn("s0", entries.direct)), \(socksIn("s1", entries.oneHop)), \(socksIn("s2", entries.twoHops))],
         "outbounds": [{"type": "direct", "tag": "direct"}, \(hy2Out("exit1", hop1Exit)), \(hy2Out("onward1", hop1Onward))],
         "route": {"rules": [{"inbound": ["s1"], "outbound": "exit1"}, {"inbound": ["s2"], "outbound": "onward1"}], "final": "direct"}}
        """),
        ("hop1", """
        {"log": {"level": "error"},
         "inbounds": [\(hy2In("exit", hop1Exit)), \(hy2In("onward", hop1Onward))],
         "outbounds": [{"type": "direct", "tag": "direct"}, \(hy2Out("hop2", hop2))],
         "route": {"rules": [{"inbound": ["onward"], "outbound": "hop2"}], "final": "direct"}}
        """),
        ("hop2", """
        {"log": {"level": "error"}, "inbounds": [\(hy2In("exit", hop2))], "outbounds": [{"type": "direct"}]}
        """),
    ]
    for (name, json) in configs {
        try start(singBox, ["run", "-c", try write(json, "box-chain-\(name).json")])
    }
    return entries
}

/// Prints how much each hop costs, per system, and hy2scale against sing-box per hop count.
@MainActor func printHopCosts(_ results: [String: Figures]) {
    func figures(_ system: String, _ hops: Int) -> Figures? { results[hopRowName(system, hops)] }
    for system in ["hy2scale", "sing-box"] {
        guard let zero = figures(system, 0), let one = figures(system, 1), let two = figures(system, 2) else { continue }
        print("\(system.padding(toLength: 9, withPad: " ", startingAt: 0)) per hop: "
              + String(format: "1 hop keeps %.0f%% of direct throughput, 2 hops keep %.0f%% of 1 hop", 100 * one.mibPerSecond / zero.mibPerSecond,
                       100 * two.mibPerSecond / one.mibPerSecond))
    }
    for hops in 1...2 {
        guard let ours = figures("hy2scale", hops), let theirs = figures("sing-box", hops) else { continue }
        print("mesh \(hops) hop\(hops == 1 ? "" : "s"): hy2scale / sing-box".padding(toLength: 40, withPad: " ", startingAt: 0) + "  "
              + String(format: "throughput %.2f   connections/s %.2f", ours.mibPerSecond / theirs.mibPerSecond,
                       ours.connectionsPerSecond / theirs.connectionsPerSecond))
    }
}

func hopRowName(_ system: String, _ hops: Int) -> String {
    "mesh \(hops) hop\(hops == 1 ? " " : "s")         \(system)"
}
