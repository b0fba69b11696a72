/// Random numbers for padding, seeded once from the system: padding only blurs message sizes and
/// needs no cryptographic quality, while a system call for every ten characters showed in
/// profiles of short connections. The wyrand generator.
struct FillerRandom: RandomNumberGenerator {
    private var state: UInt64

    init() {
        var system = SystemRandomNumberGenerator()
        state = system.next()
    }

    mutating func next() -> UInt64 {
        state &+= 0xA076_1D64_78BD_642F
        let product = state.multipliedFullWidth(by: state ^ 0xE703_7ED1_A0B4_28DB)
        return product.high ^ product.low
    }
}
