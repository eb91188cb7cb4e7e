#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Counter-based random numbers: the value at (seed, stream, index) is a pure function of the three,
/// so any thread, tile or order of evaluation sees the same noise.
public struct CounterRandom: Sendable, Hashable {
    public let key: UInt64

    @inlinable
    public init(seed: UInt64, stream: UInt64 = 0) {
        key = StableHash.combine(StableHash.mix(seed), stream)
    }

    /// 64 random bits at `index`.
    @inlinable
    public func bits(_ index: UInt64) -> UInt64 {
        StableHash.mix(key ^ StableHash.mix(index &+ 0x2545_f491_4f6c_dd1d))
    }

    /// Uniform in [0, 1).
    @inlinable
    public func uniform(_ index: UInt64) -> Double {
        Double(bits(index) >> 11) * 0x1.0p-53
    }

    /// Standard normal at `index` (Box–Muller over two derived counters).
    @inlinable
    public func gaussian(_ index: UInt64) -> Double {
        let u1 = max(uniform(index &* 2), 0x1.0p-53)
        let u2 = uniform(index &* 2 &+ 1)
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// A new independent generator derived from this one.
    @inlinable
    public func derived(_ stream: UInt64) -> CounterRandom {
        CounterRandom(seed: key, stream: stream)
    }
}

/// A sequential generator over a counter stream, for code that just wants "the next number".
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    public let source: CounterRandom
    public private(set) var counter: UInt64 = 0

    public init(seed: UInt64, stream: UInt64 = 0) {
        source = CounterRandom(seed: seed, stream: stream)
    }

    public mutating func next() -> UInt64 {
        defer { counter &+= 1 }
        return source.bits(counter)
    }

    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }
}
