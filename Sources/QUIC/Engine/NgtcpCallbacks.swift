import CNgtcp2

/// The ngtcp2 callback tables of client and server connections.
///
/// ngtcp2 calls these synchronously from `read_pkt`, `writev_*` and `handle_expiry`, on the
/// connection's event loop. C function pointers cannot capture, so each Swift callback finds its
/// ``NgtcpConnection`` through `user_data` (spec §4.3) and only records state; promises are
/// completed after the C call returns.
enum NgtcpCallbacks {
    static func client() -> ngtcp2_callbacks {
        var callbacks = common()
        callbacks.client_initial = ngtcp2_crypto_client_initial_cb
        callbacks.recv_retry = ngtcp2_crypto_recv_retry_cb
        return callbacks
    }

    static func server() -> ngtcp2_callbacks {
        var callbacks = common()
        callbacks.recv_client_initial = ngtcp2_crypto_recv_client_initial_cb
        callbacks.remove_connection_id = { _, cid, userData in
            guard let cid else { return NGTCP2_ERR_CALLBACK_FAILURE }
            return NgtcpCallbacks.with(userData) { $0.retireConnectionID(ConnectionID(cid.pointee)) }
        }
        return callbacks
    }

    private static func common() -> ngtcp2_callbacks {
        var callbacks = ngtcp2_callbacks()
        callbacks.recv_crypto_data = ngtcp2_crypto_recv_crypto_data_cb
        callbacks.encrypt = ngtcp2_crypto_encrypt_cb
        callbacks.decrypt = ngtcp2_crypto_decrypt_cb
        callbacks.hp_mask = ngtcp2_crypto_hp_mask_cb
        callbacks.update_key = ngtcp2_crypto_update_key_cb
        callbacks.delete_crypto_aead_ctx = ngtcp2_crypto_delete_crypto_aead_ctx_cb
        callbacks.delete_crypto_cipher_ctx = ngtcp2_crypto_delete_crypto_cipher_ctx_cb
        callbacks.get_path_challenge_data = ngtcp2_crypto_get_path_challenge_data_cb
        callbacks.version_negotiation = ngtcp2_crypto_version_negotiation_cb
        callbacks.rand = { destination, length, _ in
            guard let destination else { return }
            NgtcpCallbacks.fillRandom(UnsafeMutableBufferPointer(start: destination, count: length))
        }
        callbacks.get_new_connection_id = { _, cid, token, length, userData in
            guard let cid, let token else { return NGTCP2_ERR_CALLBACK_FAILURE }
            return NgtcpCallbacks.with(userData) {
                let id = ConnectionID.random(length: length)
                cid.pointee = id.cid
                let reset = $0.issueConnectionID(id)
                UnsafeMutableRawPointer(token).copyMemory(from: reset, byteCount: Int(NGTCP2_STATELESS_RESET_TOKENLEN))
            }
        }
        callbacks.handshake_completed = { _, userData in
            NgtcpCallbacks.with(userData) { $0.handshakeCompleted() }
        }
        callbacks.stream_open = { _, streamID, userData in
            NgtcpCallbacks.with(userData) { $0.remoteStreamOpened(streamID) }
        }
        callbacks.recv_stream_data = { _, flags, streamID, _, data, length, userData, _ in
            NgtcpCallbacks.with(userData) {
                let bytes = UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : length)
                $0.received(bytes, stream: streamID, finish: flags & NGTCP2_STREAM_DATA_FLAG_FIN != 0)
            }
        }
        callbacks.acked_stream_data_offset = { _, streamID, offset, length, userData, _ in
            NgtcpCallbacks.with(userData) { $0.acknowledged(stream: streamID, upTo: offset + length) }
        }
        callbacks.stream_reset = { _, streamID, _, errorCode, userData, _ in
            NgtcpCallbacks.with(userData) { $0.streamReset(streamID, errorCode: errorCode) }
        }
        callbacks.stream_close = { _, flags, streamID, errorCode, userData, _ in
            let code = flags & NGTCP2_STREAM_CLOSE_FLAG_APP_ERROR_CODE_SET != 0 ? errorCode : nil
            return NgtcpCallbacks.with(userData) { $0.streamClosed(streamID, errorCode: code) }
        }
        callbacks.recv_datagram = { _, _, data, length, userData in
            NgtcpCallbacks.with(userData) { $0.receivedDatagram(UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : length)) }
        }
        return callbacks
    }

    /// Runs `body` with the connection behind `userData`; 0 for ngtcp2, or a callback failure.
    private static func with(_ userData: UnsafeMutableRawPointer?, _ body: (NgtcpConnection) -> Void) -> Int32 {
        guard let userData else { return NGTCP2_ERR_CALLBACK_FAILURE }
        body(Unmanaged<NgtcpConnection>.fromOpaque(userData).takeUnretainedValue())
        return 0
    }

    static func fillRandom(_ bytes: UnsafeMutableBufferPointer<UInt8>) {
        var generator = SystemRandomNumberGenerator()
        for index in bytes.indices { bytes[index] = generator.next() }
    }
}
