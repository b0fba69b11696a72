public import NIOCore

/// Server side of a TCP connection, inbound: finds the user by trial decryption, checks the
/// SIP022 timestamp and the replay filter, reads the target, then yields plaintext payload.
/// Feed it reads as they come, cut anywhere. After it throws, the stream is unusable; SIP022
/// §3.1.4 asks the handler not to reveal how many bytes were read (drain, don't reset).
public struct ShadowsocksRequestDecoder: Sendable {
    private var machine: ShadowsocksRequestMachine
    private var framing = ShadowsocksFraming()
    private var announced = false

    public init(keyring: ShadowsocksKeyring, replayFilter: ShadowsocksReplayFilter, clock: ShadowsocksClock = .system) {
        machine = ShadowsocksRequestMachine(keyring: keyring, replayFilter: replayFilter, clock: clock)
    }

    /// The request, once its header has been read.
    public var request: ShadowsocksRequest? { machine.request }

    /// Decodes `input` and appends the payload it completes to `payload`. Returns the request
    /// from the call that completes it (its initial payload is in `payload` already), `nil`
    /// otherwise.
    public mutating func decode(_ input: ByteBuffer, into payload: inout ByteBuffer) throws(ShadowsocksError) -> ShadowsocksRequest? {
        try framing.feed(input, to: &machine, output: &payload)
        guard !announced, let request = machine.request else { return nil }
        announced = true
        return request
    }
}
