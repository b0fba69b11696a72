extension ChildProcess {
    /// The port sing-box's inbound `tag` got, read from the line it logs once the socket is bound,
    /// `inbound/TYPE[TAG]: tcp server started at HOST:PORT` (`udp` for a UDP socket), so an inbound
    /// can listen on port 0. The line needs log level `info` or lower. `nil` when sing-box ends or
    /// the wait passes (the deadline only stops a hang).
    public func singBoxPort(inbound tag: String, network: String = "tcp", within deadline: Duration = .seconds(30)) async -> Int? {
        let marker = "[\(tag)]: \(network) server started at "
        var port: Int?
        _ = await eventually(within: deadline) {
            if let line = stderr.split(separator: "\n").first(where: { $0.contains(marker) }),
               let colon = line.lastIndex(of: ":") {
                port = Int(line[line.index(after: colon)...].prefix { $0.isNumber })
            }
            return port != nil || !isRunning
        }
        return port
    }
}
