public import HummingbirdCore
public import Logging
public import NIOCore

/// The admin server's connections: ``TransportSelector`` first, then Hummingbird's HTTP/1.1
/// handlers, which see plain text whether the client spoke TLS or not.
public struct AdminChildChannel<Base: ServerChildChannel>: ServerChildChannel {
    public typealias Value = Base.Value

    let base: Base
    let transport: AdminTransport

    public init(base: Base, transport: AdminTransport) {
        self.base = base
        self.transport = transport
    }

    public func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(TransportSelector(transport: transport))
        }.flatMap {
            base.setup(channel: channel, logger: logger)
        }
    }

    public func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
