/// One packet of the VICI protocol, without its length prefix: a command and its answer, or
/// an event and its (un)registration.
public enum VICIPacket: Hashable, Sendable {
    case request(command: String, VICIMessage)
    case response(VICIMessage)
    /// charon has no such command.
    case unknownCommand
    case register(event: String)
    case unregister(event: String)
    case eventConfirm
    /// charon has no such event.
    case unknownEvent
    case event(name: String, VICIMessage)

    /// Packets longer than this are refused; charon's own limit is 512 KiB.
    static let sizeLimit = 512 * 1024

    /// The packet with its four-byte big-endian length in front.
    public func framed() throws(VICIError) -> [UInt8] {
        var payload: [UInt8]
        switch self {
        case .request(let command, let message):
            payload = [0]
            try VICIMessage.appendName(command, to: &payload)
            payload += try message.encoded()
        case .response(let message):
            payload = [1] + (try message.encoded())
        case .unknownCommand:
            payload = [2]
        case .register(let event):
            payload = [3]
            try VICIMessage.appendName(event, to: &payload)
        case .unregister(let event):
            payload = [4]
            try VICIMessage.appendName(event, to: &payload)
        case .eventConfirm:
            payload = [5]
        case .unknownEvent:
            payload = [6]
        case .event(let name, let message):
            payload = [7]
            try VICIMessage.appendName(name, to: &payload)
            payload += try message.encoded()
        }
        guard payload.count <= Self.sizeLimit else { throw .malformed("a packet of \(payload.count) bytes is over the limit") }
        let length = UInt32(payload.count)
        return [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: length >> $0) } + payload
    }

    /// Reads one packet's payload (after its length prefix).
    /// - Throws: ``VICIError/malformed(_:)`` for an empty or unknown packet, a name that is not
    ///   UTF-8, bytes after a packet that carries no message, or a malformed message.
    public init(payload: ArraySlice<UInt8>) throws(VICIError) {
        var reader = VICIReader(payload)
        switch try reader.byte() {
        case 0: self = .request(command: try reader.name(), try VICIMessage(decoding: reader.rest()))
        case 1: self = .response(try VICIMessage(decoding: reader.rest()))
        case 2: self = .unknownCommand
        case 3: self = .register(event: try reader.name())
        case 4: self = .unregister(event: try reader.name())
        case 5: self = .eventConfirm
        case 6: self = .unknownEvent
        case 7: self = .event(name: try reader.name(), try VICIMessage(decoding: reader.rest()))
        case let type: throw .malformed("unknown packet type \(type)")
        }
        guard reader.isAtEnd else { throw .malformed("bytes after the packet") }
    }
}

/// What went wrong talking to charon over VICI.
public enum VICIError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Bytes that do not follow the protocol (from charon, or a message too big to send).
    case malformed(String)
    /// charon answered a command with `success = no`, or does not know it.
    case refused(command: String, String)
    /// The socket could not be reached, or the answer did not come in time.
    case unreachable(String)

    public var description: String {
        switch self {
        case .malformed(let what): "malformed VICI data: \(what)"
        case .refused(let command, let why): "charon refused \(command): \(why)"
        case .unreachable(let why): "charon's VICI socket: \(why)"
        }
    }
}
