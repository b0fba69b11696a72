import YAMLDocument

/// Helpers the YAML and config harnesses share.
enum YAMLFuzzing {
    /// Value equality where NaN equals NaN (the emitter writes `.nan`, which reads back as a NaN
    /// that `==` would call different).
    static func same(_ a: YAMLValue, _ b: YAMLValue) -> Bool {
        switch (a, b) {
        case (.double(let x), .double(let y)):
            return x == y || (x.isNaN && y.isNaN)
        case (.sequence(let xs), .sequence(let ys)):
            return xs.count == ys.count && zip(xs, ys).allSatisfy { same($0, $1) }
        case (.mapping(let xs), .mapping(let ys)):
            return xs.count == ys.count && zip(xs, ys).allSatisfy { $0.key == $1.key && same($0.value, $1.value) }
        default:
            return a == b
        }
    }

    /// Every node's path, parents before children, with the node.
    static func paths(of root: YAMLNode?) -> [(path: YAMLPath, node: YAMLNode)] {
        guard let root else { return [] }
        var out: [(YAMLPath, YAMLNode)] = []
        var stack: [(YAMLPath, YAMLNode)] = [(.root, root)]
        while let (path, node) = stack.popLast() {
            out.append((path, node))
            switch node.content {
            case .mapping(let entries):
                for entry in entries.reversed() { stack.append((path.appending(key: entry.name), entry.value)) }
            case .sequence(let items):
                for (index, item) in items.enumerated().reversed() { stack.append((path.appending(index: index), item)) }
            case .scalar:
                break
            }
        }
        return out
    }

    /// Lines and columns of a text (1-based, columns in Unicode scalars), with the line breaks
    /// libyaml counts: `\n`, `\r\n`, `\r`, NEL, LS and PS.
    struct LineTable {
        let bytes: [UInt8]
        /// Offset of the first byte of every line.
        private let starts: [Int]

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
            var starts = [0]
            var index = 0
            while index < bytes.count {
                let length = YAMLFuzzing.breakLength(in: bytes, at: index)
                index += max(length, 1)
                if length > 0 { starts.append(index) }
            }
            self.starts = starts
        }

        func lineAndColumn(of offset: Int) -> (line: Int, column: Int) {
            var low = 0, high = starts.count - 1
            while low < high {
                let middle = (low + high + 1) / 2
                if starts[middle] <= offset { low = middle } else { high = middle - 1 }
            }
            var column = 1
            for index in starts[low]..<min(offset, bytes.count) where bytes[index] & 0xC0 != 0x80 { column += 1 }
            return (low + 1, column)
        }
    }

    /// Whether `bytes` hold a line break as libyaml counts them.
    static func containsBreak(_ bytes: [UInt8]) -> Bool {
        bytes.indices.contains { breakLength(in: bytes, at: $0) > 0 }
    }

    fileprivate static func breakLength(in bytes: [UInt8], at index: Int) -> Int {
        let rest = bytes[index...]
        if rest.starts(with: [0x0D, 0x0A]) { return 2 }
        if rest.first == 0x0A || rest.first == 0x0D { return 1 }
        if rest.starts(with: [0xC2, 0x85]) { return 2 }
        if rest.starts(with: [0xE2, 0x80, 0xA8]) || rest.starts(with: [0xE2, 0x80, 0xA9]) { return 3 }
        return 0
    }

    /// Strings that stress quoting: YAML words, numbers, indicators, escapes, odd whitespace.
    static let awkwardStrings = [
        "", " ", "a", "true", "yes", "no", "~", "null", "0x1F", "1_000", "10:30", ".5", "-1", "1e3", ".nan", "-",
        "- a", "---", "...", "a: b", "a #b", "#", "'", "\"", "\\", "[a]", "{a: 1}", "*x", "&x", "!x", "|", ">",
        "%", "@", "`", "a\nb", "\t", "x\r\ny", "\u{85}", "\u{2028}", "\u{FEFF}x", "é", "日本", "\u{0}", "a\u{7F}",
        "key:", "? a", ": a", "a,b", "a]", "0o17", "+.inf", "1.2.3.4", "10.0.0.1/24", "example.com:443",
    ]

    /// A value chosen by the input: scalars (awkward strings, arbitrary text, numbers) and small
    /// collections, at most `depth` levels deep.
    static func value(from input: inout FuzzInput, depth: Int = 3) -> YAMLValue {
        switch input.byte() % (depth > 0 ? 9 : 6) {
        case 0: return .null
        case 1: return .bool(input.bool())
        case 2: return .int(input.integer(Int64.self))
        case 3: return .double(Double(bitPattern: input.integer(UInt64.self)))
        case 4: return .string(input.pick(awkwardStrings))
        case 5: return .string(input.text(upTo: 24))
        case 6, 7:
            var pairs: [YAMLValue.Pair] = []
            for _ in 0..<input.int(in: 0...3) {
                let pair = YAMLValue.Pair(key(from: &input), value(from: &input, depth: depth - 1))
                if !pairs.contains(where: { $0.key == pair.key }) { pairs.append(pair) }
            }
            return .mapping(pairs)
        default:
            var items: [YAMLValue] = []
            for _ in 0..<input.int(in: 0...3) { items.append(value(from: &input, depth: depth - 1)) }
            return .sequence(items)
        }
    }

    /// A mapping key: a plain word, an awkward string or arbitrary text.
    static func key(from input: inout FuzzInput) -> String {
        switch input.byte() % 3 {
        case 0: return "k\(input.byte() % 8)"
        case 1: return input.pick(awkwardStrings)
        default: return input.text(upTo: 12)
        }
    }
}
