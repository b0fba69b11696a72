import NIOCore

/// Random padding for the auth exchange: `[A-Za-z0-9]`, length uniform in
/// ``HysteriaConstants/authPadding`` (spec §1.2), so the messages' sizes say nothing.
public enum HTTP3AuthPadding {
    /// A fresh padding string drawn from `generator`.
    public static func random(using generator: inout some RandomNumberGenerator) -> String {
        let length = Int.random(in: HysteriaConstants.authPadding, using: &generator)
        var bytes = ByteBuffer()
        HysteriaPadding.writeCharacters(count: length, to: &bytes, using: &generator)
        return String(buffer: bytes)
    }

    /// A fresh padding string.
    public static func random() -> String {
        var generator = FillerRandom()
        return random(using: &generator)
    }
}
