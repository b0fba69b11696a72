import CNgtcp2
import Logging
import NIOCore

/// The write loop: turn queued datagrams, stream bytes and ngtcp2's own frames into packets.
extension NgtcpConnection {
    /// Room for one packet; ngtcp2 limits itself to the path's payload size, at most this.
    static let packetCapacity = 1500
    /// Stream vectors per `writev_stream` call; more chunks wait for the next packet.
    private static let vectorLimit = 16
    /// Bytes one flush may send even when ngtcp2's send quantum is smaller.
    private static let minimumBurst = 64 << 10

    private enum PacketResult {
        case packet(Int)
        case idle
        case failed(Int32, String)
    }

    /// Coalesces several requests to write in one turn of the event loop into one flush.
    func scheduleFlush() {
        guard !isFlushScheduled else { return }
        isFlushScheduled = true
        eventLoop.assumeIsolated().execute { [self] in
            isFlushScheduled = false
            flush()
        }
    }

    /// Writes packets until ngtcp2 has nothing more or the pacer's send quantum is used, then
    /// re-arms the timer (which also wakes us when the pacer allows more).
    func flush() {
        guard let conn, !isClosed else { return }
        let now = Self.now()
        // ngtcp2's quantum can be a couple of packets; the pacer still spaces the bursts.
        var budget = max(ngtcp2_conn_get_send_quantum(conn), Self.minimumBurst)
        var blocked = Set<Int64>()
        var batch = PacketBatch(allocator: channel.allocator, segments: usesSegmentation)
        var wroteAny = false
        let send = { (data: ByteBuffer, segmentSize: Int?) in
            self.sendBatch(data, segmentSize: segmentSize)
            wroteAny = true
        }
        while budget > 0 {
            let result = batch.withSpace(for: Self.packetCapacity) { writePacket(conn, into: &$0, now: now, blocked: &blocked) }
            switch result {
            case .packet(let length):
                batch.commit(length, with: send)
                budget -= length
                continue
            case .idle:
                break
            case .failed(let result, let function):
                batch.flush(with: send)
                if wroteAny { channel.flush() }
                fail(result, in: function)
                return
            }
            break
        }
        batch.flush(with: send)
        if wroteAny { channel.flush() }
        ngtcp2_conn_update_pkt_tx_time(conn, now)
        armTimer()
    }

    /// Writes one batch; a socket that refuses segmentation gets single packets from then on.
    private func sendBatch(_ data: ByteBuffer, segmentSize: Int?) {
        let metadata = segmentSize.map { AddressedEnvelope<ByteBuffer>.Metadata(ecnState: .transportNotCapable, packetInfo: nil, segmentSize: $0) }
        let promise: EventLoopPromise<Void>? = segmentSize == nil ? nil : eventLoop.makePromise()
        promise?.futureResult.assumeIsolated().whenFailure { [self] error in
            guard usesSegmentation else { return }
            usesSegmentation = false
            logger.notice("quic.gso.disabled", metadata: ["quic.error": "\(error)"])
        }
        channel.write(AddressedEnvelope(remoteAddress: remote, data: data, metadata: metadata), promise: promise)
    }

    /// Builds one packet, coalescing datagrams and stream frames while ngtcp2 says there is room.
    private func writePacket(_ conn: OpaquePointer, into packet: inout ByteBuffer, now: UInt64,
                             blocked: inout Set<Int64>) -> PacketResult {
        packet.withUnsafeMutableWritableBytes { space in
            let destination = space.baseAddress?.assumingMemoryBound(to: UInt8.self)
            let capacity = min(space.count, ngtcp2_conn_get_max_tx_udp_payload_size(conn))
            while true {
                if let datagram = datagramsOut.first {
                    var accepted: Int32 = 0
                    let result = datagram.withUnsafeReadableBytes { bytes in
                        var vector = ngtcp2_vec(base: UnsafeMutablePointer(mutating: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)),
                                                len: bytes.count)
                        return CNgtcp2_conn_writev_datagram(conn, nil, nil, destination, capacity, &accepted,
                                                            UInt32(NGTCP2_WRITE_DATAGRAM_FLAG_MORE), 0, &vector, 1, now)
                    }
                    if accepted != 0 {
                        datagramsOut.removeFirst()
                    } else if result == Int(NGTCP2_ERR_INVALID_STATE) || result == Int(NGTCP2_ERR_INVALID_ARGUMENT) {
                        datagramsOut.removeFirst()  // the peer takes no datagrams, or none this large (spec §2a)
                        droppedDatagrams += 1
                        continue
                    }
                    if result == Int(NGTCP2_ERR_WRITE_MORE) { continue }
                    if result < 0 { return .failed(Int32(result), "ngtcp2_conn_writev_datagram") }
                    if result > 0 { return .packet(result) }
                    // 0: congestion-limited or no room; let the stream path finish the packet.
                }
                let stream = sendOrder.first { !blocked.contains($0) }.flatMap { streams[$0] }
                var taken: Int = -1
                var sentFinish = false
                let result: Int
                if let stream {
                    result = stream.send.withUnsentVectors(limit: Self.vectorLimit) { vectors, count, reachesEnd in
                        var flags = UInt32(NGTCP2_WRITE_STREAM_FLAG_MORE)
                        if reachesEnd && stream.send.isFinishQueued {
                            flags |= UInt32(NGTCP2_WRITE_STREAM_FLAG_FIN)
                            sentFinish = true
                        }
                        return CNgtcp2_conn_writev_stream(conn, nil, nil, destination, capacity, &taken, flags,
                                                          stream.id, vectors, count, now)
                    }
                } else {
                    result = CNgtcp2_conn_writev_stream(conn, nil, nil, destination, capacity, &taken,
                                                        UInt32(NGTCP2_WRITE_STREAM_FLAG_NONE), -1, nil, 0, now)
                }
                if let stream, taken >= 0 {
                    let remaining = stream.send.endOffset - stream.send.sentOffset
                    markSent(stream, count: taken, finish: sentFinish && UInt64(taken) == remaining)
                }
                switch Int32(clamping: result) {
                case NGTCP2_ERR_WRITE_MORE:
                    continue
                case NGTCP2_ERR_STREAM_DATA_BLOCKED:
                    if let stream { blocked.insert(stream.id) }
                    continue
                case NGTCP2_ERR_STREAM_SHUT_WR, NGTCP2_ERR_STREAM_NOT_FOUND:
                    if let stream { abandonSend(stream) }
                    continue
                default:
                    if result < 0 { return .failed(Int32(clamping: result), "ngtcp2_conn_writev_stream") }
                    return result == 0 ? .idle : .packet(result)
                }
            }
        }
    }

    private func markSent(_ stream: StreamState, count: Int, finish: Bool) {
        let writers = stream.send.markSent(count, finish: finish)
        if !stream.send.hasUnsent { sendOrder.removeAll { $0 == stream.id } }
        for writer in writers { writer.succeed() }
    }

    func abandonSend(_ stream: StreamState) {
        sendOrder.removeAll { $0 == stream.id }
        let error = QUICError(.streamReset, "stream \(stream.id) stopped before all data was sent")
        for writer in stream.send.abandon() { writer.fail(error) }
    }
}
