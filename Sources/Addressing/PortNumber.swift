/// Parsing of TCP/UDP port numbers.
public enum PortNumber {
    /// The accepted range of a port to bind or dial.
    public static let validRange = 1...65535

    /// A decimal port from 1 to 65535 with no sign or spaces; `nil` otherwise.
    public static func parse(_ text: some StringProtocol) -> Int? {
        guard !text.isEmpty, text.count <= 5, text.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(text),
              validRange.contains(value)
        else { return nil }
        return value
    }
}
