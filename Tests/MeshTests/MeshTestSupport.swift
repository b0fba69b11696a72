import MeshWire
import Mesh
import NIOCore
import TestSupport
import WireFormat

/// Bytes from hex text; anything but hex digits (spaces, `|`) is ignored.
func hexBytes(_ text: String) -> [UInt8] {
    let digits = Array(text.filter(\.isHexDigit))
    return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16) ?? 0 }
}

extension ByteBuffer {
    var bytes: [UInt8] { Array(readableBytesView) }
}

/// Feeds `bytes` one at a time: every proper prefix must ask for more without consuming, and
/// the whole must decode with nothing left over.
func dripFeed<Value>(
    _ bytes: [UInt8], decode: (inout ByteBuffer) throws(MeshWireError) -> WireReading<Value>
) throws(MeshWireError) -> (value: Value?, prefixesWaited: Bool, rest: Int) {
    var buffer = ByteBuffer()
    var prefixesWaited = true
    for byte in bytes.dropLast() {
        buffer.writeInteger(byte)
        let before = buffer.readerIndex
        if try !decode(&buffer).isNeedMoreBytes || buffer.readerIndex != before { prefixesWaited = false }
    }
    buffer.writeBytes(bytes.suffix(1))
    let value = try decode(&buffer).value
    return (value, prefixesWaited, buffer.readableBytes)
}

extension WireReading {
    var isNeedMoreBytes: Bool {
        if case .needMoreBytes = self { return true }
        return false
    }
}

/// Random bytes from a seeded generator.
func randomBytes(count: Int, using rng: inout SplitMix64) -> [UInt8] {
    (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
}
