import CNgtcp2
import NIOCore

/// Streams and datagrams as the application sees them, plus the callbacks that feed them.
extension NgtcpConnection: QUICConnectionEngine {
    func openStream(bidirectional: Bool) -> EventLoopFuture<Int64> {
        guard case .established = state else { return eventLoop.makeFailedFuture(closedError) }
        let promise = eventLoop.makePromise(of: Int64.self)
        streamOpeners[bidirectional, default: []].append(promise)
        openWaitingStreams()
        return promise.futureResult
    }

    /// Opens streams for the callers waiting, in order, while the peer's stream limit allows;
    /// the rest wait for its next MAX_STREAMS.
    func openWaitingStreams() {
        guard let conn, !isClosed else { return }
        for bidirectional in [true, false] {
            while let opener = streamOpeners[bidirectional]?.first {
                var id: Int64 = -1
                let result = bidirectional ? ngtcp2_conn_open_bidi_stream(conn, &id, nil) : ngtcp2_conn_open_uni_stream(conn, &id, nil)
                if result == NGTCP2_ERR_STREAM_ID_BLOCKED { break }
                streamOpeners[bidirectional]?.removeFirst()
                guard result == 0 else {
                    opener.fail(Self.error(.engine, "ngtcp2_conn_open_stream", result))
                    continue
                }
                streams[id] = StreamState(id: id)
                opener.succeed(id)
            }
        }
    }

    func read(stream id: Int64) -> EventLoopFuture<ByteBuffer?> {
        guard let stream = streams[id], !stream.isReadEnded else {
            return eventLoop.makeFailedFuture(QUICError(.invalidStream, "stream \(id) has nothing more to read"))
        }
        guard stream.readWaiter == nil else {
            return eventLoop.makeFailedFuture(QUICError(.invalidStream, "stream \(id) already has a reader"))
        }
        if let ready = take(stream) { return eventLoop.makeCompletedFuture(ready.mapError { $0 as any Error }) }
        if case .closed(let error) = state { return eventLoop.makeFailedFuture(error) }
        let promise = eventLoop.makePromise(of: ByteBuffer?.self)
        stream.readWaiter = promise
        return promise.futureResult
    }

    func write(_ data: ByteBuffer, stream id: Int64, finish: Bool) -> EventLoopFuture<Void> {
        guard !isClosed else { return eventLoop.makeFailedFuture(closedError) }
        guard let conn, let stream = streams[id], !stream.send.isFinishQueued, !stream.isClosed,
              id & 0x2 == 0 || ngtcp2_conn_is_local_stream(conn, id) != 0  // bidi streams and our own uni streams
        else { return eventLoop.makeFailedFuture(QUICError(.invalidStream, "stream \(id) is not writable")) }
        let promise = eventLoop.makePromise(of: Void.self)
        stream.send.append(data, finish: finish, buffered: configuration.streamSendBuffer, promise: promise)
        if !sendOrder.contains(id) { sendOrder.append(id) }
        flush()
        return promise.futureResult
    }

    func reset(stream id: Int64, errorCode: UInt64) {
        guard let conn, !isClosed, let stream = streams[id], !stream.isClosed else { return }
        abandonSend(stream)
        ngtcp2_conn_shutdown_stream(conn, id, errorCode)  // fails only for a stream ngtcp2 already closed
        scheduleFlush()
    }

    func acceptStream() -> EventLoopFuture<Int64?> {
        if let id = incomingStreams.popFirst() { return eventLoop.makeSucceededFuture(id) }
        guard !isClosed else { return eventLoop.makeSucceededFuture(nil) }
        guard acceptWaiter == nil else { return eventLoop.makeFailedFuture(QUICError(.invalidStream, "already accepting")) }
        let promise = eventLoop.makePromise(of: Int64?.self)
        acceptWaiter = promise
        return promise.futureResult
    }

    func sendDatagram(_ data: ByteBuffer) throws(QUICError) {
        guard case .established = state else { throw closedError }
        guard datagramsOut.count < configuration.datagramQueueLimit else {
            droppedDatagrams += 1
            return
        }
        datagramsOut.append(data)
        scheduleFlush()
    }

    var maximumDatagramPayload: Int {
        guard let conn, case .established = state, let remote = ngtcp2_conn_get_remote_transport_params(conn) else { return 0 }
        let frameLimit = Int(remote.pointee.max_datagram_frame_size) - Self.datagramFrameOverhead
        // The size every QUIC path carries, not the probed one: a datagram too large for the
        // packet being built is refused by ngtcp2 and lost.
        let packetLimit = Int(NGTCP2_MAX_UDP_PAYLOAD_SIZE) - Self.shortPacketOverhead - Self.datagramFrameOverhead
        return max(0, min(frameLimit, packetLimit))
    }

    /// DATAGRAM frame type and a 2-byte length.
    private static let datagramFrameOverhead = 3
    /// Short header with the longest connection ID and packet number, and the AEAD tag.
    private static let shortPacketOverhead = 1 + 20 + 4 + 16

    func receiveDatagram() -> EventLoopFuture<ByteBuffer?> {
        if let datagram = datagramsIn.popFirst() { return eventLoop.makeSucceededFuture(datagram) }
        guard !isClosed else { return eventLoop.makeSucceededFuture(nil) }
        guard datagramWaiter == nil else {
            return eventLoop.makeFailedFuture(QUICError(.invalidStream, "already receiving datagrams"))
        }
        let promise = eventLoop.makePromise(of: ByteBuffer?.self)
        datagramWaiter = promise
        return promise.futureResult
    }

    private var closedError: QUICError {
        if case .closed(let error) = state { return error }
        return QUICError(.connectionClosed, "the handshake has not completed")
    }

    /// Takes what a reader may have now and hands the bytes' flow-control credit back to the peer:
    /// the window only reopens as the application consumes, which is the back-pressure.
    private func take(_ stream: StreamState) -> Result<ByteBuffer?, QUICError>? {
        guard let ready = stream.takeReadable() else { return nil }
        switch ready {
        case .success(.some(let data)):
            if let conn, !isClosed {
                ngtcp2_conn_extend_max_stream_offset(conn, stream.id, UInt64(data.readableBytes))  // fails only for a closed stream
                ngtcp2_conn_extend_max_offset(conn, UInt64(data.readableBytes))
                scheduleFlush()
            }
        case .success(.none), .failure:
            stream.isReadEnded = true
            if stream.isClosed { streams[stream.id] = nil }
        }
        return ready
    }

    /// Answers the readers of streams that got data, FIN, a reset or a close in the last C call.
    func deliverReadable() {
        let ids = readable
        readable.removeAll()
        for id in ids {
            guard let stream = streams[id], let reader = stream.readWaiter, let ready = take(stream) else { continue }
            stream.readWaiter = nil
            reader.completeWith(ready.mapError { $0 as any Error })
        }
    }

    // MARK: ngtcp2 callbacks (see NgtcpCallbacks); these only record state.

    func remoteStreamOpened(_ id: Int64) {
        streams[id] = StreamState(id: id)
        incomingStreams.append(id)
    }

    func received(_ bytes: UnsafeRawBufferPointer, stream id: Int64, finish: Bool) {
        let stream = streams[id] ?? {
            let stream = StreamState(id: id)
            streams[id] = stream
            return stream
        }()
        stream.received.writeBytes(bytes)
        stream.isFinishReceived = stream.isFinishReceived || finish
        readable.insert(id)
    }

    func acknowledged(stream id: Int64, upTo offset: UInt64) {
        streams[id]?.send.acknowledge(upTo: offset)
    }

    func streamReset(_ id: Int64, errorCode: UInt64) {
        guard let stream = streams[id] else { return }
        stream.resetCode = errorCode
        readable.insert(id)
    }

    func streamClosed(_ id: Int64, errorCode: UInt64?) {
        if let conn, ngtcp2_conn_is_local_stream(conn, id) == 0 {
            // ngtcp2 leaves the peer's stream limit alone: each closed stream of theirs is one more
            // they may open (sent as MAX_STREAMS), or a long-lived connection runs out of streams.
            if id & 0x2 == 0 { ngtcp2_conn_extend_max_streams_bidi(conn, 1) } else { ngtcp2_conn_extend_max_streams_uni(conn, 1) }
        }
        guard let stream = streams[id] else { return }
        stream.isClosed = true
        if let errorCode, errorCode != 0, !stream.isFinishReceived, stream.resetCode == nil { stream.resetCode = errorCode }
        if stream.send.hasUnsent { abandonSend(stream) }
        if stream.isReadEnded {
            streams[id] = nil
        } else {
            readable.insert(id)
        }
    }

    func receivedDatagram(_ bytes: UnsafeRawBufferPointer) {
        guard datagramsIn.count < configuration.datagramQueueLimit else {
            droppedDatagrams += 1
            return
        }
        var datagram = channel.allocator.buffer(capacity: bytes.count)
        datagram.writeBytes(bytes)
        datagramsIn.append(datagram)
    }
}
