/// The Hysteria 2 authentication request: `POST https://hysteria/auth` with three headers (spec §1.2).
public struct HTTP3AuthRequest: Equatable, Sendable, CustomStringConvertible {
    /// The credential: a password, or `user:pass`. Never printed (see ``description``).
    public var auth: String
    /// The client's maximum receive rate in bytes per second; 0 means unknown.
    public var congestionControlReceive: UInt64
    /// Random `[A-Za-z0-9]` filler that hides the request's length.
    public var padding: String

    public init(auth: String, congestionControlReceive: UInt64, padding: String) {
        self.auth = auth
        self.congestionControlReceive = congestionControlReceive
        self.padding = padding
    }

    /// Reads the auth fields from `request`, or returns `nil` when it is not an auth request (not
    /// `POST`, authority `hysteria`, path `/auth`), which the caller hands to the masquerade.
    ///
    /// Like the official server, a missing `hysteria-auth` reads as empty (so authentication fails)
    /// and a missing or unparsable `hysteria-cc-rx` reads as 0.
    public init?(request: HTTP3Request) {
        guard request.method == "POST", request.authority == HysteriaConstants.authAuthority,
            request.path == HysteriaConstants.authPath
        else { return nil }
        self.init(
            auth: request.header(HysteriaHeader.auth) ?? "",
            congestionControlReceive: request.header(HysteriaHeader.congestionControlReceive).flatMap { UInt64($0) } ?? 0,
            padding: request.header(HysteriaHeader.padding) ?? ""
        )
    }

    /// The request a client sends, field for field (spec §1.2).
    public var request: HTTP3Request {
        HTTP3Request(
            method: "POST",
            scheme: "https",
            authority: HysteriaConstants.authAuthority,
            path: HysteriaConstants.authPath,
            headers: [
                HTTP3Field(name: HysteriaHeader.auth, value: auth),
                HTTP3Field(name: HysteriaHeader.congestionControlReceive, value: String(congestionControlReceive)),
                HTTP3Field(name: HysteriaHeader.padding, value: padding),
            ]
        )
    }

    /// Leaves the credential out so the request can be logged.
    public var description: String {
        "HTTP3AuthRequest(auth: <redacted>, congestionControlReceive: \(congestionControlReceive), padding: \(padding.utf8.count) bytes)"
    }
}
