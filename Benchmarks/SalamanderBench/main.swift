import Hysteria
import NIOCore

// Salamander's per-datagram cost: obfuscating a 1,200-byte QUIC packet (a BLAKE2b-256 key
// derivation and the XOR). swift build -c release --product salamander-bench &&
// .build/release/salamander-bench

let packetLength = 1200
let packetsPerRun = 1_000_000
let runs = 7

let salamander = try Salamander(password: "benchmark password")
var packet = ByteBuffer()
packet.writeBytes((0..<packetLength).map { UInt8(truncatingIfNeeded: $0) })
var datagram = ByteBuffer()
datagram.reserveCapacity(Salamander.saltLength + packetLength)

var checksum: UInt64 = 0
var nanoseconds: [Double] = []
let clock = ContinuousClock()
for _ in 0..<runs {
    let elapsed = clock.measure {
        for index in 0..<packetsPerRun {
            datagram.clear()
            salamander.obfuscate(packet, into: &datagram, salt: UInt64(index))
            checksum &+= UInt64(datagram.getInteger(at: datagram.readerIndex + Salamander.saltLength, as: UInt8.self) ?? 0)
        }
    }
    let (seconds, attoseconds) = elapsed.components
    nanoseconds.append((Double(seconds) * 1e9 + Double(attoseconds) / 1e9) / Double(packetsPerRun))
}
nanoseconds.sort()
let median = nanoseconds[runs / 2]
let megabytesPerSecond = Double(packetLength) / median * 1e9 / 1e6
func tenths(_ value: Double) -> Double { (value * 10).rounded() / 10 }
print("salamander obfuscate, \(packetLength)-byte packets: median \(tenths(median)) ns/packet "
    + "(best \(tenths(nanoseconds[0])), worst \(tenths(nanoseconds[runs - 1]))), "
    + "\(Int(megabytesPerSecond)) MB/s over \(runs) runs of \(packetsPerRun) [checksum \(checksum % 251)]")
