package import WireFormat
package import NIOCore
package import Addressing

extension SOCKSAddress.Reading {
    /// The target, or the error a Shadowsocks header with these bytes gets. `needMoreBytes` is
    /// `nil` where more bytes may still come, and an error where the header is complete.
    package func target(headerIsComplete: Bool) throws(ShadowsocksError) -> Target? {
        switch self {
        case .target(let target): return target
        case .needMoreBytes:
            guard !headerIsComplete else { throw .badAddress(reason: "header ends inside the address") }
            return nil
        case .invalid(let reason): throw .badAddress(reason: reason)
        case .unsupportedType(let type): throw .badAddress(reason: "unknown address type \(type)")
        }
    }
}
