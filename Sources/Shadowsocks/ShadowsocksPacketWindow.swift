/// Sliding-window replay check for SIP022 UDP packet ids (§3.2.4), in the style of RFC 6479:
/// a ring of bitmap words, so moving the window clears words instead of shifting bits. Ids
/// more than `size` behind the highest seen are refused, as is any id seen before.
public struct ShadowsocksPacketWindow: Sendable {
    private static let wordCount = 8
    /// How far behind the highest id a late packet may still arrive.
    public static let size = UInt64((wordCount - 1) * 64)

    private var bitmap = SIMD8<UInt64>()
    private var highest: UInt64 = 0
    private var started = false

    public init() {}

    /// Whether `id` would be accepted, without recording it (SIP022 allows this check before
    /// the packet is validated, but the window may only move after).
    public func allows(_ id: UInt64) -> Bool {
        guard started, id <= highest else { return true }
        guard highest - id < Self.size else { return false }
        return bitmap[Self.word(id)] & Self.bit(id) == 0
    }

    /// Records `id`; `false` (and nothing recorded) for a duplicate or a too-old id.
    public mutating func accept(_ id: UInt64) -> Bool {
        guard allows(id) else { return false }
        if !started {
            started = true
            highest = id
        } else if id > highest {
            // Clear the words the window slides over (all of them after a long jump).
            let currentWord = highest / 64
            let advance = min(id / 64 - currentWord, UInt64(Self.wordCount))
            var step: UInt64 = 1
            while step <= advance {
                bitmap[Int((currentWord + step) % UInt64(Self.wordCount))] = 0
                step += 1
            }
            highest = id
        }
        bitmap[Self.word(id)] |= Self.bit(id)
        return true
    }

    private static func word(_ id: UInt64) -> Int { Int((id / 64) % UInt64(wordCount)) }
    private static func bit(_ id: UInt64) -> UInt64 { 1 << (id % 64) }
}
