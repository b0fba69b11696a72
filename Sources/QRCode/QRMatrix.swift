/// The modules of one QR code symbol, without its quiet zone.
///
/// A value: it owns a copy of the modules and can be shared between tasks.
public struct QRMatrix: Sendable, Hashable {
    /// Modules per side: `17 + 4 × version`, so 21 (version 1) to 177 (version 40).
    public let size: Int
    /// The symbol version, 1 to 40 (ISO/IEC 18004 §5.3.1).
    public let version: Int
    /// Row-major, `size × size` entries; `true` is a dark module.
    private let modules: [Bool]

    /// Builds a matrix from row-major modules.
    ///
    /// - Precondition: `modules.count == size * size`; the encoder wrapper checks this.
    init(size: Int, version: Int, modules: [Bool]) {
        precondition(modules.count == size * size, "QRMatrix: \(modules.count) modules for size \(size)")
        self.size = size
        self.version = version
        self.modules = modules
    }

    /// Whether the module in column `x`, row `y` is dark. `(0, 0)` is the top-left corner.
    ///
    /// Coordinates outside `0..<size` are light, as the quiet zone around the symbol is, so
    /// callers drawing a border need no bounds checks of their own.
    public func isDark(x: Int, y: Int) -> Bool {
        guard (0..<size).contains(x), (0..<size).contains(y) else { return false }
        return modules[y * size + x]
    }
}
