import Foundation
import NodeState
import Synchronization

/// Fans graph layout changes out to every open event stream (DECISIONS #19).
///
/// Each subscriber gets a bounded buffer holding only the newest layouts: a slow browser sees
/// the latest state, never an unbounded backlog. A closed stream unsubscribes itself.
public final class LayoutBroadcaster: Sendable {
    private final class Subscribers: Sendable {
        let streams = Mutex<[UUID: AsyncStream<[String: LayoutPosition]>.Continuation]>([:])
    }
    private let subscribers = Subscribers()

    public init() {}

    /// A stream of layouts, starting with `current`, then one per change.
    func subscribe(current: [String: LayoutPosition]) -> AsyncStream<[String: LayoutPosition]> {
        let (stream, continuation) = AsyncStream.makeStream(of: [String: LayoutPosition].self,
                                                             bufferingPolicy: .bufferingNewest(4))
        let id = UUID()
        continuation.yield(current)
        continuation.onTermination = { [subscribers] _ in
            _ = subscribers.streams.withLock { $0.removeValue(forKey: id) }
        }
        subscribers.streams.withLock { $0[id] = continuation }
        return stream
    }

    /// Sends `layout` to every subscriber.
    func publish(_ layout: [String: LayoutPosition]) {
        for continuation in subscribers.streams.withLock({ Array($0.values) }) { continuation.yield(layout) }
    }

}
