/// A user's expiry instant parsed from `YYYY-MM-DD` or an RFC 3339 date-time, without Foundation.
public struct ExpiryDate: Hashable, Sendable, Comparable {
    /// Seconds since 1970-01-01T00:00:00Z.
    public let secondsSinceEpoch: Int64

    /// An instant.
    public init(secondsSinceEpoch: Int64) { self.secondsSinceEpoch = secondsSinceEpoch }

    /// The accepted forms for messages.
    public static let acceptedForm = "use RFC 3339 or YYYY-MM-DD"

    /// Orders by instant.
    public static func < (lhs: ExpiryDate, rhs: ExpiryDate) -> Bool {
        lhs.secondsSinceEpoch < rhs.secondsSinceEpoch
    }

    /// Parses `YYYY-MM-DD` (00:00 UTC of that day; v1.3 compat: reference-api §9 item 14) or
    /// RFC 3339 §5.6 `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)` (`T` may be `t` or a space;
    /// fractions are dropped; a leap second counts as the next second). `nil` for anything
    /// else, including dates that do not exist (`2025-02-30`).
    public static func parse(_ text: String) -> ExpiryDate? {
        let c = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= c.count else { return nil }
            var v = 0
            for i in range {
                guard (48...57).contains(c[i]) else { return nil }
                v = v * 10 + Int(c[i] - 48)
            }
            return v
        }
        guard c.count >= 10, c[4] == UInt8(ascii: "-"), c[7] == UInt8(ascii: "-"),
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day)
        else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        if c.count == 10 { return ExpiryDate(secondsSinceEpoch: Int64(days) * 86400) }

        guard c.count >= 20, [UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")].contains(c[10]),
              c[13] == UInt8(ascii: ":"), c[16] == UInt8(ascii: ":"),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              hour <= 23, minute <= 59, second <= 60
        else { return nil }
        var i = 19
        if c[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < c.count, (48...57).contains(c[i]) { i += 1 }
            guard i > start, i < c.count else { return nil }
        }
        var offset = 0
        switch c[i] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard i + 1 == c.count else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard i + 6 == c.count, c[i + 3] == UInt8(ascii: ":"),
                  let oh = number((i + 1)..<(i + 3)), let om = number((i + 4)..<(i + 6)), oh <= 23, om <= 59
            else { return nil }
            offset = (oh * 3600 + om * 60) * (c[i] == UInt8(ascii: "-") ? -1 : 1)
        default:
            return nil
        }
        let seconds = Int64(days) * 86400 + Int64(hour * 3600 + minute * 60 + second - offset)
        return ExpiryDate(secondsSinceEpoch: seconds)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-compatible
    /// low-level date algorithms", days_from_civil).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146097 + dayOfEra - 719468
    }
}
