import AtlasCore
import CScan
import Foundation

/// What one direction selected from a scan.
public struct DirectionScores: Sendable {
    public var direction: Direction
    /// The top K, best first (ties to the lower row).
    public var top: [Hit]
    /// Every row's cosine similarity, NaN for skipped rows.
    public var scores: [Float]
    public var statistics: ScoreStatistics
    /// The top K's rows as floats, in the order of `top`.
    public var embeddings: [[Float]]
}

/// The result of scanning a matrix once against one or more directions.
public struct Scan: Sendable {
    public var rows: Int
    public var dimension: Int
    /// Rows with NaN or infinite values (or too large to square in float32), left out.
    public var nonFiniteRows: Int
    /// All-zero rows (no direction, so no cosine), left out.
    public var zeroRows: Int
    public var results: [DirectionScores]
    public var seconds: Double
}

/// Cosine similarity of every row of a matrix against some directions, in one pass over the file:
/// a parallel SIMD dot product and squared norm per row (float16 and bfloat16 converted on the
/// fly), then bounded top-K heaps per chunk merged in chunk order.
public enum Scanner {
    /// Whether the AVX2/F16C kernel runs on this machine (else its scalar twin, same results).
    public static var vectorised: Bool { atlas_scan_vectorised() != 0 }

    /// `releasePages: false` keeps scanned pages mapped (only the benchmark asks, to time the
    /// arithmetic apart from the page-table work).
    public static func scan(_ matrix: Matrix, directions: [Direction], top: Int, threads: Int = Parallel.allCores,
                            releasePages: Bool = true) throws -> Scan {
        try matrix.requireMatrix()
        for d in directions where d.dimension != matrix.columns {
            throw SelectError.dimensionMismatch(direction: d.file ?? d.spec, directionDimension: d.dimension,
                                                embeddings: matrix.name, embeddingDimension: matrix.columns)
        }
        let start = Date()
        let rows = matrix.rows, dim = matrix.columns, ndir = directions.count
        var dirs = [Float](); dirs.reserveCapacity(ndir * dim)
        for d in directions { dirs += d.values }
        // |d| of each float direction, so cosine = dot / (|row| · |d|) exactly as stored.
        let dirNorms = directions.map { d in d.values.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot() }
        var dots = [Float](repeating: 0, count: rows * ndir)
        var norms = [Float](repeating: 0, count: rows)
        var summary = Summary(directions: ndir, top: top)
        var captured: [Int: [Float]] = [:]

        try dots.withUnsafeMutableBufferPointer { dotsBuffer in
            try norms.withUnsafeMutableBufferPointer { normsBuffer in
                let dotsBase = dotsBuffer.baseAddress!, normsBase = normsBuffer.baseAddress!
                let context = Finalizer(rows: rows, directions: ndir, top: top, dirNorms: dirNorms, dots: dotsBase, norms: normsBase)
                try dirs.withUnsafeBufferPointer { dirsBuffer in
                    let d = dirsBuffer.baseAddress!
                    switch (matrix.storage, matrix.order) {
                    case let (.mapped(file, offset), .rowMajor):
                        let rowBytes = dim * matrix.element.size
                        file.willReadSequentially(offset..<offset + rows * rowBytes)
                        let chunk = max(1, (1 << 20) / rowBytes)
                        let count = (rows + chunk - 1) / chunk
                        let parts = Parallel.map(count, threads: threads) { c -> Summary in
                            let r0 = c * chunk, n = min(chunk, rows - r0)
                            let pointer = file.pointer(at: offset + r0 * rowBytes)
                            scanRows(pointer, count: n, dim: dim, element: matrix.element, dirs: d, ndir: ndir,
                                     dots: dotsBase + r0, dotsStride: rows, norms: normsBase + r0)
                            if releasePages { file.release(offset + r0 * rowBytes..<offset + (r0 + n) * rowBytes) }
                            return context.finalize(r0..<r0 + n)
                        }
                        for p in parts { summary.merge(p) }
                    case let (.mapped(file, offset), .columnMajor):
                        let size = matrix.element.size
                        let block = 8192
                        let count = (rows + block - 1) / block
                        Parallel.forEach(count, threads: threads) { b in
                            let r0 = b * block, n = min(block, rows - r0)
                            var scratch = [Float](repeating: 0, count: matrix.element.kernelType == nil ? n : 0)
                            for j in 0..<dim {
                                let column = file.pointer(at: offset + (j * rows + r0) * size)
                                scanColumn(column, count: n, j: j, dim: dim, element: matrix.element, dirs: d, ndir: ndir,
                                           dots: dotsBase + r0, dotsStride: rows, norms: normsBase + r0, scratch: &scratch)
                            }
                        }
                        let chunk = 8192
                        for p in Parallel.map((rows + chunk - 1) / chunk, threads: threads, { c in
                            context.finalize(c * chunk..<min(rows, (c + 1) * chunk))
                        }) { summary.merge(p) }
                    case (.deflated, .rowMajor):
                        // Whole rows per inflated chunk; each chunk is scanned in parallel, then its
                        // candidates' rows are kept, as the stream will not come back.
                        let rowBytes = dim * matrix.element.size
                        let chunkRows = max(1, (8 << 20) / rowBytes)
                        try matrix.stream(chunkBytes: chunkRows * rowBytes) { first, elements, pointer in
                            let r0 = first / dim, n = elements / dim
                            let sub = max(1, (1 << 20) / rowBytes)
                            let parts = Parallel.map((n + sub - 1) / sub, threads: threads) { s -> Summary in
                                let a = s * sub, m = min(sub, n - a)
                                scanRows(pointer + a * rowBytes, count: m, dim: dim, element: matrix.element, dirs: d, ndir: ndir,
                                         dots: dotsBase + r0 + a, dotsStride: rows, norms: normsBase + r0 + a)
                                return context.finalize(r0 + a..<r0 + a + m)
                            }
                            for p in parts { summary.merge(p) }
                            let keep = summary.rowsKept
                            for r in keep where (r0..<r0 + n).contains(r) && captured[r] == nil {
                                var v = [Float](repeating: 0, count: dim)
                                v.withUnsafeMutableBufferPointer { matrix.element.convert(pointer + (r - r0) * rowBytes, count: dim, into: $0.baseAddress!) }
                                captured[r] = v
                            }
                            captured = captured.filter { keep.contains($0.key) }
                        }
                    case (.deflated, .columnMajor):
                        var scratch = [Float]()
                        try matrix.stream { first, elements, pointer in
                            var e = first
                            let end = first + elements
                            while e < end { // the chunk's pieces of each column
                                let j = e / rows, r = e % rows
                                let n = min(rows - r, end - e)
                                if scratch.count < n, matrix.element.kernelType == nil { scratch = [Float](repeating: 0, count: n) }
                                scanColumn(pointer + (e - first) * matrix.element.size, count: n, j: j, dim: dim, element: matrix.element,
                                           dirs: d, ndir: ndir, dots: dotsBase + r, dotsStride: rows, norms: normsBase + r, scratch: &scratch)
                                e += n
                            }
                        }
                        let chunk = 8192
                        for p in Parallel.map((rows + chunk - 1) / chunk, threads: threads, { c in
                            context.finalize(c * chunk..<min(rows, (c + 1) * chunk))
                        }) { summary.merge(p) }
                    }
                }
            }
        }
        let usable = rows - summary.nonFinite - summary.zero
        guard usable > 0 else { throw SelectError.noUsableRows(file: matrix.name, skipped: summary.nonFinite + summary.zero) }
        var results: [DirectionScores] = []
        for k in 0..<ndir {
            let hits = summary.heaps[k].sorted
            var embeddings: [[Float]] = []
            if matrix.isCompressed && matrix.order == .rowMajor {
                embeddings = hits.map { captured[$0.row]! }
            } else {
                var byRow: [Int: [Float]] = [:]
                try matrix.rows(hits.map(\.row)) { r, v in byRow[r] = Array(v) }
                embeddings = hits.map { byRow[$0.row]! }
            }
            results.append(DirectionScores(direction: directions[k], top: hits, scores: Array(dots[k * rows..<(k + 1) * rows]),
                                           statistics: summary.statistics[k], embeddings: embeddings))
        }
        return Scan(rows: rows, dimension: dim, nonFiniteRows: summary.nonFinite, zeroRows: summary.zero, results: results,
                    seconds: Date().timeIntervalSince(start))
    }

    static func scanRows(_ pointer: UnsafeRawPointer, count: Int, dim: Int, element: ElementType, dirs: UnsafePointer<Float>, ndir: Int,
                         dots: UnsafeMutablePointer<Float>, dotsStride: Int, norms: UnsafeMutablePointer<Float>) {
        if let t = element.kernelType {
            atlas_scan_rows(pointer, count, dim, dim * element.size, t, dirs, ndir, dots, dotsStride, norms)
            return
        }
        // Converted to float32 a slice at a time.
        let slice = max(1, 4096 / dim)
        var scratch = [Float](repeating: 0, count: slice * dim)
        scratch.withUnsafeMutableBufferPointer { s in
            var r = 0
            while r < count {
                let n = min(slice, count - r)
                element.convert(pointer + r * dim * element.size, count: n * dim, into: s.baseAddress!)
                atlas_scan_rows(s.baseAddress!, n, dim, dim * 4, Int32(ATLAS_SCAN_F32.rawValue), dirs, ndir, dots + r, dotsStride, norms + r)
                r += n
            }
        }
    }

    static func scanColumn(_ column: UnsafeRawPointer, count: Int, j: Int, dim: Int, element: ElementType, dirs: UnsafePointer<Float>, ndir: Int,
                           dots: UnsafeMutablePointer<Float>, dotsStride: Int, norms: UnsafeMutablePointer<Float>, scratch: inout [Float]) {
        if let t = element.kernelType {
            atlas_scan_column(column, count, j, dim, t, dirs, ndir, dots, dotsStride, norms)
            return
        }
        scratch.withUnsafeMutableBufferPointer { s in
            element.convert(column, count: count, into: s.baseAddress!)
            atlas_scan_column(s.baseAddress!, count, j, dim, Int32(ATLAS_SCAN_F32.rawValue), dirs, ndir, dots, dotsStride, norms)
        }
    }

    /// Per-range results, merged in range order.
    struct Summary {
        var heaps: [TopK]
        var statistics: [ScoreStatistics]
        var nonFinite = 0
        var zero = 0

        init(directions: Int, top: Int) {
            heaps = Array(repeating: TopK(capacity: top), count: directions)
            statistics = Array(repeating: ScoreStatistics(), count: directions)
        }

        mutating func merge(_ o: Summary) {
            for k in heaps.indices {
                heaps[k].merge(o.heaps[k])
                statistics[k].merge(o.statistics[k])
            }
            nonFinite += o.nonFinite
            zero += o.zero
        }

        var rowsKept: Set<Int> { Set(heaps.flatMap { $0.heap.map(\.row) }) }
    }

    /// Turns a range's dots and squared norms into cosine scores (in place), its top K and statistics.
    struct Finalizer: @unchecked Sendable {
        let rows: Int, directions: Int, top: Int
        let dirNorms: [Double]
        let dots: UnsafeMutablePointer<Float>
        let norms: UnsafeMutablePointer<Float>

        func finalize(_ range: Range<Int>) -> Summary {
            var s = Summary(directions: directions, top: top)
            for i in range {
                let n2 = norms[i]
                var finite = n2.isFinite
                for k in 0..<directions where !dots[k * rows + i].isFinite { finite = false }
                if !finite || n2 == 0 {
                    if finite { s.zero += 1 } else { s.nonFinite += 1 }
                    for k in 0..<directions { dots[k * rows + i] = .nan }
                    continue
                }
                let length = Double(n2).squareRoot()
                for k in 0..<directions {
                    let score = Float(Double(dots[k * rows + i]) / (length * dirNorms[k]))
                    dots[k * rows + i] = score
                    s.heaps[k].insert(Hit(row: i, score: score))
                    s.statistics[k].add(Double(score))
                }
            }
            return s
        }
    }
}
