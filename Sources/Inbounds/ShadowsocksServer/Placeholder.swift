import NIOCore
import NIOConcurrencyHelpers
enum ShadowsocksTCPServer {
    static func configure(_ pipeline: ChannelPipeline.SynchronousOperations, settings: ListenerSettings) throws {
        throw ListenerError.badAddress("ss")
    }
}
enum ShadowsocksUDPServer {
    static func bind(host: String, port: Int, group: any EventLoopGroup, settings: NIOLockedValueBox<ListenerSettings>) async throws -> any Channel {
        throw ListenerError.badAddress("ss")
    }
}
