import Foundation
public import NIOCore
public import WireFormat

/// The answer on `_relay_list_peers_:0` (§3.6): one compact UTF-8 JSON array of
/// ``PeerListEntry``, with no length prefix. The responder writes it and closes; the requester
/// reads to the end of the stream, so the body is complete only at FIN.
public struct PeerList: Hashable, Sendable {
    /// In the writer's order: connected primary-slot peers, then configured offline clients.
    public var entries: [PeerListEntry]

    /// A list of `entries`, written in this order.
    public init(_ entries: [PeerListEntry] = []) {
        self.entries = entries
    }

    /// Entries at every level, counted as `max_response_nodes` counts them.
    public var nodeCount: Int { entries.reduce(0) { $0 + $1.nodeCount } }

    /// Levels of the deepest entry (top-level entries are level 1); 0 for an empty list.
    public var depth: Int { entries.map(\.depth).max() ?? 0 }

    /// The JSON as v1.3 marshals it: `[]` when empty (the reference builds a non-nil slice).
    public var json: String { Self.jsonArray(entries.map(\.json)) }

    /// Appends the JSON; the caller then closes the stream. Writing applies no limits: the
    /// producer bounds what it embeds while building the list (§3.6).
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeString(json)
    }

    /// Parses a whole body, holding it to `limits` in the cheapest order: its size, then the
    /// nesting of the raw text (before any recursive decoder sees it), then the decoded depth
    /// and entry count. `null` is an empty list; unknown keys are ignored, and absent keys and
    /// `null` values read as zero values, as Go's `encoding/json` does. A `null` element is
    /// refused: Go would read it as an entry with no name, which no consumer can use.
    /// - Throws: ``MeshWireError/peerListTooLarge(limit:)``, ``MeshWireError/jsonTooDeep(limit:)``,
    ///   ``MeshWireError/malformedJSON(document:detail:)`` for text that is not an array of
    ///   objects with these key types (including an empty body),
    ///   ``MeshWireError/peerListTooDeep(limit:)`` and ``MeshWireError/peerListTooManyNodes(limit:)``.
    public init(json: some Collection<UInt8>, limits: PeerListLimits = .default) throws(MeshWireError) {
        guard json.count <= limits.maximumBytes else { throw .peerListTooLarge(limit: limits.maximumBytes) }
        try JSONNesting.check(json, limit: limits.jsonNestingLimit)
        let entries: [PeerListEntry]
        do {
            entries = try JSONDecoder().decode([PeerListEntry]?.self, from: Data(json)) ?? []
        } catch {
            throw .malformedJSON(document: "peer list", detail: String(describing: error))
        }
        let list = PeerList(entries)
        guard list.depth <= limits.maximumDepth else { throw .peerListTooDeep(limit: limits.maximumDepth) }
        guard list.nodeCount <= limits.maximumNodes else { throw .peerListTooManyNodes(limit: limits.maximumNodes) }
        self = list
    }

    /// Reads the body from `buffer`, into which the caller appends what the stream delivers.
    /// Until `isComplete` (the stream's FIN) it answers `.needMoreBytes` and consumes nothing,
    /// but it throws ``MeshWireError/peerListTooLarge(limit:)`` as soon as the bytes so far
    /// exceed `limits.maximumBytes`, so the caller stops buffering. At FIN it parses with
    /// ``init(json:limits:)`` and, on success, consumes the whole buffer.
    public static func decode(
        from buffer: inout ByteBuffer, isComplete: Bool, limits: PeerListLimits = .default
    ) throws(MeshWireError) -> WireReading<PeerList> {
        guard buffer.readableBytes <= limits.maximumBytes else { throw .peerListTooLarge(limit: limits.maximumBytes) }
        guard isComplete else { return .needMoreBytes }
        let list = try PeerList(json: buffer.readableBytesView, limits: limits)
        buffer.moveReaderIndex(to: buffer.writerIndex)
        return .value(list)
    }

    /// `[` + the elements joined by `,` + `]`, as Go writes a slice.
    package static func jsonArray(_ elements: [String]) -> String {
        "[" + elements.joined(separator: ",") + "]"
    }
}
