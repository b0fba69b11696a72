/// The lines that differ between two texts of the same length in lines.
func changedLines(_ a: String, _ b: String) -> [String] {
    let x = a.split(separator: "\n", omittingEmptySubsequences: false), y = b.split(separator: "\n", omittingEmptySubsequences: false)
    guard x.count == y.count else { return ["line count \(x.count) -> \(y.count)"] }
    return zip(x, y).filter { $0 != $1 }.map { "\($0.0) -> \($0.1)" }
}

/// Lines of `b` that are not in `a`, and lines of `a` not in `b` (prefixed `-`).
func addedAndRemovedLines(_ a: String, _ b: String) -> [String] {
    let x = a.split(separator: "\n").map(String.init), y = b.split(separator: "\n").map(String.init)
    return y.filter { !x.contains($0) }.map { "+" + $0 } + x.filter { !y.contains($0) }.map { "-" + $0 }
}
