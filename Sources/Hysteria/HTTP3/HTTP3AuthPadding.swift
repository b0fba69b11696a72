/// Random padding for the auth exchange: `[A-Za-z0-9]`, length uniform in
/// ``HysteriaConstants/authPadding`` (spec §1.2), so the messages' sizes say nothing.
public enum HTTP3AuthPadding {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)

    /// A fresh padding string drawn from `generator`.
    public static func random(using generator: inout some RandomNumberGenerator) -> String {
        let length = Int.random(in: HysteriaConstants.authPadding, using: &generator)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(length)
        for _ in 0..<length {
            bytes.append(alphabet[Int.random(in: 0..<alphabet.count, using: &generator)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A fresh padding string from the system's generator.
    public static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }
}
