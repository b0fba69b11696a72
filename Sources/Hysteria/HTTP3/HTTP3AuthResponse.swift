/// The Hysteria 2 answer to a successful `/auth`: status 233 and three headers (spec §1.2).
public struct HTTP3AuthResponse: Equatable, Sendable {
    /// What the server says about its receive rate in `hysteria-cc-rx`.
    public enum ReceiveRate: Equatable, Sendable {
        /// A rate in bytes per second; 0 means unlimited.
        case bytesPerSecond(UInt64)
        /// The literal `auto`: the client picks its congestion control itself.
        case auto
    }

    /// Whether the server relays UDP (`hysteria-udp`).
    public var isUDPEnabled: Bool
    public var congestionControlReceive: ReceiveRate
    /// Random `[A-Za-z0-9]` filler that hides the response's length.
    public var padding: String

    public init(isUDPEnabled: Bool, congestionControlReceive: ReceiveRate, padding: String) {
        self.isUDPEnabled = isUDPEnabled
        self.congestionControlReceive = congestionControlReceive
        self.padding = padding
    }

    /// Reads the auth answer from `response`, or returns `nil` when the status is not 233: the
    /// client then closes the connection with H3_GENERAL_PROTOCOL_ERROR (spec §1.2).
    ///
    /// Parsing is as lenient as the official client's: `hysteria-udp` accepts Go's `ParseBool`
    /// spellings and anything else reads as false; an unparsable `hysteria-cc-rx` reads as 0.
    public init?(response: HTTP3Response) {
        guard response.status == HysteriaConstants.authStatus else { return nil }
        let udp = response.header(HysteriaHeader.udp) ?? ""
        let rate = response.header(HysteriaHeader.congestionControlReceive) ?? ""
        self.init(
            isUDPEnabled: ["1", "t", "T", "true", "TRUE", "True"].contains(udp),
            congestionControlReceive: rate == "auto" ? .auto : .bytesPerSecond(UInt64(rate) ?? 0),
            padding: response.header(HysteriaHeader.padding) ?? ""
        )
    }

    /// The response a server sends, field for field (spec §1.2; `true`/`false` as Go's `FormatBool`).
    public var response: HTTP3Response {
        let rate =
            switch congestionControlReceive {
            case .auto: "auto"
            case .bytesPerSecond(let value): String(value)
            }
        return HTTP3Response(
            status: HysteriaConstants.authStatus,
            headers: [
                HTTP3Field(name: HysteriaHeader.udp, value: isUDPEnabled ? "true" : "false"),
                HTTP3Field(name: HysteriaHeader.congestionControlReceive, value: rate),
                HTTP3Field(name: HysteriaHeader.padding, value: padding),
            ]
        )
    }
}
