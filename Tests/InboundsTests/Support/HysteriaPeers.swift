import Foundation
import TestSupport

/// A node config with a Hysteria 2 server on `port`, users allowed (alice), and optionally Salamander.
func hysteriaNodeConfig(port: Int, password: String = "node-secret-1", obfuscation: String? = nil,
                        usersMayLogIn: Bool = true, extra: String = "") -> String {
    """
    hy2_user_auth: \(usersMayLogIn)
    server:
      listen: 127.0.0.1:\(port)
      password: \(password)
    \(obfuscation.map { "  obfs: {type: salamander, password: \($0)}" } ?? "")
    users:
      - id: u-alice
        username: alice
        password: alice-pass-1
        enabled: true
    \(extra)
    """
}

/// The official Hysteria 2 client's (PyPI `hysteria2`) configuration: local TCP and UDP port
/// `entry` forwarded to `tcpTarget` and `udpTarget` through the server at `port`.
private func officialClientConfiguration(server port: Int, auth: String, obfuscation: String?,
                                         entry: Int, tcpTarget: Int, udpTarget: Int) -> String {
    let obfs = obfuscation.map { #", "obfs": {"type": "salamander", "salamander": {"password": "\#($0)"}}"# } ?? ""
    return """
    {"server": "127.0.0.1:\(port)", "auth": "\(auth)", "tls": {"sni": "localhost", "insecure": true}\(obfs),
     "tcpForwarding": [{"listen": "127.0.0.1:\(entry)", "remote": "127.0.0.1:\(tcpTarget)"}],
     "udpForwarding": [{"listen": "127.0.0.1:\(entry)", "remote": "127.0.0.1:\(udpTarget)", "timeout": "60s"}]}
    """
}

/// The official Hysteria 2 client logged in to the server at `port`, its TCP forward to `tcpTarget`
/// and UDP forward to `udpTarget` listening (on one port, given by ``OfficialHysteriaClient``).
func officialHysteriaClient(server port: Int, auth: String, obfuscation: String? = nil, tcpTarget: Int, udpTarget: Int,
                            in directory: TemporaryDirectory) async throws -> (client: ChildProcess, tcpEntry: Int, udpEntry: Int) {
    let (client, entry) = try await OfficialHysteriaClient.start(writingTo: directory.child("hysteria").path) { entry in
        officialClientConfiguration(server: port, auth: auth, obfuscation: obfuscation, entry: entry,
                                    tcpTarget: tcpTarget, udpTarget: udpTarget)
    }
    return (client, entry, entry)
}

/// The official Hysteria 2 client started against the server at `port` with `auth` that the server
/// refuses: it ends before its forwards listen, so they ask for port 0 and nothing waits for them.
/// Start one at a time in a directory: each writes the same file.
func refusedOfficialHysteriaClient(server port: Int, auth: String, in directory: TemporaryDirectory) throws -> ChildProcess {
    let path = directory.child("hysteria-refused.json").path
    try officialClientConfiguration(server: port, auth: auth, obfuscation: nil, entry: 0, tcpTarget: 9, udpTarget: 9)
        .write(toFile: path, atomically: true, encoding: .utf8)
    return try ChildProcess(ExternalTool.hysteriaPython!, ExternalTool.hysteriaClientArguments(config: path))
}

/// sing-box as a Hysteria 2 client with the same two forwards (it dials lazily, on first use),
/// listening on port 0 and read back from its log.
func singBoxHysteriaClient(server port: Int, auth: String, obfuscation: String? = nil, tcpTarget: Int, udpTarget: Int,
                           in directory: TemporaryDirectory) async throws -> (client: ChildProcess, tcpEntry: Int, udpEntry: Int) {
    let obfs = obfuscation.map { #", "obfs": {"type": "salamander", "password": "\#($0)"}"# } ?? ""
    let configuration = """
    {"log": {"level": "info"},
     "inbounds": [{"type": "direct", "tag": "tcp", "listen": "127.0.0.1", "listen_port": 0, "network": "tcp",
                   "override_address": "127.0.0.1", "override_port": \(tcpTarget)},
                  {"type": "direct", "tag": "udp", "listen": "127.0.0.1", "listen_port": 0, "network": "udp",
                   "override_address": "127.0.0.1", "override_port": \(udpTarget)}],
     "outbounds": [{"type": "hysteria2", "tag": "hy2", "server": "127.0.0.1", "server_port": \(port),
                    "password": "\(auth)", "tls": {"enabled": true, "server_name": "localhost", "insecure": true}\(obfs)}],
     "route": {"final": "hy2"}}
    """
    let path = directory.child("sing-box-hy2.json").path
    try configuration.write(toFile: path, atomically: true, encoding: .utf8)
    let client = try ChildProcess(ExternalTool.singBox!, ["run", "--disable-color", "-c", path])
    guard let tcpEntry = await client.singBoxPort(inbound: "tcp"), let udpEntry = await client.singBoxPort(inbound: "udp", network: "udp") else {
        await client.stop()
        throw PeerStartFailure("sing-box did not report its forwards' ports", output: client.stderr)
    }
    return (client, tcpEntry, udpEntry)
}

/// sing-box as a Hysteria 2 server for our client, with a self-signed certificate, on port 0 read
/// back from its log.
func singBoxHysteriaServer(password: String, obfuscation: String? = nil,
                           certificate: String, key: String, in directory: TemporaryDirectory) async throws -> (server: ChildProcess, port: Int) {
    let obfs = obfuscation.map { #", "obfs": {"type": "salamander", "password": "\#($0)"}"# } ?? ""
    let configuration = """
    {"log": {"level": "info"},
     "inbounds": [{"type": "hysteria2", "tag": "hy2-in", "listen": "127.0.0.1", "listen_port": 0,
                   "users": [{"name": "test", "password": "\(password)"}]\(obfs),
                   "tls": {"enabled": true, "certificate_path": "\(certificate)", "key_path": "\(key)"}}],
     "outbounds": [{"type": "direct", "tag": "direct"}]}
    """
    let path = directory.child("sing-box-server.json").path
    try configuration.write(toFile: path, atomically: true, encoding: .utf8)
    let server = try ChildProcess(ExternalTool.singBox!, ["run", "--disable-color", "-c", path])
    guard let port = await server.singBoxPort(inbound: "hy2-in", network: "udp") else {
        await server.stop()
        throw PeerStartFailure("sing-box did not report its server's port", output: server.stderr)
    }
    return (server, port)
}
