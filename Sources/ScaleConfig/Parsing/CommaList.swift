import Addressing

/// Splitting of comma-separated config values such as `allowed_ips`.
public enum CommaList {
    /// The comma-separated items of `text`, trimmed, with empty items dropped.
    public static func split(_ text: String) -> [String] {
        text.split(separator: ",").map { String($0.trimmingASCIISpaces) }.filter { !$0.isEmpty }
    }

    /// Items separated by commas or whitespace (the global `dns` key).
    public static func splitCommasOrSpaces(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
    }
}
