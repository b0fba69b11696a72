import CNgtcp2
import NIOCore

/// The send side of one stream: bytes queued, bytes given to ngtcp2, bytes acknowledged.
///
/// Invariant: `ackedOffset <= sentOffset <= endOffset`; `chunks` covers `ackedOffset..<endOffset`
/// (the first chunk may start earlier, until it is acknowledged whole).
struct SendQueue {
    private var chunks = CircularBuffer<SendChunk>()
    /// Everything below this offset is acknowledged by the peer.
    private(set) var ackedOffset: UInt64 = 0
    /// Everything below this offset has been given to ngtcp2.
    private(set) var sentOffset: UInt64 = 0
    /// Offset just past the last queued byte.
    private(set) var endOffset: UInt64 = 0
    /// The application has finished the stream; no more bytes may be queued.
    private(set) var isFinishQueued = false
    /// ngtcp2 has taken the FIN.
    private(set) var isFinishSent = false
    /// Writers waiting until `sentOffset` (and the FIN, if asked) passes their mark.
    private var waiters: [(mark: UInt64, needsFinish: Bool, promise: EventLoopPromise<Void>)] = []

    /// Whether anything (bytes or FIN) still has to be given to ngtcp2.
    var hasUnsent: Bool { sentOffset < endOffset || (isFinishQueued && !isFinishSent) }

    /// Queues a copy of `data`, and FIN when `finish`. `promise` completes once no more than
    /// `buffered` bytes wait for ngtcp2 (at once when that is already so), and the FIN was taken
    /// if asked: the writer may queue more while ngtcp2 sends the rest, so the sender never runs
    /// dry between two writes, and waits beyond that.
    mutating func append(_ data: ByteBuffer, finish: Bool, buffered: UInt64, promise: EventLoopPromise<Void>) {
        if data.readableBytes > 0 {
            chunks.append(SendChunk(copying: data, at: endOffset))
            endOffset += UInt64(data.readableBytes)
        }
        isFinishQueued = isFinishQueued || finish
        let mark = endOffset > buffered ? endOffset - buffered : 0
        if mark <= sentOffset, !finish {
            promise.succeed()
        } else {
            waiters.append((mark, finish, promise))
        }
    }

    /// Calls `body` with up to `limit` vectors over the unsent bytes, and whether they reach the end.
    func withUnsentVectors<R>(limit: Int, _ body: (UnsafePointer<ngtcp2_vec>?, Int, Bool) -> R) -> R {
        withUnsafeTemporaryAllocation(of: ngtcp2_vec.self, capacity: limit) { vectors in
            var count = 0
            var reachesEnd = true
            for chunk in chunks where chunk.end > sentOffset {
                guard count < limit else { reachesEnd = false; break }
                let skip = Int(sentOffset > chunk.offset ? sentOffset - chunk.offset : 0)
                let base = chunk.bytes.baseAddress.map { $0.advanced(by: skip).assumingMemoryBound(to: UInt8.self) }
                vectors[count] = ngtcp2_vec(base: base, len: chunk.bytes.count - skip)
                count += 1
            }
            return body(UnsafePointer(vectors.baseAddress), count, reachesEnd)
        }
    }

    /// Records that ngtcp2 took `count` more bytes (and the FIN when `finish`); returns the writers
    /// whose data is now all taken, to be completed outside any C callback.
    mutating func markSent(_ count: Int, finish: Bool) -> [EventLoopPromise<Void>] {
        sentOffset += UInt64(count)
        isFinishSent = isFinishSent || finish
        var done: [EventLoopPromise<Void>] = []
        while let first = waiters.first, first.mark <= sentOffset, !first.needsFinish || isFinishSent {
            done.append(first.promise)
            waiters.removeFirst()
        }
        return done
    }

    /// Frees the chunks the peer has acknowledged up to `offset`.
    mutating func acknowledge(upTo offset: UInt64) {
        ackedOffset = max(ackedOffset, offset)
        while let first = chunks.first, first.end <= ackedOffset {
            chunks.removeFirst()
        }
    }

    /// Drops everything (the stream closed or was reset); returns the writers still waiting.
    mutating func abandon() -> [EventLoopPromise<Void>] {
        chunks.removeAll()
        sentOffset = endOffset
        isFinishSent = isFinishQueued
        defer { waiters.removeAll() }
        return waiters.map(\.promise)
    }
}
