import MeshWire
import Addressing
import Egress
import NIOCore
import QUIC
import Routing
import Synchronization

extension MeshNode {
    /// Budget of one path, retries included (§7.2).
    static let pathBudget = Duration.seconds(10)
    /// Pause between attempts on a path whose first hop is not connected yet (§7.3).
    static let retryInterval = Duration.seconds(2)
    /// Head start of the first path over the others in a race (§7.2: a flat 2 s).
    static let raceStagger = Duration.seconds(2)

    /// Opens a stream to `target` along the first reachable path of `exit`: one path alone, or
    /// several raced with the first given a head start.
    func openExitStream(to target: Target, along exit: ExitRoute, on loop: any EventLoop) async throws -> any Channel {
        let paths = try admittedPaths(of: exit)
        if paths.count == 1 { return try await dialWithRetries(paths[0], to: target, on: loop) }
        let (channel, winner) = try await PathRace.first(of: paths, stagger: Self.raceStagger, in: work, discard: { $0.0.close(promise: nil) }) { path in
            (try await self.dialWithRetries(path, to: target, on: loop), path.text)
        }
        recordActivePath(winner, for: exit.paths[0])
        return channel
    }

    /// The paths of `exit` the local policy allows; throws the reason when none is left.
    func admittedPaths(of exit: ExitRoute) throws -> [ExitPath] {
        let settings = self.settings
        var admitted: [ExitPath] = []
        var refusal: (any Error)?
        for text in exit.paths {
            do { admitted.append(try ExitPath(text, settings: settings)) } catch { refusal = refusal ?? error }
        }
        guard !admitted.isEmpty else {
            if exit.paths.count > 1, case MeshRouteError.disabled? = refusal as? MeshRouteError {
                throw MeshRouteError.allPathsDisabled
            }
            throw refusal ?? MeshRouteError.noPathTo(exit.description)
        }
        return admitted
    }

    /// Dials one path, trying again every 2 s while its first hop is not connected, within the
    /// path's budget.
    private func dialWithRetries(_ path: ExitPath, to target: Target, on loop: any EventLoop) async throws -> any Channel {
        let deadline = clock.now + Self.pathBudget
        while true {
            do {
                return try await dial(path, to: target, on: loop, answerWithin: deadline - clock.now)
            } catch let error as MeshRouteError {
                switch error {
                case .notConnected, .noPathTo, .noControlStream, .linkClosed:
                    guard clock.now + Self.retryInterval < deadline else { throw error }
                    try await clock.sleep(for: Self.retryInterval)
                default:
                    throw error
                }
            }
        }
    }

    /// One attempt: the first hop's stream, carrying a via address for the hops after it.
    private func dial(_ path: ExitPath, to target: Target, on loop: any EventLoop, answerWithin limit: Duration) async throws -> any Channel {
        if path.hops.isEmpty { return try await direct.openStream(to: target, for: Flow(identity: .relay, exit: .direct), on: loop) }
        let (peer, hops) = try firstHop(of: path)
        let address = hops.count == 1
            ? target.description
            : try ViaRoute(hops: Array(hops.dropFirst()), target: .plain(target)).formatted
        let (stream, leftover) = try await openStream(address, on: peer, answerWithin: limit)
        return try await QUICStreamChannel.make(stream: stream, leftover: leftover, on: loop, allowRemoteHalfClosure: true) { sent, received in
            peer.count(sent: sent, received: received)
        }.get()
    }

    /// The connected peer a path starts with and the hops from it; a lone name that is not a
    /// direct peer is looked up among discovered paths (§7.3), one picked at random.
    func firstHop(of path: ExitPath) throws -> (Peer, [String]) {
        var hops = path.hops
        if hops.count == 1, peers.primary(hops[0]) == nil, peerByClientLabel(hops[0]) == nil {
            let found = discovery.paths(to: hops[0], settings: settings)
            guard let chosen = found.randomElement() else { throw MeshRouteError.noPathTo(hops[0]) }
            hops = chosen
        }
        guard let peer = peers.primary(hops[0]) ?? peerByClientLabel(hops[0]) else { throw MeshRouteError.notConnected(hops[0]) }
        return (peer, hops)
    }

    /// Opens a datagram path through the first reachable one-hop path of `exit` (v3 relays UDP
    /// over one hop only, §8).
    func openExitDatagrams(along exit: ExitRoute, on loop: any EventLoop,
                           onReply: @escaping @Sendable (Target, ByteBuffer) -> Void) async throws -> any DatagramPath {
        var lastError: (any Error)?
        for path in try admittedPaths(of: exit) {
            do {
                if path.hops.isEmpty {
                    return try await direct.openDatagrams(for: Flow(identity: .relay, exit: .direct), on: loop, onReply: onReply)
                }
                let (peer, hops) = try firstHop(of: path)
                guard hops.count == 1 else { throw MeshRouteError.udpBeyondOneHop(path.text) }
                return try MeshDatagramPath.open(through: peer, node: self, onReply: onReply)
            } catch {
                lastError = error
            }
        }
        throw lastError ?? MeshRouteError.noPathTo(exit.description)
    }
}

/// Races paths: the first starts at once, the rest after a flat stagger; the first success wins
/// and later successes are discarded.
enum PathRace {
    /// Each entrant runs as a child of the node's `work`: dials do not end on cancellation, so
    /// the losers finish there after the winner has returned.
    static func first<Value: Sendable>(
        of paths: [ExitPath], stagger: Duration, in work: NodeWork, discard: @escaping @Sendable (Value) -> Void,
        _ attempt: @escaping @Sendable (ExitPath) async throws -> Value
    ) async throws -> Value {
        let race = Race<Value>(entrants: paths.count)
        return try await withCheckedThrowingContinuation { continuation in
            race.install(continuation)
            for (index, path) in paths.enumerated() {
                let entered = work.submit { [clock = work.clock] in
                    // A cancelled stagger (the node stopping) lets the attempt fail on its own.
                    if index > 0 { try? await clock.sleep(for: stagger) }
                    let result: Result<Value, any Error>
                    do { result = .success(try await attempt(path)) } catch { result = .failure(error) }
                    if !race.finish(path, with: result), case .success(let late) = result { discard(late) }
                }
                if !entered { _ = race.finish(path, with: .failure(CancellationError())) }
            }
        }
    }

    /// The continuation the entrants share: the first success resumes it, or the last failure.
    private final class Race<Value: Sendable>: Sendable {
        private let state = Mutex<(continuation: CheckedContinuation<Value, any Error>?, failures: [String])>((nil, []))
        private let entrants: Int

        init(entrants: Int) { self.entrants = entrants }

        func install(_ continuation: CheckedContinuation<Value, any Error>) {
            state.withLock { $0.continuation = continuation }
        }

        /// False when the race was decided already (a late success is the caller's to discard).
        func finish(_ path: ExitPath, with result: Result<Value, any Error>) -> Bool {
            let (waiting, outcome) = state.withLock { state -> (CheckedContinuation<Value, any Error>?, Result<Value, any Error>?) in
                guard let waiting = state.continuation else { return (nil, nil) }
                if case .failure(let error) = result {
                    state.failures.append("\(path): \(error)")
                    guard state.failures.count == entrants else { return (nil, nil) }
                    state.continuation = nil
                    return (waiting, .failure(MeshRaceError(failures: state.failures)))
                }
                state.continuation = nil
                return (waiting, result)
            }
            guard let waiting, let outcome else { return false }
            waiting.resume(with: outcome)
            return true
        }
    }
}

struct MeshRaceError: Error, CustomStringConvertible {
    var failures: [String]
    var description: String { "every exit path failed: " + failures.joined(separator: "; ") }
}
