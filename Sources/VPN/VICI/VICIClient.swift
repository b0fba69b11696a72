import CNftnl  // SOCK_STREAM and SOCK_CLOEXEC: a release build finds them only through the shim
import Glibc
import SystemCalls

/// Commands to charon over its VICI socket, one connection per call (charon serves many).
///
/// Calls block for at most ``timeoutMilliseconds`` per read: charon answers control commands at
/// once, and a call that waits longer means charon is stuck, which the caller reports.
public struct VICIClient: Sendable {
    /// How long charon may take to send the next packet of an answer.
    static let timeoutMilliseconds: Int32 = 5000

    public let socketPath: String

    public init(socketPath: String) { self.socketPath = socketPath }

    /// Sends `command` and returns charon's answer.
    /// - Throws: ``VICIError/refused(command:_:)`` when charon says `success = no` (with its
    ///   `errmsg`) or does not know the command; ``VICIError/unreachable(_:)`` when the socket
    ///   cannot be reached or the answer is late; ``VICIError/malformed(_:)`` for bytes that do
    ///   not follow the protocol.
    public func call(_ command: String, _ message: VICIMessage = [:]) throws(VICIError) -> VICIMessage {
        try connected { connection throws(VICIError) in try connection.call(command, message) }
    }

    /// Sends `command`, whose answer comes as `event` packets before the response (`list-sas`
    /// streams `list-sa`, `list-conns` streams `list-conn`), and returns those events' messages.
    public func stream(_ command: String, _ message: VICIMessage = [:], event: String) throws(VICIError) -> [VICIMessage] {
        try connected { connection throws(VICIError) in
            try connection.send(.register(event: event))
            guard case .eventConfirm = try connection.receive() else {
                throw .refused(command: command, "charon has no \(event) event")
            }
            try connection.send(.request(command: command, message))
            var events: [VICIMessage] = []
            while true {
                switch try connection.receive() {
                case .event(event, let body): events.append(body)
                case .response(let answer):
                    try Connection.check(answer, of: command)
                    return events
                case .unknownCommand: throw .refused(command: command, "unknown command")
                case let other: throw .malformed("\(other) in the answer to \(command)")
                }
            }
        }
    }

    /// Registers for `events`, calls `registered` once charon confirmed them, then hands each
    /// event to `handle`, on the calling thread, until charon closes the connection (it
    /// stopped) or `isStopped` says so (asked at least once a second). `quiet` is called after
    /// each second without an event. Blocks meanwhile.
    public func listen(to events: [String], isStopped: () -> Bool, registered: () -> Void, quiet: () -> Void = {},
                       handle: (String, VICIMessage) -> Void) throws(VICIError) {
        try connected { connection throws(VICIError) in
            for event in events {
                try connection.send(.register(event: event))
                guard case .eventConfirm = try connection.receive() else { throw .refused(command: "register", "charon has no \(event) event") }
            }
            registered()
            while !isStopped() {
                guard try connection.waitForPacket(milliseconds: 1000) else {
                    quiet()
                    continue
                }
                if case .event(let name, let body) = try connection.receive() { handle(name, body) }
            }
        }
    }

    private func connected<T>(_ body: (Connection) throws(VICIError) -> T) throws(VICIError) -> T {
        let socket: Int32
        do {
            socket = try Posix.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
        } catch {
            throw .unreachable("\(error)")
        }
        defer { try? Posix.close(socket) }
        do {
            try Posix.connect(socket, to: try Posix.unixAddress(socketPath))
        } catch {
            throw .unreachable("\(socketPath): \(error)")
        }
        return try body(Connection(socket: socket))
    }

    /// One connected socket: packets out, packets in.
    private struct Connection {
        let socket: Int32

        func call(_ command: String, _ message: VICIMessage) throws(VICIError) -> VICIMessage {
            try send(.request(command: command, message))
            switch try receive() {
            case .response(let answer):
                try Self.check(answer, of: command)
                return answer
            case .unknownCommand: throw .refused(command: command, "unknown command")
            case let other: throw .malformed("\(other) in the answer to \(command)")
            }
        }

        /// Commands that can fail answer `success = yes|no`; the others have no `success`.
        static func check(_ answer: VICIMessage, of command: String) throws(VICIError) {
            if answer.string("success") == "no" {
                throw .refused(command: command, answer.string("errmsg") ?? "no reason given")
            }
        }

        func send(_ packet: VICIPacket) throws(VICIError) {
            let bytes = try packet.framed()
            do {
                try Posix.writeAll(socket, bytes)
            } catch {
                throw .unreachable("\(error)")
            }
        }

        /// Whether a packet starts to arrive within `milliseconds`.
        func waitForPacket(milliseconds: Int32) throws(VICIError) -> Bool {
            var ready = [pollfd(fd: socket, events: Int16(POLLIN), revents: 0)]
            do {
                return try Posix.poll(&ready, timeout: milliseconds) > 0
            } catch {
                throw .unreachable("\(error)")
            }
        }

        func receive() throws(VICIError) -> VICIPacket {
            let header = try read(4)
            let length = header.reduce(0) { $0 << 8 | Int($1) }
            guard length <= VICIPacket.sizeLimit else { throw .malformed("a packet of \(length) bytes is over the limit") }
            return try VICIPacket(payload: ArraySlice(try read(length)))
        }

        private func read(_ count: Int) throws(VICIError) -> [UInt8] {
            var bytes: [UInt8] = []
            while bytes.count < count {
                // Never past this packet: the next one is the next read's.
                var chunk = [UInt8](repeating: 0, count: min(count - bytes.count, 65536))
                do {
                    var ready = [pollfd(fd: socket, events: Int16(POLLIN), revents: 0)]
                    guard try Posix.poll(&ready, timeout: VICIClient.timeoutMilliseconds) > 0 else {
                        throw VICIError.unreachable("no answer within \(VICIClient.timeoutMilliseconds) ms")
                    }
                    let got = try Posix.read(socket, into: &chunk)
                    guard got > 0 else { throw VICIError.unreachable("charon closed the connection mid-answer") }
                    bytes += chunk[..<got]
                } catch let error as VICIError {
                    throw error
                } catch {
                    throw .unreachable("\(error)")
                }
            }
            return bytes
        }
    }
}
