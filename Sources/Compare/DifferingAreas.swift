import AtlasCore

/// The connected areas of differing pixels (8-neighbour connectivity) of a verdict map, and the
/// largest of them: scattered noise forms many tiny areas, a real local change one large one.
///
/// One pass over the rows as runs of differing pixels; a run joins every run of the row above that
/// touches it (diagonals included) by union-find, each area's root keeping its pixel count and box.
struct DifferingAreas {
    /// Pixels in the largest area (0 when nothing differs).
    private(set) var largestPixels = 0
    /// The largest area's bounding box; the first such area in reading order on a tie.
    private(set) var largestBox: PixelRect?
    /// How many separate areas there are.
    private(set) var count = 0

    init(verdicts: [UInt8], width: Int, height: Int) {
        let differing = DifferenceScan.Verdict.differing.rawValue
        var parent: [Int32] = [], pixels: [Int] = []
        var minX: [Int32] = [], minY: [Int32] = [], maxX: [Int32] = [], maxY: [Int32] = []
        var previous: [(start: Int, end: Int, id: Int32)] = [], current: [(start: Int, end: Int, id: Int32)] = []

        func root(_ i: Int32) -> Int32 {
            var r = i
            while parent[Int(r)] != r { r = parent[Int(r)] }
            var j = i
            while parent[Int(j)] != r { let next = parent[Int(j)]; parent[Int(j)] = r; j = next }
            return r
        }
        func union(_ a: Int32, _ b: Int32) {
            let ra = root(a), rb = root(b)
            guard ra != rb else { return }
            // The older root (smaller id, earlier in reading order) absorbs the younger.
            let (keep, gone) = ra < rb ? (Int(ra), Int(rb)) : (Int(rb), Int(ra))
            parent[gone] = Int32(keep)
            pixels[keep] += pixels[gone]
            minX[keep] = min(minX[keep], minX[gone]); minY[keep] = min(minY[keep], minY[gone])
            maxX[keep] = max(maxX[keep], maxX[gone]); maxY[keep] = max(maxY[keep], maxY[gone])
        }

        verdicts.withUnsafeBufferPointer { v in
            for y in 0..<height {
                current.removeAll(keepingCapacity: true)
                let row = v.baseAddress! + y * width
                var x = 0
                while x < width {
                    guard row[x] == differing else { x += 1; continue }
                    let start = x
                    while x < width && row[x] == differing { x += 1 }
                    let id = Int32(parent.count)
                    parent.append(id); pixels.append(x - start)
                    minX.append(Int32(start)); maxX.append(Int32(x - 1)); minY.append(Int32(y)); maxY.append(Int32(y))
                    current.append((start, x, id))
                }
                // Runs of both rows are sorted: walk them together, joining runs that touch.
                var p = 0
                for run in current {
                    while p < previous.count && previous[p].end < run.start { p += 1 }
                    var q = p
                    while q < previous.count && previous[q].start <= run.end {
                        union(run.id, previous[q].id)
                        q += 1
                    }
                }
                swap(&previous, &current)
            }
        }
        for i in parent.indices where parent[i] == Int32(i) {
            count += 1
            if pixels[i] > largestPixels {
                largestPixels = pixels[i]
                largestBox = PixelRect(x: Int(minX[i]), y: Int(minY[i]),
                                       width: Int(maxX[i] - minX[i]) + 1, height: Int(maxY[i] - minY[i]) + 1)
            }
        }
    }
}
