import AtlasCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The connected areas of differing pixels (8-neighbour connectivity) of a verdict map, and the
/// largest of them: scattered noise forms many tiny areas, a real local change one large one.
///
/// Built band by band, so the map never needs to be whole: each band is labelled on its own
/// (`Band`, in parallel), then `add` joins its areas to those still open at the bottom of the
/// previous band, by union-find over the runs of the two rows that meet. Only areas touching the
/// last row so far stay in memory; the others are finished and only the largest is kept.
struct DifferingAreas {
    /// Pixels in the largest area (0 when nothing differs).
    private(set) var largestPixels = 0
    /// The largest area's bounding box; the first such area in reading order on a tie.
    private(set) var largestBox: PixelRect?
    /// How many separate areas there are.
    private(set) var count = 0
    private var largestFirst = Int.max
    /// Areas touching the last row added, and that row's runs (indices into `open`).
    private var open: [Area] = []
    private var openRuns: [Run] = []

    /// One connected area so far.
    struct Area {
        var pixels: Int
        var minX: Int32, minY: Int32, maxX: Int32, maxY: Int32
        /// Index (y·width + x) of its first pixel in reading order: ties go to the smallest.
        var first: Int

        mutating func absorb(_ o: Area) {
            pixels += o.pixels
            minX = min(minX, o.minX); minY = min(minY, o.minY)
            maxX = max(maxX, o.maxX); maxY = max(maxY, o.maxY)
            first = min(first, o.first)
        }

        var box: PixelRect {
            PixelRect(x: Int(minX), y: Int(minY), width: Int(maxX - minX) + 1, height: Int(maxY - minY) + 1)
        }
    }

    /// A run of differing pixels in one row, `start..<end`, and the area it belongs to.
    struct Run {
        var start: Int
        var end: Int
        var area: Int
    }

    /// The areas of one band of rows on its own.
    struct Band {
        /// Areas that touch neither the band's first nor its last row (finished here): how many, and the largest.
        var closedCount = 0
        var closedLargest: Area?
        /// Areas touching the first or the last row, and the runs of those two rows (indices into `open`).
        var open: [Area] = []
        var topRuns: [Run] = []
        var bottomRuns: [Run] = []

        /// Labels rows `rows` of a `width`-wide verdict map (`verdicts` holds just those rows).
        init(verdicts: UnsafePointer<UInt8>, width: Int, rows: Range<Int>) {
            let differing = DifferenceScan.Verdict.differing.rawValue
            var forest = UnionFind()
            var previous: [Run] = [], current: [Run] = []
            var firstRow: [Run] = []
            for y in rows {
                current.removeAll(keepingCapacity: true)
                let row = verdicts + (y - rows.lowerBound) * width
                var x = 0
                while x < width {
                    // The next differing pixel: most of a golden comparison's map is "same".
                    guard let hit = memchr(row + x, Int32(differing), width - x) else { break }
                    x = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - row
                    let start = x
                    while x < width && row[x] == differing { x += 1 }
                    let id = forest.add(Area(pixels: x - start, minX: Int32(start), minY: Int32(y), maxX: Int32(x - 1),
                                             maxY: Int32(y), first: y * width + start))
                    current.append(Run(start: start, end: x, area: id))
                }
                forest.join(current, below: previous)
                if y == rows.lowerBound { firstRow = current }
                swap(&previous, &current)
            }
            // `previous` now holds the last row's runs.
            var openIndex: [Int: Int] = [:]
            func openArea(_ id: Int) -> Int {
                let root = forest.root(id)
                if let i = openIndex[root] { return i }
                open.append(forest.areas[root])
                openIndex[root] = open.count - 1
                return open.count - 1
            }
            topRuns = firstRow.map { Run(start: $0.start, end: $0.end, area: openArea($0.area)) }
            bottomRuns = previous.map { Run(start: $0.start, end: $0.end, area: openArea($0.area)) }
            for i in forest.areas.indices where forest.parent[i] == i && openIndex[i] == nil {
                closedCount += 1
                if closedLargest.map({ Self.beats(forest.areas[i], $0) }) ?? true { closedLargest = forest.areas[i] }
            }
        }

        /// Whether `a` is a larger area than `b`, or as large and first in reading order.
        static func beats(_ a: Area, _ b: Area) -> Bool {
            a.pixels > b.pixels || (a.pixels == b.pixels && a.first < b.first)
        }
    }

    /// Union-find over areas, the older root (smaller id, earlier in reading order) absorbing the younger.
    struct UnionFind {
        var parent: [Int] = []
        var areas: [Area] = []

        mutating func add(_ area: Area) -> Int {
            parent.append(parent.count)
            areas.append(area)
            return parent.count - 1
        }

        mutating func root(_ i: Int) -> Int {
            var r = i
            while parent[r] != r { r = parent[r] }
            var j = i
            while parent[j] != r { let next = parent[j]; parent[j] = r; j = next }
            return r
        }

        mutating func union(_ a: Int, _ b: Int) {
            let ra = root(a), rb = root(b)
            guard ra != rb else { return }
            let (keep, gone) = ra < rb ? (ra, rb) : (rb, ra)
            parent[gone] = keep
            areas[keep].absorb(areas[gone])
        }

        /// Joins each run of `current` to every run of the row above that touches it (diagonals
        /// included). Runs of both rows are sorted: walk them together.
        mutating func join(_ current: [Run], below previous: [Run]) {
            var p = 0
            for run in current {
                while p < previous.count && previous[p].end < run.start { p += 1 }
                var q = p
                while q < previous.count && previous[q].start <= run.end {
                    union(run.area, previous[q].area)
                    q += 1
                }
            }
        }
    }

    /// Adds the next band (the one right below everything added so far).
    mutating func add(_ band: Band) {
        count += band.closedCount
        if let c = band.closedLargest { consider(c) }
        // Nodes: the open areas so far, then the band's own open areas.
        var forest = UnionFind()
        for area in open { _ = forest.add(area) }
        let offset = open.count
        for area in band.open { _ = forest.add(area) }
        let top = band.topRuns.map { Run(start: $0.start, end: $0.end, area: $0.area + offset) }
        forest.join(top, below: openRuns)
        // What touches the band's last row stays open; everything else is finished.
        var next: [Area] = [], nextIndex: [Int: Int] = [:]
        openRuns = band.bottomRuns.map { run in
            let root = forest.root(run.area + offset)
            if nextIndex[root] == nil { next.append(forest.areas[root]); nextIndex[root] = next.count - 1 }
            return Run(start: run.start, end: run.end, area: nextIndex[root]!)
        }
        for i in forest.areas.indices where forest.parent[i] == i && nextIndex[i] == nil {
            count += 1
            consider(forest.areas[i])
        }
        open = next
    }

    /// Finishes the areas still open (after the last band).
    mutating func finish() {
        for area in open {
            count += 1
            consider(area)
        }
        open = []
        openRuns = []
    }

    private mutating func consider(_ area: Area) {
        if area.pixels > largestPixels || (area.pixels == largestPixels && area.first < largestFirst) {
            largestPixels = area.pixels
            largestFirst = area.first
            largestBox = area.box
        }
    }

    /// The areas of a whole verdict map at once (tests; the comparison adds bands as they come).
    init(verdicts: [UInt8], width: Int, height: Int) {
        verdicts.withUnsafeBufferPointer { v in
            add(Band(verdicts: v.baseAddress!, width: width, rows: 0..<height))
        }
        finish()
    }

    init() {}
}
