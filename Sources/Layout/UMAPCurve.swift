import Foundation

/// The low-dimensional similarity 1 / (1 + a·d^(2b)), with a and b fitted by least squares to the
/// curve that is 1 up to `minDist` and exp(−(d − minDist)/spread) beyond (umap-learn's `find_ab_params`).
struct UMAPCurve: Sendable, Equatable {
    var a: Double
    var b: Double

    init(a: Double, b: Double) {
        self.a = a
        self.b = b
    }

    /// Levenberg–Marquardt from (1, 1) on 300 samples over [0, 3·spread], as scipy's `curve_fit`.
    init(minDist: Double, spread: Double) {
        let xs = (0..<300).map { 3 * spread * Double($0) / 299 }
        let ys = xs.map { $0 < minDist ? 1 : exp(-($0 - minDist) / spread) }
        func residuals(_ a: Double, _ b: Double) -> Double {
            zip(xs, ys).reduce(0) { sum, p in
                let r = 1 / (1 + a * pow(p.0, 2 * b)) - p.1
                return sum + r * r
            }
        }
        var a = 1.0, b = 1.0, lambda = 1e-3
        var cost = residuals(a, b)
        for _ in 0..<500 {
            // Normal equations JᵀJ δ = −Jᵀr for the two parameters.
            var jaa = 0.0, jab = 0.0, jbb = 0.0, ga = 0.0, gb = 0.0
            for (x, y) in zip(xs, ys) where x > 0 {
                let u = pow(x, 2 * b)
                let denominator = 1 + a * u
                let f = 1 / denominator
                let da = -u * f * f
                let db = -a * u * 2 * log(x) * f * f
                let r = f - y
                jaa += da * da
                jab += da * db
                jbb += db * db
                ga += da * r
                gb += db * r
            }
            var improved = false
            while lambda < 1e12 {
                let maa = jaa * (1 + lambda), mbb = jbb * (1 + lambda)
                let determinant = maa * mbb - jab * jab
                let stepA = (-ga * mbb + gb * jab) / determinant
                let stepB = (-gb * maa + ga * jab) / determinant
                let candidate = residuals(a + stepA, b + stepB)
                if candidate.isFinite, candidate < cost, a + stepA > 0, b + stepB > 0 {
                    a += stepA
                    b += stepB
                    improved = cost - candidate > 1e-15 * cost
                    cost = candidate
                    lambda = max(lambda / 10, 1e-12)
                    break
                }
                lambda *= 10
            }
            if !improved { break }
        }
        self.a = a
        self.b = b
    }
}
