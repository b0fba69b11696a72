#if canImport(Glibc)
import Glibc
#endif

/// Stops the process when an invariant of the code under test does not hold: libFuzzer treats
/// the abort as a crash and keeps the input that caused it.
func require(
    _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
    file: StaticString = #fileID, line: UInt = #line
) {
    guard !condition() else { return }
    FileOutput.standardError("invariant failed at \(file):\(line): \(message())\n")
    abort()
}

/// The first characters of a value's description, for failure messages.
func clip(_ value: Any, to length: Int = 300) -> String {
    let text = String(describing: value)
    return text.count <= length ? text : String(text.prefix(length)) + "…"
}
