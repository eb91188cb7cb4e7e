import AtlasCore
import Foundation

/// UMAP's stochastic gradient descent (umap-learn `optimize_layout_euclidean`, `move_other`):
/// each graph edge is sampled in proportion to its weight, pulls its ends together along the a/b
/// curve, and pushes the head away from `negativeSampleRate` random points; the learning rate
/// decays linearly to zero.
///
/// Deterministic parallel epochs: the edges (sorted by head) are cut into `slices` contiguous
/// pieces of about equal sampling work. In every epoch each slice starts from a private copy of the
/// positions and runs its edges in order, its own moves visible at once and the other slices' not
/// until the epoch ends; the epoch ends by adding every slice's movements to the positions in
/// slice order. The slice count is fixed, never the thread count, so the result depends only on
/// the seed (same bytes at any thread count).
///
/// In plain UMAP (`batchedNegatives`), per head and epoch the sampled edges' attractions come
/// first, then all their negative samples, eight lanes at a time with an inlined `x^b`
/// (`FastPower`): umap-learn's loop is one `powf` call and one division per sample, each waiting on
/// the last. Trustworthiness is unchanged on the benchmark's data (Benchmarks/layout/RESULTS.md).
/// The constrained mode keeps umap-learn's one-by-one order.
struct EmbeddingOptimizer {
    let curve: UMAPCurve
    let epochs: Int
    let learningRate: Double
    let negativeSampleRate: Int
    let repulsionStrength: Double
    /// Each head's negative samples eight at a time after its attractions (plain UMAP), or one
    /// after another after each attraction, as umap-learn (the constrained mode: a test showed
    /// blobs in 200-point layouts splitting more often with batches).
    var batchedNegatives = true

    /// Edge slices per epoch: the parallelism available (any thread count up to it helps). Each
    /// slice sees the others' moves one epoch late; 1 and 8 slices gave the same trustworthiness
    /// at 3 000 points (RESULTS.md).
    static let slices = 8

    /// Runs all epochs on `positions`; `afterEpoch` may constrain them (the radial projection).
    func optimize(
        _ positions: inout [SIMD2<Float>], graph: FuzzyGraph, seed: UInt64, threads: Int,
        afterEpoch: (inout [SIMD2<Float>]) -> Void
    ) {
        let n = positions.count
        guard n > 1, epochs > 0, let maxWeight = graph.weights.max(), maxWeight > 0 else { return }
        var schedule = Schedule(graph: graph, maxWeight: maxWeight, epochs: epochs,
                                negativeSampleRate: negativeSampleRate, slices: Self.slices)
        let slices = Self.slices
        let keys = (0..<slices).map { CounterRandom(seed: seed, stream: 0x7367_6400 &+ UInt64($0)).key }
        var draws = [UInt64](repeating: 0, count: slices)
        let copies = UnsafeMutablePointer<SIMD2<Float>>.allocate(capacity: slices * n)
        defer { copies.deallocate() }
        let bounds = schedule.bounds
        for epoch in 0..<epochs {
            let alpha = Float(learningRate * (1 - Double(epoch) / Double(epochs)))
            let now = Double(epoch)
            schedule.withKernel(curve: curve, repulsionStrength: repulsionStrength, pointCount: n, batched: batchedNegatives) { kernel in
                positions.withUnsafeBufferPointer { start in
                    draws.withUnsafeMutableBufferPointer { draws in
                        Parallel.forEach(slices, threads: threads) { slice in
                            let p = copies + slice * n
                            p.update(from: start.baseAddress!, count: n)
                            var draw = draws[slice]
                            var e = bounds[slice]
                            let end = bounds[slice + 1]
                            while e < end { e = kernel.run(from: e, to: end, p, &draw, keys[slice], alpha: alpha, now: now) }
                            draws[slice] = draw
                        }
                    }
                }
            }
            positions.withUnsafeMutableBufferPointer { out in
                let block = 4096
                Parallel.forEach((n + block - 1) / block, threads: n > block ? threads : 1) { b in
                    for i in (b * block)..<min(n, (b + 1) * block) {
                        let start = out[i]
                        var moved = start
                        for s in 0..<slices { moved += copies[s * n + i] - start }
                        out[i] = moved
                    }
                }
            }
            afterEpoch(&positions)
        }
    }

    /// The sampling schedule, structure of arrays over the kept edges (umap-learn's
    /// `epochs_per_sample` and `epoch_of_next_sample`, in Double as there).
    private struct Schedule {
        var heads: [Int32] = []
        var tails: [Int32] = []
        var epochsPerSample: [Double] = []
        var epochsPerNegative: [Double] = []
        var nextSample: [Double] = []
        var nextNegative: [Double] = []
        /// Slice `s` owns edges `bounds[s]..<bounds[s + 1]`.
        var bounds: [Int] = []
        let negativeSampleRate: Int

        init(graph: FuzzyGraph, maxWeight: Double, epochs: Int, negativeSampleRate: Int, slices: Int) {
            self.negativeSampleRate = negativeSampleRate
            // Edges too weak to be sampled even once are pruned, as in umap-learn.
            let floor = maxWeight / Double(epochs)
            var work = 0.0
            for e in graph.weights.indices where graph.weights[e] >= floor {
                heads.append(graph.rows[e])
                tails.append(graph.columns[e])
                epochsPerSample.append(maxWeight / graph.weights[e])
                work += graph.weights[e] / maxWeight
            }
            epochsPerNegative = epochsPerSample.map { $0 / Double(max(negativeSampleRate, 1)) }
            nextSample = epochsPerSample
            nextNegative = epochsPerNegative
            // Cut where the running sampling work (samples per epoch) passes s/slices of the total.
            bounds = [0]
            var running = 0.0, e = 0
            for s in 1..<slices {
                let target = work * Double(s) / Double(slices)
                while e < heads.count, running < target {
                    running += 1 / epochsPerSample[e]
                    e += 1
                }
                bounds.append(e)
            }
            bounds.append(heads.count)
        }

        mutating func withKernel(curve: UMAPCurve, repulsionStrength: Double, pointCount: Int, batched: Bool, _ body: (Kernel) -> Void) {
            let rate = negativeSampleRate
            heads.withUnsafeBufferPointer { heads in
                tails.withUnsafeBufferPointer { tails in
                    epochsPerSample.withUnsafeBufferPointer { perSample in
                        epochsPerNegative.withUnsafeBufferPointer { perNegative in
                            nextSample.withUnsafeMutableBufferPointer { nextSample in
                                nextNegative.withUnsafeMutableBufferPointer { nextNegative in
                                    let a = Float(curve.a), b = Float(curve.b)
                                    body(Kernel(
                                        heads: heads.baseAddress!, tails: tails.baseAddress!,
                                        epochsPerSample: perSample.baseAddress!, epochsPerNegative: perNegative.baseAddress!,
                                        nextSample: nextSample.baseAddress!, nextNegative: nextNegative.baseAddress!,
                                        a: a, b: b, repulsion: Float(2 * repulsionStrength) * b,
                                        negativeSampleRate: rate, pointCount: UInt64(pointCount), batched: batched))
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The sampling step over raw buffers. Slices write disjoint edges of the schedule and their
    /// own copy of the positions.
    private struct Kernel {
        let heads: UnsafePointer<Int32>
        let tails: UnsafePointer<Int32>
        let epochsPerSample: UnsafePointer<Double>
        let epochsPerNegative: UnsafePointer<Double>
        let nextSample: UnsafeMutablePointer<Double>
        let nextNegative: UnsafeMutablePointer<Double>
        let a: Float
        let b: Float
        let repulsion: Float
        let negativeSampleRate: Int
        let pointCount: UInt64
        let batched: Bool

        @inline(__always)
        private func clip(_ g: SIMD2<Float>) -> SIMD2<Float> {
            g.clamped(lowerBound: SIMD2(repeating: -4), upperBound: SIMD2(repeating: 4))
        }

        /// The edges from `e` on that share its head (up to `end`): each sampled edge's attraction
        /// in order, then all their negative samples, eight at a time, pushing from where the head
        /// stands (umap-learn interleaves them edge by edge and one by one; the forces are the same,
        /// the order within one head's epoch differs). Returns the first edge of the next head.
        @inline(__always)
        func run(
            from first: Int, to end: Int, _ p: UnsafeMutablePointer<SIMD2<Float>>, _ draw: inout UInt64, _ key: UInt64,
            alpha: Float, now: Double
        ) -> Int {
            let head = heads[first]
            let j = Int(head)
            var current = p[j]
            var negatives = 0
            /// umap-learn's negative samples, one after another from where the head has got to.
            @inline(__always) func repelOneByOne(_ count: Int) {
                for _ in 0..<count {
                    let word = StableHash.mix(key &+ draw &* 0x9e37_79b9_7f4a_7c15)
                    draw &+= 1
                    let other = Int(((word >> 32) &* pointCount) >> 32)
                    guard other != j else { continue }
                    let away = current - p[other]
                    let squared = (away * away).sum()
                    if squared > 0 {
                        let coefficient = repulsion / ((0.001 + squared) * (a * powf(squared, b) + 1))
                        current += clip(coefficient * away) * alpha
                    }
                }
            }
            var e = first
            while e < end, heads[e] == head {
                defer { e += 1 }
                guard nextSample[e] <= now else { continue }
                let k = Int(tails[e])
                let delta = current - p[k]
                let squared = (delta * delta).sum()
                if squared > 0 {
                    let power = FastPower.power(max(squared, 1e-30), b)
                    let coefficient = -2 * a * b * power / squared / (a * power + 1)
                    let g = clip(coefficient * delta) * alpha
                    current += g
                    p[k] -= g
                }
                nextSample[e] += epochsPerSample[e]
                if negativeSampleRate > 0 {
                    let count = Int((now - nextNegative[e]) / epochsPerNegative[e])
                    if count > 0 {
                        if batched { negatives += count } else { repelOneByOne(count) }
                        nextNegative[e] += Double(count) * epochsPerNegative[e]
                    }
                }
            }
            var done = 0
            while done < negatives {
                let lanes = Int32(min(8, negatives - done))
                // Eight draws from four SplitMix64 words (two 32-bit halves each); those past
                // `lanes` are masked out. A draw of the head itself reads `current` (stored
                // first), so its distance is 0 and it pushes nothing, as in umap-learn.
                @inline(__always) func word(_ w: UInt64) -> UInt64 { StableHash.mix(key &+ (draw &+ w) &* 0x9e37_79b9_7f4a_7c15) }
                @inline(__always) func low(_ x: UInt64) -> Int { Int(((x & 0xffff_ffff) &* pointCount) >> 32) }
                @inline(__always) func high(_ x: UInt64) -> Int { Int(((x >> 32) &* pointCount) >> 32) }
                let w0 = word(0), w1 = word(1), w2 = word(2), w3 = word(3)
                draw &+= 4
                p[j] = current
                let q0 = p[low(w0)], q1 = p[high(w0)], q2 = p[low(w1)], q3 = p[high(w1)]
                let q4 = p[low(w2)], q5 = p[high(w2)], q6 = p[low(w3)], q7 = p[high(w3)]
                let dx = SIMD8(repeating: current.x) - SIMD8(q0.x, q1.x, q2.x, q3.x, q4.x, q5.x, q6.x, q7.x)
                let dy = SIMD8(repeating: current.y) - SIMD8(q0.y, q1.y, q2.y, q3.y, q4.y, q5.y, q6.y, q7.y)
                let squared = dx * dx + dy * dy
                let power = FastPower.power(Lanes.select(Lanes.below(squared, 1e-30), SIMD8(repeating: 1e-30), squared), b)
                let coefficient = SIMD8(repeating: repulsion)
                    / ((SIMD8(repeating: 0.001) + squared) * (SIMD8(repeating: a) * power + SIMD8(repeating: 1)))
                // Counted lanes, not on top of the head.
                let counted = (SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7) &- SIMD8(repeating: lanes)) &>> 31
                let push = counted & Lanes.nonzero(Lanes.bits(squared))
                let gx = Lanes.clamp(coefficient * dx, -4, 4), gy = Lanes.clamp(coefficient * dy, -4, 4)
                current += clip(SIMD2(Lanes.float(Lanes.bits(gx) & push).sum(), Lanes.float(Lanes.bits(gy) & push).sum())) * alpha
                done += Int(lanes)
            }
            p[j] = current
            return e
        }
    }
}
