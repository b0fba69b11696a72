import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NodeState
import ServiceLifecycle

/// The topology graph's saved layout: runtime state in the state store, shared by every browser
/// (reference §5.4, DECISIONS #19): GET, PUT, and an event stream.
struct GraphLayoutController {
    let deps: AdminDependencies
    /// Comment lines keep idle proxies from closing the stream (reference §10: 20 s).
    static let pingInterval: Duration = .seconds(20)
    /// A layout is a few hundred nodes at most.
    static let maximumEntries = 10_000

    func addRoutes(to group: RouterGroup<AdminRequestContext>) {
        group.get("graph-layout", use: show)
        group.put("graph-layout", use: replace)
        group.get("graph-layout/stream", use: stream)
    }

    @Sendable func show(_ request: Request, context: AdminRequestContext) async throws -> JSONObject<LayoutPosition> {
        JSONObject(members: try layout())
    }

    @Sendable func replace(_ request: Request, context: AdminRequestContext) async throws -> StatusOK {
        let layout = try await request.decodeJSON(as: [String: LayoutPosition].self, context: context)
        guard layout.count <= Self.maximumEntries else {
            throw APIError.badRequest("a layout holds at most \(Self.maximumEntries) nodes")
        }
        guard layout.values.allSatisfy({ $0.x.isFinite && $0.y.isFinite }) else {
            throw APIError.badRequest("coordinates must be finite numbers")
        }
        do {
            try deps.counters.store.replaceGraphLayout(layout)
        } catch {
            throw APIError(.internalServerError, "cannot save the layout: \(error)")
        }
        deps.layoutEvents.publish(layout)
        return StatusOK()
    }

    /// `text/event-stream`: the current layout at once, then one event per change.
    @Sendable func stream(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let events = deps.layoutEvents.subscribe(current: try layout())
        let body = ResponseBody { writer in
            // One writer loop; layouts and keep-alive pings are merged into one bounded stream.
            let (lines, line) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(8))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = .sortedKeys
                    for await layout in events {
                        line.yield("data: " + String(decoding: try encoder.encode(layout), as: UTF8.self) + "\n\n")
                    }
                    line.finish()
                }
                group.addTask {
                    while (try? await Task.sleep(for: Self.pingInterval)) != nil { line.yield(": ping\n\n") }
                }
                // Ends when the server shuts down (an open stream must not hold the shutdown up).
                for await text in lines.cancelOnGracefulShutdown() { try await writer.write(ByteBuffer(string: text)) }
                group.cancelAll()
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [
            .contentType: "text/event-stream", .cacheControl: "no-cache", HTTPField.Name("X-Accel-Buffering")!: "no",
        ], body: body)
    }

    private func layout() throws -> [String: LayoutPosition] {
        do {
            return try deps.counters.store.graphLayout()
        } catch {
            throw APIError(.internalServerError, "cannot read the layout: \(error)")
        }
    }
}
