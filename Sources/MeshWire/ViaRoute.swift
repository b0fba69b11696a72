/// What a `_relay_via_<hops>_<target>:0` address asks the receiving hop to do (§3.7): forward
/// `target` along `hops`, optionally anchoring bridge `bridgeID` at this hop (§4.3).
public struct ViaRoute: Hashable, Sendable {
    /// The remaining hops, next hop first. Never empty; no hop is empty or holds `/`, `_` or
    /// `#bridge=` (a `_` would move the split point of the address, §2.1).
    public let hops: [String]
    /// What the last hop opens: a plain target or another sentinel. Never ``StreamAddress/bridged(_:bridgeID:)``;
    /// a tag belongs in ``bridgeID``.
    public let target: StreamAddress
    /// The `#bridge=` tag written after the target, when the requester bridges (§4.2).
    public let bridgeID: BridgeID?

    /// - Throws: ``MeshWireError/invalidHopList(_:)`` for no hops,
    ///   ``MeshWireError/invalidHopName(_:)`` for a hop that cannot be written,
    ///   ``MeshWireError/bridgeTagInsideVia`` for a bridged target.
    public init(hops: [String], target: StreamAddress, bridgeID: BridgeID? = nil) throws(MeshWireError) {
        guard !hops.isEmpty else { throw .invalidHopList("") }
        for hop in hops where !Self.isWritableHop(hop) { throw .invalidHopName(hop) }
        if case .bridged = target { throw .bridgeTagInsideVia }
        self.hops = hops
        self.target = target
        self.bridgeID = bridgeID
    }

    /// Whether `name` can stand as one hop of a via address.
    public static func isWritableHop(_ name: String) -> Bool {
        !name.isEmpty && !name.contains("/") && !name.contains("_") && !name.contains(StreamAddress.bridgeTag)
    }

    /// The address text, e.g. `_relay_via_kr-r1/kr-r1-a_1.2.3.4:443#bridge=sb_3f2a_17:0`.
    public var formatted: String {
        let tag = bridgeID.map { StreamAddress.bridgeTag + $0.text } ?? ""
        return StreamAddress.viaPrefix + hops.joined(separator: "/") + "_" + target.formatted + tag + ":0"
    }

    /// Parses what follows `_relay_via_` the way a v1.3 hop does: split at the first `_` into
    /// hops and target, drop one trailing `:0` from the target, then split off `#bridge=`.
    package static func parse(afterPrefix rest: Substring) throws(MeshWireError) -> ViaRoute {
        guard let split = rest.firstIndex(of: "_") else { throw .invalidHopList(String(rest)) }
        let hops = rest[..<split].split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard !rest[..<split].isEmpty, hops.allSatisfy({ !$0.isEmpty }) else {
            throw .invalidHopList(String(rest[..<split]))
        }
        var target = rest[rest.index(after: split)...]
        if target.hasSuffix(":0") { target = target.dropLast(2) }
        var bridgeID: BridgeID?
        if let tag = target.firstRange(of: StreamAddress.bridgeTag) {
            bridgeID = try BridgeID(String(target[tag.upperBound...]))
            target = target[..<tag.lowerBound]
        }
        return try ViaRoute(hops: hops, target: try StreamAddress(parsingUnchecked: target), bridgeID: bridgeID)
    }
}
