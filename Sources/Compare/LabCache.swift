/// A small direct-mapped cache of pixel → L*a*b*: changed regions repeat colours (flat fills,
/// gradients, the same edge shifted), and the cube roots of the conversion are the costliest part
/// of a ΔE pass after the trigonometry.
struct LabCache {
    private static let bits = 12
    private var keys: [UInt32]
    private var values: [SIMD3<Double>]

    init() {
        // Every slot starts as the entry for pixel word 0, so no separate "empty" flag is needed.
        keys = [UInt32](repeating: 0, count: 1 << Self.bits)
        values = [SIMD3<Double>](repeating: Self.convert(0, 255, 255, 255), count: 1 << Self.bits)
    }

    /// Lab of the pixel `word` whose colour composited on white is (r, g, b).
    @inline(__always)
    mutating func lab(_ word: UInt32, _ r: Double, _ g: Double, _ b: Double) -> SIMD3<Double> {
        let slot = Int((word &* 0x9e37_79b1) >> (32 - UInt32(Self.bits)))
        if keys[slot] == word { return values[slot] }
        let value = Self.convert(word, r, g, b)
        keys[slot] = word
        values[slot] = value
        return value
    }

    /// Opaque pixels take the byte → linear table; translucent ones are already blended on white.
    private static func convert(_ word: UInt32, _ r: Double, _ g: Double, _ b: Double) -> SIMD3<Double> {
        var bytes = word.littleEndian
        let opaque = withUnsafeBytes(of: &bytes) { $0[3] == 255 }
        if opaque {
            let table = CIEDE2000.linearOfByte
            return CIEDE2000.lab(linearRed: table[Int(r)], green: table[Int(g)], blue: table[Int(b)])
        }
        return CIEDE2000.lab(linearRed: CIEDE2000.linear(r / 255), green: CIEDE2000.linear(g / 255),
                             blue: CIEDE2000.linear(b / 255))
    }
}
