import Synchronization

/// Runs `operation` and returns its result, or throws ``MeshStreamError/timedOut(_:)`` once
/// `limit` passes, whichever is first.
///
/// QUIC waits are not cancellable, so a late operation is not abandoned mid-way: it finishes in
/// the background and `discard` releases what it produced (closes the stream it opened).
func firstWithin<Value: Sendable>(
    _ limit: Duration, _ what: String,
    discard: @escaping @Sendable (Value) -> Void = { _ in },
    _ operation: @escaping @Sendable () async throws -> Value
) async throws -> Value {
    let race = DeadlineRace<Value>()
    return try await withCheckedThrowingContinuation { continuation in
        race.install(continuation)
        let timer = Task {
            guard (try? await Task.sleep(for: limit)) != nil else { return }
            race.finish(.failure(MeshStreamError.timedOut(what)))
        }
        Task {
            let result = await Result(catching: { try await operation() })
            timer.cancel()
            if !race.finish(result), case .success(let late) = result { discard(late) }
        }
    }
}

/// The continuation two racers share; the first to finish resumes it.
private final class DeadlineRace<Value: Sendable>: Sendable {
    private let continuation = Mutex<CheckedContinuation<Value, any Error>?>(nil)

    func install(_ continuation: CheckedContinuation<Value, any Error>) {
        self.continuation.withLock { $0 = continuation }
    }

    /// Resumes with `result` unless the other racer did; false when it came too late.
    @discardableResult
    func finish(_ result: Result<Value, any Error>) -> Bool {
        guard let waiting = continuation.withLock({ current in defer { current = nil }; return current }) else { return false }
        waiting.resume(with: result)
        return true
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
