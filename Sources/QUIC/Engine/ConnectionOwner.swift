/// The server endpoint a connection shares its socket with: it routes packets to the connection
/// by connection ID, so it learns each ID the connection issues or retires, and when it ends.
/// Client connections own their socket and have no owner. Called on the endpoint's event loop.
protocol ConnectionOwner: AnyObject {
    /// Packets addressed to `id` now belong to `connection`.
    func route(_ id: ConnectionID, to connection: NgtcpConnection)
    /// The connection retired `id`.
    func unroute(_ id: ConnectionID)
    /// The stateless reset token a peer may use to recognise our reset for `id` (RFC 9000 §10.3).
    func statelessResetToken(for id: ConnectionID) -> [UInt8]
    /// The connection finished its handshake and is ready for the application.
    func established(_ connection: NgtcpConnection)
    /// The connection ended; forget every ID that routes to it.
    func ended(_ connection: NgtcpConnection)
}
