import Addressing
import Hysteria
import NIOCore
import Routing

/// Hysteria 2 UDP (spec §1.4): `UDPMessage(decoding:)` on raw datagrams, and `UDPReassembler` fed
/// sequences of fragments, checked against a model of the rules it documents.
///
/// Input: a mode byte; mode 0 is one raw datagram, mode 1 a script of fragments, mode 2 a message
/// to fragment and deliver in an order (and with losses and repeats) the input chooses.
enum HysteriaUDPHarness: FuzzHarness {
    static let name = "hysteria-udp"
    static let summary = "Hysteria 2 UDPMessage decode/encode inverse; UDPReassembler against a model, and fragmenter to reassembler"

    static func run(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        switch input.byte() % 3 {
        case 0: datagram(input.rest())
        case 1: reassembly(&input)
        default: fragmentation(&input)
        }
    }

    private static func datagram(_ bytes: [UInt8]) {
        guard let message = try? UDPMessage(decoding: ByteBuffer(bytes: bytes)) else { return }
        require(message.payload.readableBytes > 0, "a message with an empty payload decoded")
        var encoded = ByteBuffer()
        do {
            try message.encode(into: &encoded)
        } catch {
            require(false, "a decoded message does not encode: \(error)")
        }
        require(encoded.readableBytes == message.encodedLength, "encodedLength is not what encode writes")
        require((try? UDPMessage(decoding: encoded)) == message, "a decoded message does not survive encode and decode")
    }

    /// Fragments chosen by the input, fed to a reassembler and to a model with a memory cap.
    private static func reassembly(_ input: inout FuzzInput) {
        let cap = input.bool() ? input.int(in: 0...600) : UDPReassembler.defaultMaximumBufferedBytes
        var reassembler = UDPReassembler(maximumBufferedBytes: cap)
        var model = ReassemblyModel(cap: cap)
        let address = Target(host: .domain("fuzz.test"), port: 53)
        while !input.isAtEnd {
            let count = input.byte() % 6
            let message = UDPMessage(
                sessionID: 1, packetID: UInt16(input.byte() % 3), fragmentID: input.byte() % 6, fragmentCount: count,
                address: address, payload: ByteBuffer(bytes: input.bytes(count: input.int(in: 0...80))))
            let expected = model.add(message)
            let actual = reassembler.add(message)
            require(actual.map { Array(buffer: $0.payload) } == expected,
                    "fragment \(message.fragmentID)/\(message.fragmentCount) of packet \(message.packetID): got \(clip(actual as Any)), model says \(clip(expected as Any))")
            if let actual {
                require(count == 1 || (actual.fragmentCount == 1 && actual.fragmentID == 0 && actual.packetID == 0),
                        "a whole message keeps fragment fields \(actual.packetID)/\(actual.fragmentID)/\(actual.fragmentCount)")
            }
            require(reassembler.pendingBytes == model.buffered && reassembler.pendingBytes <= max(cap, 0),
                    "\(reassembler.pendingBytes) bytes pending, model \(model.buffered), cap \(cap)")
        }
    }

    /// A message split by the fragmenter comes back whole from fragments in any order, once.
    private static func fragmentation(_ input: inout FuzzInput) {
        let target = FuzzTargets.target(from: &input, allowsPortZero: false)
        let payload = input.bytes(upTo: 255) + Array(repeating: 0x5A, count: input.int(in: 0...6000))
        let limit = input.int(in: 0...1500)
        var rng = FuzzRandom(seed: input.integer(UInt64.self))
        let message = UDPMessage(sessionID: input.integer(UInt32.self), address: target, payload: ByteBuffer(bytes: payload))
        let fragments: [UDPMessage]
        do {
            fragments = try UDPFragmenter.fragment(message, maximumDatagramSize: limit, using: &rng)
        } catch {
            require(payload.isEmpty || message.headerLength >= limit || (payload.count + limit - message.headerLength - 1)
                    / max(1, limit - message.headerLength) > 255, "fragmenting failed without cause: \(error)")
            return
        }
        for fragment in fragments {
            var datagram = ByteBuffer()
            require((try? fragment.encode(into: &datagram)) != nil && datagram.readableBytes <= limit,
                    "fragment of \(datagram.readableBytes) bytes over the limit \(limit)")
            require((try? UDPMessage(decoding: datagram)) == fragment, "fragment \(clip(fragment)) does not decode to itself")
        }
        // Delivery: a permutation, with repeats and losses chosen by the input.
        var order = Array(fragments.indices)
        for index in order.indices.reversed() { order.swapAt(index, input.int(in: 0...index)) }
        let lose = input.bool() && fragments.count > 1 ? input.int(in: 0...(fragments.count - 1)) : nil
        var reassembler = UDPReassembler()
        var delivered: [UDPMessage] = []
        for index in order where index != lose {
            if let whole = reassembler.add(fragments[index]) { delivered.append(whole) }
            // A repeated fragment is ignored (a whole message, sent again, is a new datagram).
            if fragments.count > 1, input.bool(), let again = reassembler.add(fragments[index]) { delivered.append(again) }
        }
        if lose == nil {
            require(delivered.count == 1 && delivered.first.map { Array(buffer: $0.payload) } == payload
                    && delivered.first?.address == target,
                    "\(fragments.count) fragments reassembled into \(delivered.count) messages")
        } else {
            require(delivered.isEmpty, "a packet missing a fragment was delivered")
        }
    }

    static var seeds: [(label: String, bytes: [UInt8])] {
        [
            ("datagram", [0, 0, 0, 0, 9, 0, 0, 0, 1, 0x0E] + Array("1.1.1.1:53".utf8).prefix(14) + Array("query".utf8)),
            ("reassembly", [1, 0, 3, 1, 0, 5, 104, 101, 108, 108, 111, 3, 1, 2, 3, 119, 111, 114, 3, 1, 1, 2, 108, 100]),
            ("fragmentation", [2, 0x35, 0, 2, 9] + Array("a.example".utf8) + [10] + Array("0123456789".utf8) + [0x10, 0x27, 0, 0, 200, 0]
                + Array(repeating: 1, count: 8) + [7, 0, 0, 0, 3, 2, 1, 0, 1, 1, 0]),
        ]
    }
}

/// What `UDPReassembler` promises, kept simply: one packet in assembly (a fragment of another
/// packet id or count starts over), duplicates and invalid fragments ignored, a fragment that
/// would pass the cap drops the partial packet, and a whole packet joins payloads in id order.
private struct ReassemblyModel {
    let cap: Int
    var packet: (id: UInt16, count: Int)?
    var pieces: [Int: [UInt8]] = [:]

    var buffered: Int { pieces.values.reduce(0) { $0 + $1.count } }

    mutating func add(_ message: UDPMessage) -> [UInt8]? {
        let count = Int(message.fragmentCount)
        let payload = Array(buffer: message.payload)
        if count == 1 { return payload }
        guard count > 1, Int(message.fragmentID) < count else { return nil }
        if packet?.id != message.packetID || packet?.count != count {
            packet = (message.packetID, count)
            pieces = [:]
        }
        guard pieces[Int(message.fragmentID)] == nil else { return nil }
        guard payload.count <= cap - buffered else {
            packet = nil
            pieces = [:]
            return nil
        }
        pieces[Int(message.fragmentID)] = payload
        guard pieces.count == count else { return nil }
        let whole = (0..<count).flatMap { pieces[$0] ?? [] }
        packet = nil
        pieces = [:]
        return whole
    }
}
