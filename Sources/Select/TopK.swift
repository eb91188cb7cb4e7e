/// One scored row.
public struct Hit: Sendable, Equatable {
    public var row: Int
    public var score: Float

    public init(row: Int, score: Float) { self.row = row; self.score = score }

    /// The selection's total order: higher score first, ties to the lower row.
    @inline(__always) static func precedes(_ a: Hit, _ b: Hit) -> Bool {
        a.score > b.score || (a.score == b.score && a.row < b.row)
    }
}

/// The best `capacity` hits seen so far: a binary heap with the worst kept hit at the root.
/// The order is total, so the kept set does not depend on the order hits arrive in.
struct TopK {
    let capacity: Int
    private(set) var heap: [Hit] = []

    init(capacity: Int) {
        self.capacity = capacity
        heap.reserveCapacity(capacity)
    }

    /// The worst kept hit is `heap[0]`: the one every other kept hit precedes.
    @inline(__always) mutating func insert(_ h: Hit) {
        if heap.count < capacity {
            heap.append(h)
            var i = heap.count - 1
            while i > 0 {
                let parent = (i - 1) / 2
                guard Hit.precedes(heap[parent], heap[i]) else { break }
                heap.swapAt(parent, i)
                i = parent
            }
        } else if capacity > 0, Hit.precedes(h, heap[0]) {
            heap[0] = h
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var worst = i
                if l < heap.count, Hit.precedes(heap[worst], heap[l]) { worst = l }
                if r < heap.count, Hit.precedes(heap[worst], heap[r]) { worst = r }
                if worst == i { break }
                heap.swapAt(i, worst)
                i = worst
            }
        }
    }

    /// Would `h` be kept?
    func admits(_ h: Hit) -> Bool { heap.count < capacity || (capacity > 0 && Hit.precedes(h, heap[0])) }

    mutating func merge(_ other: TopK) { for h in other.heap { insert(h) } }

    /// Best first.
    var sorted: [Hit] { heap.sorted(by: Hit.precedes) }
}

/// Count, mean and spread of the scores of a range, mergeable in a fixed order (Chan et al.).
public struct ScoreStatistics: Sendable, Equatable {
    public var count = 0
    public var mean = 0.0
    var m2 = 0.0
    public var minimum = Double.infinity
    public var maximum = -Double.infinity

    public init() {}

    public var standardDeviation: Double { count > 1 ? (m2 / Double(count)).squareRoot() : 0 }

    mutating func add(_ x: Double) {
        count += 1
        let d = x - mean
        mean += d / Double(count)
        m2 += d * (x - mean)
        minimum = min(minimum, x)
        maximum = max(maximum, x)
    }

    mutating func merge(_ o: ScoreStatistics) {
        guard o.count > 0 else { return }
        guard count > 0 else { self = o; return }
        let n = Double(count + o.count)
        let d = o.mean - mean
        mean += d * Double(o.count) / n
        m2 += o.m2 + d * d * Double(count) * Double(o.count) / n
        count += o.count
        minimum = min(minimum, o.minimum)
        maximum = max(maximum, o.maximum)
    }
}
