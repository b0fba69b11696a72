import CNgtcp2
import Logging
import NIOCore

/// Reading packets, timers, and the end of the connection.
extension NgtcpConnection {
    /// Feeds one received UDP payload to ngtcp2. Replies wait for ``afterIO()``, which the channel
    /// handler calls once per read burst so acknowledgements coalesce.
    func receive(_ datagram: ByteBuffer) {
        guard let conn, !isClosed else { return }
        let result = datagram.withUnsafeReadableBytes { bytes in
            var info = ngtcp2_pkt_info()
            return CNgtcp2_conn_read_pkt(conn, path.pointer, &info, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                         bytes.count, Self.now())
        }
        if result != 0 { fail(result, in: "ngtcp2_conn_read_pkt") }
    }

    /// Completes what the last C calls made ready (handshake, reads, accepts, datagrams), then writes.
    func afterIO() {
        guard let conn else { return }
        if case .handshaking(let promise) = state, ngtcp2_conn_get_handshake_completed(conn) != 0 {
            state = .established
            logger.debug("quic.handshake.completed", metadata: ["quic.alpn": "\(negotiatedALPN ?? "-")"])
            promise.succeed()
            owner?.established(self)
        }
        deliverReadable()
        openWaitingStreams()
        if let waiter = acceptWaiter, let id = incomingStreams.popFirst() {
            acceptWaiter = nil
            waiter.succeed(id)
        }
        if let waiter = datagramWaiter, let datagram = datagramsIn.popFirst() {
            datagramWaiter = nil
            waiter.succeed(datagram)
        }
        flush()
    }

    /// Arms one timer for ngtcp2's next deadline (loss detection, ACK delay, pacing, idle).
    func armTimer() {
        guard let conn, !isClosed else {
            timer?.cancel()
            timer = nil
            return
        }
        let expiry = ngtcp2_conn_get_expiry(conn)
        if timer != nil, expiry == timerExpiry { return }  // already set: re-arming costs a syscall
        timer?.cancel()
        timer = nil
        timerExpiry = expiry
        guard expiry != UInt64.max else { return }
        let now = Self.now()
        let delay = expiry > now ? expiry - now : 0
        timer = eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(Int64(clamping: delay))) { [self] in
            timer = nil
            guard let conn = self.conn, !isClosed else { return }
            let result = ngtcp2_conn_handle_expiry(conn, Self.now())
            if result != 0 {
                fail(result, in: "ngtcp2_conn_handle_expiry")
                return
            }
            afterIO()
        }
    }

    var isClosed: Bool {
        if case .closed = state { return true }
        return false
    }

    /// Sends CONNECTION_CLOSE with an application error and ends the connection.
    func close(errorCode: UInt64) -> EventLoopFuture<Void> {
        guard let conn, !isClosed else { return eventLoop.makeSucceededVoidFuture() }
        var reason = ngtcp2_connection_close_error()
        ngtcp2_connection_close_error_default(&reason)
        ngtcp2_connection_close_error_set_application_error(&reason, errorCode, nil, 0)
        sendConnectionClose(conn, reason)
        terminate(QUICError(.connectionClosed, "closed locally with code \(errorCode)"))
        return owner == nil ? channel.closeFuture : eventLoop.makeSucceededVoidFuture()
    }

    /// Ends the connection after ngtcp2 reported `result`: silently when the peer closed or the
    /// idle timer fired, otherwise telling the peer why.
    func fail(_ result: Int32, in function: String) {
        guard let conn, !isClosed else { return }
        let silent = result == NGTCP2_ERR_DRAINING || result == NGTCP2_ERR_IDLE_CLOSE || result == NGTCP2_ERR_DROP_CONN
        if !silent {
            var reason = ngtcp2_connection_close_error()
            ngtcp2_connection_close_error_default(&reason)
            ngtcp2_connection_close_error_set_transport_error_liberr(&reason, result, nil, 0)
            sendConnectionClose(conn, reason)
        }
        let code: QUICError.Code = if case .handshaking = state { .handshakeFailed } else { .connectionClosed }
        terminate(Self.error(code, function, result))
    }

    /// Fails every waiter with `error` and releases the socket (a client's) or the connection IDs
    /// (a server connection's); the C state is freed in deinit.
    func terminate(_ error: QUICError) {
        let previous = state
        guard !isClosed else { return }
        state = .closed(error)
        logger.debug("quic.connection.closed", metadata: ["quic.reason": "\(error)"])
        timer?.cancel()
        timer = nil
        if case .handshaking(let promise) = previous { promise.fail(error) }
        for stream in streams.values {
            for writer in stream.send.abandon() { writer.fail(error) }
            if let reader = stream.readWaiter {
                stream.readWaiter = nil
                reader.fail(error)
            }
        }
        for opener in streamOpeners.values.joined() { opener.fail(error) }
        streamOpeners.removeAll()
        acceptWaiter?.succeed(nil)
        acceptWaiter = nil
        datagramWaiter?.succeed(nil)
        datagramWaiter = nil
        if let owner {
            owner.ended(self)
        } else {
            channel.close(promise: nil)
        }
    }

    private func sendConnectionClose(_ conn: OpaquePointer, _ reason: ngtcp2_connection_close_error) {
        var reason = reason
        var packet = channel.allocator.buffer(capacity: Self.packetCapacity)
        let written = packet.withUnsafeMutableWritableBytes { bytes in
            CNgtcp2_conn_write_connection_close(conn, nil, nil, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                                bytes.count, &reason, Self.now())
        }
        guard written > 0 else { return }
        packet.moveWriterIndex(forwardBy: written)
        channel.writeAndFlush(AddressedEnvelope(remoteAddress: remote, data: packet), promise: nil)
    }
}
