extension StringProtocol {
    /// The text without leading and trailing ASCII spaces and tabs.
    package var trimmingASCIISpaces: Substring {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return s
    }

    /// Whether the text contains whitespace or a control character.
    package var containsWhitespaceOrControl: Bool {
        unicodeScalars.contains { $0.properties.isWhitespace || $0.properties.generalCategory == .control }
    }

    /// Whether the text contains a control character.
    package var containsControl: Bool {
        unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
}
