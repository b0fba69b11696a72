import Hysteria
import Testing

@Suite("Hysteria constants")
struct HysteriaConstantsTests {
    @Test("the TCP request type is a two-byte varint and padding ranges stay under the receive limit")
    func constants() {
        #expect(HysteriaConstants.tcpRequestType >= 64 && HysteriaConstants.tcpRequestType < 16384)
        for range in [HysteriaConstants.authPadding, HysteriaConstants.tcpRequestPadding, HysteriaConstants.tcpResponsePadding] {
            #expect(range.upperBound <= HysteriaConstants.maximumPaddingLength)
        }
    }
}
