package import WireFormat
import Foundation
package import NIOCore
package import Addressing

/// The server's view of a request stream, one unit at a time: salt and first sealed header
/// (trying every user's key), then the target address, then plain chunks.
package struct ShadowsocksRequestMachine: ShadowsocksUnitDecoder {
    private enum State {
        /// Salt plus the first sealed unit: a length (classic) or the fixed header (2022).
        case salt
        /// Classic: payload chunks until the SOCKS address at their front is complete.
        case classicAddress(ShadowsocksChunkReader)
        /// 2022: the sealed variable-length header.
        case variableHeader(ShadowsocksSessionCipher, length: Int)
        case stream(ShadowsocksChunkReader)
    }

    private let keyring: ShadowsocksKeyring
    private let replayFilter: ShadowsocksReplayFilter
    private let clock: ShadowsocksClock
    private var state = State.salt
    private var userIndex = 0
    private var salt: [UInt8] = []
    /// Classic: plaintext gathered until it holds the whole address.
    private var addressBytes = ByteBuffer()
    private(set) var request: ShadowsocksRequest?

    package init(keyring: ShadowsocksKeyring, replayFilter: ShadowsocksReplayFilter, clock: ShadowsocksClock) {
        self.keyring = keyring
        self.replayFilter = replayFilter
        self.clock = clock
    }

    private var firstUnitLength: Int {
        keyring.method.is2022 ? ShadowsocksWire.requestFixedHeaderLength : ShadowsocksWire.lengthFieldLength
    }

    package var unitLength: Int {
        switch state {
        case .salt: keyring.keyLength + firstUnitLength + ShadowsocksWire.tagLength
        case .classicAddress(let reader), .stream(let reader): reader.unitLength
        case .variableHeader(_, let length): length + ShadowsocksWire.tagLength
        }
    }

    package mutating func step(_ unit: inout ByteBuffer, into output: inout ByteBuffer) throws(ShadowsocksError) {
        switch state {
        case .salt:
            try identify(&unit)
        case .classicAddress(var reader):
            try reader.step(&unit, into: &addressBytes)
            state = .classicAddress(reader)
            if let target = try SOCKSAddress.read(from: &addressBytes).target(headerIsComplete: false) {
                request = ShadowsocksRequest(userIndex: userIndex, target: target, salt: salt)
                output.writeBuffer(&addressBytes)
                addressBytes = ByteBuffer()
                state = .stream(reader)
            }
        case .variableHeader(var cipher, let length):
            var header = try cipher.open(from: &unit, length: length + ShadowsocksWire.tagLength)
            try readVariableHeader(&header)
            output.writeBuffer(&header)
            state = .stream(ShadowsocksChunkReader(cipher: cipher, maximumPayload: ShadowsocksWire.maximumPayload2022))
        case .stream(var reader):
            try reader.step(&unit, into: &output)
            state = .stream(reader)
        }
    }

    /// Finds the user whose subkey opens the first sealed unit, then checks time and replay.
    private mutating func identify(_ unit: inout ByteBuffer) throws(ShadowsocksError) {
        guard let salt = unit.readBytes(length: keyring.keyLength) else { throw .truncated }
        let sealedLength = firstUnitLength + ShadowsocksWire.tagLength
        let found = unit.withUnsafeReadableBytes { bytes in
            let sealed = UnsafeRawBufferPointer(rebasing: bytes.prefix(sealedLength))
            return salt.withUnsafeBytes { saltBytes in
                keyring.firstMatch { index -> (Int, ShadowsocksSessionCipher, ByteBuffer)? in
                    let key = keyring.keys[index]
                    var plaintext = ByteBuffer()
                    guard var cipher = try? ShadowsocksSessionCipher(aead: key.aead, key: key.sessionKey(salt: saltBytes)),
                          (try? cipher.open(sealed, into: &plaintext)) != nil else { return nil }
                    return (index, cipher, plaintext)
                }
            }
        }
        unit.moveReaderIndex(forwardBy: sealedLength)
        guard let (index, cipher, plaintext) = found else { throw .authenticationFailed }
        var header = plaintext
        if keyring.method.is2022 {
            guard let type = header.readInteger(as: UInt8.self), let timestamp = header.readInteger(as: UInt64.self),
                  let length = header.readInteger(as: UInt16.self) else { throw .truncated }
            guard type == ShadowsocksWire.clientType else { throw .wrongHeaderType(type) }
            try clock.check(timestamp)
            guard length > 0 else { throw .badHeader(reason: "empty variable-length header") }
            state = .variableHeader(cipher, length: Int(length))
        } else {
            guard let length = header.readInteger(as: UInt16.self) else { throw .truncated }
            guard Int(length) <= ShadowsocksWire.classicMaximumPayload else { throw .oversizeLength(Int(length)) }
            state = .classicAddress(ShadowsocksChunkReader(
                cipher: cipher, maximumPayload: ShadowsocksWire.classicMaximumPayload, payloadLength: Int(length)
            ))
        }
        // Only an authenticated, timely salt enters the filter, so probes cannot fill it.
        guard replayFilter.insert(salt, now: clock.now) else { throw .replayed }
        userIndex = index
        self.salt = salt
    }

    /// SIP022 §3.1.3: address, padding length, padding; what is left is initial payload.
    private mutating func readVariableHeader(_ header: inout ByteBuffer) throws(ShadowsocksError) {
        guard let target = try SOCKSAddress.read(from: &header).target(headerIsComplete: true) else {
            throw .badAddress(reason: "header ends inside the address")
        }
        guard let padding = header.readInteger(as: UInt16.self) else { throw .badHeader(reason: "no padding length") }
        guard header.readableBytes >= Int(padding) else { throw .badHeader(reason: "padding runs past the header") }
        header.moveReaderIndex(forwardBy: Int(padding))
        guard padding > 0 || header.readableBytes > 0 else { throw .badHeader(reason: "neither padding nor payload") }
        request = ShadowsocksRequest(userIndex: userIndex, target: target, salt: salt)
    }
}
