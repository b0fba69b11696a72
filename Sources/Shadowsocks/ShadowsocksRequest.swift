public import Addressing

/// What the server learns from a request header.
public struct ShadowsocksRequest: Sendable, Equatable {
    /// Index of the user whose key opened the header, in ``ShadowsocksKeyring/keys``.
    public let userIndex: Int
    /// Where the client wants to go.
    public let target: Target
    /// The client's salt; the SIP022 response header echoes it.
    public let salt: [UInt8]

    public init(userIndex: Int, target: Target, salt: [UInt8]) {
        self.userIndex = userIndex
        self.target = target
        self.salt = salt
    }
}
