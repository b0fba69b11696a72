import Hysteria
import NIOCore
import TestSupport
import WireFormat

/// Bytes from hex text; anything but hex digits (spaces, `|`) is ignored.
func hexBytes(_ text: String) -> [UInt8] {
    let digits = Array(text.filter(\.isHexDigit))
    return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16) ?? 0 }
}

func hexString(_ bytes: some Sequence<UInt8>) -> String {
    bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
}

extension ByteBuffer {
    var bytes: [UInt8] { Array(readableBytesView) }
}

/// Piece sizes that add up to `total`: random, often tiny, sometimes empty.
func randomPieces(total: Int, using rng: inout SplitMix64) -> [Int] {
    var pieces: [Int] = []
    var left = total
    while left > 0 {
        let piece = Int.random(in: 0...min(left, Int.random(in: 1...64, using: &rng)), using: &rng)
        pieces.append(piece)
        left -= piece
    }
    return pieces
}

/// What feeding a decoder piece by piece gave: the value, the bytes left after it once everything
/// was fed, and whether the decoder ever consumed input while saying it needed more.
struct FeedOutcome<Value> {
    var value: Value?
    var rest: [UInt8]
    var consumedWhileWaiting = false
}

/// Appends `bytes` to a buffer in `pieces`, calling `decode` after each until it yields a value.
func feed<Value>(
    _ bytes: [UInt8], pieces: [Int],
    decode: (inout ByteBuffer) throws(HysteriaWireError) -> WireReading<Value>
) throws(HysteriaWireError) -> FeedOutcome<Value> {
    var buffer = ByteBuffer()
    var outcome = FeedOutcome<Value>(value: nil, rest: [])
    var offset = 0
    for piece in pieces + [bytes.count] {
        let end = min(offset + piece, bytes.count)
        buffer.writeBytes(bytes[offset..<end])
        offset = end
        guard outcome.value == nil else { continue }
        let before = buffer.readableBytes
        switch try decode(&buffer) {
        case .value(let value): outcome.value = value
        case .needMoreBytes: if buffer.readableBytes != before { outcome.consumedWhileWaiting = true }
        }
    }
    outcome.rest = buffer.bytes
    return outcome
}

/// A varint in its shortest form, for hand-built messages.
func varint(_ value: UInt64) -> [UInt8] {
    var buffer = ByteBuffer()
    _ = try? QUICVarint.write(value, to: &buffer)
    return buffer.bytes
}
