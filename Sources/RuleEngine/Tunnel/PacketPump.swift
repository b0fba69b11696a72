import Foundation
import LinuxNet
import Mesh
import NIOCore

/// Moves packets between a TUN device and one relay tunnel until either ends: the device is read
/// on a thread of its own (its reads block), and what it yields is queued for the tunnel's
/// writer; the tunnel is read by a task that writes each packet into the device.
enum PacketPump {
    /// Packets waiting for the tunnel; past this, the oldest wait and new ones are dropped, as a
    /// full link queue would.
    static let queueLimit = 512

    /// A queue for a device's packets, bounded by ``queueLimit``.
    static func queue() -> (AsyncStream<ByteBuffer>, AsyncStream<ByteBuffer>.Continuation) {
        AsyncStream.makeStream(of: ByteBuffer.self, bufferingPolicy: .bufferingOldest(queueLimit))
    }

    /// Sends `packets` over `tunnel` until the queue finishes or the tunnel fails, then ends it.
    static func send(_ packets: AsyncStream<ByteBuffer>, over tunnel: PacketTunnel) async {
        for await packet in packets {
            do { try await tunnel.send(packet) } catch { break }
        }
        tunnel.close()
    }

    /// Writes every packet `tunnel` delivers into `device` until the tunnel ends.
    static func receive(from tunnel: PacketTunnel, into device: TunDevice) async {
        while let packet = try? await tunnel.receive() {
            device.write(Array(packet.readableBytesView))
        }
    }

    /// Reads `device` on a new thread and hands each packet to `deliver` until the device closes.
    static func readDevice(_ device: TunDevice, name: String, deliver: @escaping @Sendable ([UInt8]) -> Void) {
        let thread = Thread {
            while let packet = device.read() { deliver(packet) }
        }
        thread.name = name
        thread.start()
    }
}

/// The destination address of a raw IP packet; `nil` for anything but a whole IPv4 or IPv6
/// header.
enum PacketHeader {
    static func destination(of packet: [UInt8]) -> [UInt8]? {
        guard let first = packet.first else { return nil }
        switch first >> 4 {
        case 4 where packet.count >= 20: return Array(packet[16..<20])
        case 6 where packet.count >= 40: return Array(packet[24..<40])
        default: return nil
        }
    }
}
