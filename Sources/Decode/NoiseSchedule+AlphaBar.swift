#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension NoiseSchedule {
    /// ᾱ at diffusion time `t` ∈ [0, 1]: 1 is clean, ≈0 is pure noise.
    func alphaBar(_ t: Double) -> Double {
        let t = min(max(t, 0), 1)
        switch self {
        case .cosine:
            // Nichol & Dhariwal (2021), offset s = 0.008.
            let s = 0.008
            let f = { (t: Double) -> Double in
                let c = cos((t + s) / (1 + s) * Double.pi / 2)
                return c * c
            }
            return f(t) / f(0)
        case .scaledLinear:
            // Stable Diffusion's 1000-step table, interpolated in log ᾱ so fractional t works.
            let table = NoiseSchedule.scaledLinearLogAlphaBar
            let position = t * Double(table.count - 1)
            let i = min(Int(position), table.count - 2)
            let f = position - Double(i)
            return exp(table[i] * (1 - f) + table[i + 1] * f)
        }
    }

    /// log ᾱ over 1000 steps with β linear in √β from 0.00085 to 0.012; index 0 is t = 0 (ᾱ = 1).
    private static let scaledLinearLogAlphaBar: [Double] = {
        var table = [0.0]
        var logAlphaBar = 0.0
        let lo = 0.00085.squareRoot(), hi = 0.012.squareRoot()
        for i in 0..<1000 {
            let root = lo + (hi - lo) * Double(i) / 999
            logAlphaBar += log(1 - root * root)
            table.append(logAlphaBar)
        }
        return table
    }()
}
