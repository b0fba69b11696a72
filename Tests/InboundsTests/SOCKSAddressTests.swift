import WireFormat
import Addressing
import Inbounds
import NIOCore
import Routing
import Testing

@Suite("SOCKS address form")
struct SOCKSAddressTests {
    @Test("every target survives a write and a read, byte by byte")
    func roundTrip() throws {
        for text in ["1.2.3.4:80", "[2001:db8::1]:443", "example.com:8080"] {
            let target = try #require(Target(text))
            var buffer = ByteBuffer()
            SOCKSAddress.write(target, to: &buffer)
            #expect(buffer.readableBytes == SOCKSAddress.length(of: target))
            // Every proper prefix asks for more and leaves the buffer alone.
            for cut in 0..<buffer.readableBytes {
                var partial = buffer.getSlice(at: 0, length: cut)!
                #expect(SOCKSAddress.read(from: &partial) == .needMoreBytes)
                #expect(partial.readableBytes == cut)
            }
            #expect(SOCKSAddress.read(from: &buffer) == .target(target))
            #expect(buffer.readableBytes == 0)
        }
    }

    @Test("unknown types, empty names and control bytes are refused; port 0 is read (UDP ASSOCIATE)")
    func badInput() {
        var unknown = ByteBuffer(bytes: [9, 1, 2, 3, 4, 0, 80])
        #expect(SOCKSAddress.read(from: &unknown) == .unsupportedType(9))
        var empty = ByteBuffer(bytes: [3, 0, 0, 80])
        guard case .invalid = SOCKSAddress.read(from: &empty) else { Issue.record("empty name accepted"); return }
        var portZero = ByteBuffer(bytes: [1, 1, 2, 3, 4, 0, 0])
        guard case .target(let target) = SOCKSAddress.read(from: &portZero) else { Issue.record("port 0 refused"); return }
        #expect(target.port == 0)
        var control = ByteBuffer(bytes: [3, 3, 0x61, 0x0a, 0x62, 0, 80])
        guard case .invalid = SOCKSAddress.read(from: &control) else { Issue.record("control byte accepted"); return }
    }
}
