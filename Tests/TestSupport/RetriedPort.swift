import Glibc

/// A peer could not bind the port it was given: another process took it first.
public struct PortTaken: Error, CustomStringConvertible {
    public let port: Int
    /// What the peer said.
    public let output: String

    public init(port: Int, output: String) {
        self.port = port
        self.output = output
    }

    public var description: String { "port \(port) was taken before the peer bound it: \(output.suffix(2000))" }
}

/// A peer ended, or did not get ready in time, for a reason other than its port.
public struct PeerStartFailure: Error, CustomStringConvertible {
    public let reason: String
    /// What the peer said.
    public let output: String

    public init(_ reason: String, output: String) {
        self.reason = reason
        self.output = output
    }

    public var description: String { "\(reason): \(output.suffix(2000))" }
}

/// Starts a peer that has to pick its own fixed port, trying again with another port when another
/// process takes it first.
///
/// Use it only for a peer that cannot be given port 0 and report the port it got, nor be handed a
/// socket the test holds: dnsmasq (`--port=0` turns DNS off), the official Hysteria 2 client (its
/// forwards log their address as configured, so port 0 would leave the test without the number).
/// Such a peer can only be told a number that is free *now*, which another process may bind
/// before the peer does; that race is why this retries, and why nothing else in the tests does.
///
/// Each attempt gets a port the kernel just handed out on 127.0.0.1 and that is also free for UDP
/// (a peer may bind both, as dnsmasq does). `start` must launch the peer, wait until the peer
/// itself says it has bound the port (a log line, not a connection that anyone could answer), and
/// throw ``PortTaken`` after stopping a peer that reported the address in use; any other error
/// ends the retries.
/// - Parameter attempts: how many ports to try before giving up with the last ``PortTaken``.
public func withRetriedPort<T>(attempts: Int = 5, _ start: (Int) async throws -> T) async throws -> T {
    var taken = PortTaken(port: 0, output: "no attempt made")
    for _ in 0..<attempts {
        do {
            return try await start(try portFreeForTCPAndUDP())
        } catch let error as PortTaken {
            taken = error
        }
    }
    throw taken
}

/// A 127.0.0.1 port nobody has bound for TCP or UDP at this moment; released before returning,
/// so only ``withRetriedPort(attempts:_:)`` may use it.
private func portFreeForTCPAndUDP() throws -> Int {
    for _ in 0..<20 {
        let tcp = try loopbackSocket(SOCK_STREAM)
        defer { close(tcp.descriptor) }
        do {
            let udp = try loopbackSocket(SOCK_DGRAM, port: tcp.port)
            close(udp.descriptor)
            return tcp.port
        } catch let error as SocketError where error.errno == EADDRINUSE {
            continue
        }
    }
    throw SocketError(errno: EADDRINUSE)
}

extension ChildProcess {
    /// Waits until the program's standard error contains every one of `markers` (lines it writes
    /// once its listeners are bound), for a start under ``withRetriedPort(attempts:_:)``.
    /// - Throws: ``PortTaken`` when it ended saying the address was in use, ``PeerStartFailure``
    ///   when it ended otherwise or `deadline` passed (which only stops a hang); either way the
    ///   program is stopped.
    public func awaitBound(port: Int, announcedBy markers: [String], within deadline: Duration = .seconds(30)) async throws {
        let settled = await eventually(within: deadline) { !isRunning || markers.allSatisfy(stderr.contains) }
        if isRunning, settled { return }
        await stop()
        let output = stderr + stdout
        if output.lowercased().contains("address already in use") { throw PortTaken(port: port, output: output) }
        throw PeerStartFailure(settled ? "the peer ended before it listened on port \(port)"
                                       : "the peer did not listen on port \(port) in time", output: output)
    }
}
