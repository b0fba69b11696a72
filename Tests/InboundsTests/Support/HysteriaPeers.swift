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

/// The official Hysteria 2 client (PyPI `hysteria2`), forwarding local TCP port `tcpEntry` to
/// `tcpTarget` and UDP port `udpEntry` to `udpTarget` through the server at `port`.
func officialHysteriaClient(server port: Int, auth: String, obfuscation: String? = nil,
                            tcpEntry: Int, tcpTarget: Int, udpEntry: Int, udpTarget: Int,
                            in directory: TemporaryDirectory) throws -> ChildProcess {
    let obfs = obfuscation.map { #", "obfs": {"type": "salamander", "salamander": {"password": "\#($0)"}}"# } ?? ""
    let configuration = """
    {"server": "127.0.0.1:\(port)", "auth": "\(auth)", "tls": {"sni": "localhost", "insecure": true}\(obfs),
     "tcpForwarding": [{"listen": "127.0.0.1:\(tcpEntry)", "remote": "127.0.0.1:\(tcpTarget)"}],
     "udpForwarding": [{"listen": "127.0.0.1:\(udpEntry)", "remote": "127.0.0.1:\(udpTarget)", "timeout": "60s"}]}
    """
    let path = directory.child("hysteria-\(tcpEntry).json").path
    try configuration.write(toFile: path, atomically: true, encoding: .utf8)
    return try ChildProcess(ExternalTool.hysteriaPython!, ExternalTool.hysteriaClientArguments(config: path))
}

/// sing-box as a Hysteria 2 client with the same two forwards (it dials lazily, on first use).
func singBoxHysteriaClient(server port: Int, auth: String, obfuscation: String? = nil,
                           tcpEntry: Int, tcpTarget: Int, udpEntry: Int, udpTarget: Int,
                           in directory: TemporaryDirectory) throws -> ChildProcess {
    let obfs = obfuscation.map { #", "obfs": {"type": "salamander", "password": "\#($0)"}"# } ?? ""
    let configuration = """
    {"log": {"level": "warn"},
     "inbounds": [{"type": "direct", "tag": "tcp", "listen": "127.0.0.1", "listen_port": \(tcpEntry), "network": "tcp",
                   "override_address": "127.0.0.1", "override_port": \(tcpTarget)},
                  {"type": "direct", "tag": "udp", "listen": "127.0.0.1", "listen_port": \(udpEntry), "network": "udp",
                   "override_address": "127.0.0.1", "override_port": \(udpTarget)}],
     "outbounds": [{"type": "hysteria2", "tag": "hy2", "server": "127.0.0.1", "server_port": \(port),
                    "password": "\(auth)", "tls": {"enabled": true, "server_name": "localhost", "insecure": true}\(obfs)}],
     "route": {"final": "hy2"}}
    """
    let path = directory.child("sing-box-hy2-\(tcpEntry).json").path
    try configuration.write(toFile: path, atomically: true, encoding: .utf8)
    return try ChildProcess(ExternalTool.singBox!, ["run", "--disable-color", "-c", path])
}

/// sing-box as a Hysteria 2 server on `port`, for our client, with a self-signed certificate.
func singBoxHysteriaServer(port: Int, password: String, obfuscation: String? = nil,
                           certificate: String, key: String, in directory: TemporaryDirectory) throws -> ChildProcess {
    let obfs = obfuscation.map { #", "obfs": {"type": "salamander", "password": "\#($0)"}"# } ?? ""
    let configuration = """
    {"log": {"level": "warn"},
     "inbounds": [{"type": "hysteria2", "tag": "hy2-in", "listen": "127.0.0.1", "listen_port": \(port),
                   "users": [{"name": "test", "password": "\(password)"}]\(obfs),
                   "tls": {"enabled": true, "certificate_path": "\(certificate)", "key_path": "\(key)"}}],
     "outbounds": [{"type": "direct", "tag": "direct"}]}
    """
    let path = directory.child("sing-box-server-\(port).json").path
    try configuration.write(toFile: path, atomically: true, encoding: .utf8)
    return try ChildProcess(ExternalTool.singBox!, ["run", "--disable-color", "-c", path])
}
