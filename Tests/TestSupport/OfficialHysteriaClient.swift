import Foundation

/// The official Hysteria 2 client (PyPI `hysteria2`) with forwards, started and waited for.
public enum OfficialHysteriaClient {
    /// Starts the client on the JSON `configuration` gives for a forwarding port, and returns once
    /// its forwards listen. The TCP and UDP forwards may share the port.
    ///
    /// The client logs a forward's address as configured, not as bound, so it cannot be given
    /// port 0; the port comes from ``withRetriedPort(attempts:_:)``, and a start that loses its
    /// port to another process is made again with another.
    /// - Parameters:
    ///   - file: where to write the configuration; `-PORT.json` is appended.
    /// - Throws: ``PeerStartFailure`` when the client ends for another reason (a refused login,
    ///   a server it cannot reach), with what it said.
    public static func start(writingTo file: String, _ configuration: (Int) -> String) async throws -> (client: ChildProcess, port: Int) {
        guard let python = ExternalTool.hysteriaPython else { throw PeerStartFailure("the official client is not installed", output: "") }
        return try await withRetriedPort { port in
            let text = configuration(port)
            let path = "\(file)-\(port).json"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let client = try ChildProcess(python, ExternalTool.hysteriaClientArguments(config: path))
            // Logged once each forward's socket is bound.
            let markers = [("tcpForwarding", "TCP forwarding listening"), ("udpForwarding", "UDP forwarding listening")]
                .filter { text.contains($0.0) }.map(\.1)
            try await client.awaitBound(port: port, announcedBy: markers)
            return (client, port)
        }
    }
}
