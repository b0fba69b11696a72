import MeshWire
import Synchronization

/// The live peers by name, in two slots (§2.3): the primary, which routing, probing and
/// list-peers use, and the alternate, which keeps the second channel of two nodes that dial
/// each other so neither side flaps.
final class PeerTable: Sendable {
    private let slots = Mutex<[String: (primary: Peer?, alternate: Peer?)]>([:])

    /// What ``install(_:)`` did.
    enum Installation: Equatable {
        case primary
        case alternate
        /// Another node under the same name: its node id differs from the one we know.
        case impostor
    }

    /// Installs a session that just registered, by v1.3's slot rules; a session it replaces is
    /// ended. Differences from v1.3: a register without node id and metadata (v1.3's
    /// extra-address verification, §6) never displaces a session that has a node id.
    func install(_ peer: Peer) -> Installation {
        var replaced: [Peer] = []
        let outcome = slots.withLock { slots -> Installation in
            var entry = slots[peer.name] ?? (nil, nil)
            defer { slots[peer.name] = entry }
            let incomingID = peer.metadata.nodeID
            for known in [entry.primary, entry.alternate].compactMap({ $0 })
            where !incomingID.isEmpty && !known.metadata.nodeID.isEmpty && known.metadata.nodeID != incomingID {
                return .impostor
            }
            guard let primary = entry.primary else {
                if peer.direction == .inbound, let alternate = entry.alternate, alternate.direction == .inbound {
                    replaced.append(alternate)
                    entry.alternate = nil
                }
                entry.primary = peer
                return .primary
            }
            if incomingID.isEmpty, !primary.metadata.nodeID.isEmpty { return .impostor }
            if primary.direction == peer.direction {
                replaced.append(primary)  // a reconnect
                entry.primary = peer
                return .primary
            }
            guard !incomingID.isEmpty, incomingID == primary.metadata.nodeID else {
                replaced.append(primary)  // legacy peers without ids: the newest wins
                entry.primary = peer
                return .primary
            }
            // A mutual dial: our outbound leads, their inbound waits in the alternate slot.
            if peer.direction == .outbound {
                if let alternate = entry.alternate { replaced.append(alternate) }
                entry.alternate = primary
                entry.primary = peer
                return .primary
            }
            if let alternate = entry.alternate { replaced.append(alternate) }
            entry.alternate = peer
            return .alternate
        }
        for old in replaced { old.end() }
        return outcome
    }

    /// Removes `peer` if it is still installed; an alternate takes over a vacated primary.
    func remove(_ peer: Peer) {
        slots.withLock { slots in
            guard var entry = slots[peer.name] else { return }
            if entry.primary === peer {
                entry.primary = entry.alternate
                entry.alternate = nil
            } else if entry.alternate === peer {
                entry.alternate = nil
            } else {
                return
            }
            slots[peer.name] = entry.primary == nil ? nil : entry
        }
    }

    /// The primary session named `name`.
    func primary(_ name: String) -> Peer? { slots.withLock { $0[name]?.primary } }

    /// Every primary session, by name.
    func primaries() -> [Peer] {
        slots.withLock { $0.values.compactMap(\.primary) }.sorted { $0.name < $1.name }
    }

    /// Every session, alternates included.
    func all() -> [Peer] {
        slots.withLock { $0.values.flatMap { [$0.primary, $0.alternate].compactMap { $0 } } }
    }

    /// The inbound session that registered on `connection` under `name`, in either slot.
    func inbound(named name: String, on connection: ObjectIdentifier) -> Peer? {
        slots.withLock { slots in
            guard let entry = slots[name] else { return nil }
            return [entry.primary, entry.alternate].compactMap { $0 }.first {
                $0.direction == .inbound && ObjectIdentifier($0.connection) == connection
            }
        }
    }
}
