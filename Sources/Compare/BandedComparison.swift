import AtlasCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The comparison itself, in bands: A's and B's rows stream through buffers of a few bands (plus
/// the halo of rows above and below that SSIM's windows and the anti-aliasing test reach into), so
/// memory is set by the width, never by the height. Each chunk of bands is read (A and B on two
/// threads), then its bands are measured in parallel, and their results are added in band order.
///
/// Bands are `bandHeight` rows from the top whatever the thread count, and every sum runs in band
/// order, so the report and the difference image are the same bytes on any number of threads.
struct BandedComparison {
    static let bandHeight = 128
    /// Rows each band reads above and below its own: SSIM's radius (the anti-aliasing test needs 2).
    static let halo = StructuralSimilarity.radius
    /// Bytes of one image's bands a chunk may hold (with at least one band, and two per thread);
    /// two chunks of each image are in memory, one being measured while the next is read.
    static let chunkBytes = 16 << 20

    let a: RowSource
    let b: RowSource
    let tolerance: Tolerance
    let threads: Int
    /// The overlap (top-left) of A and B, where the metrics are taken.
    let width: Int
    let height: Int
    /// The ignore regions clipped to the overlap.
    let masks: [PixelRect]

    init(_ a: RowSource, _ b: RowSource, tolerance: Tolerance, threads: Int) {
        self.a = a
        self.b = b
        self.tolerance = tolerance
        self.threads = max(threads, 1)
        width = min(a.width, b.width)
        height = min(a.height, b.height)
        let bounds = PixelRect(x: 0, y: 0, width: width, height: height)
        masks = tolerance.masks.map { $0.intersection(bounds) }.filter { !$0.isEmpty }
    }

    var bandCount: Int { (height + Self.bandHeight - 1) / Self.bandHeight }
    var chunkBands: Int { max(1, min(2 * threads, Self.chunkBytes / max(Self.bandHeight * width * 4, 1))) }

    /// Every metric, in one pass over the rows.
    func measure() throws -> ComparisonReport {
        let w = width, h = height, bandHeight = Self.bandHeight, chunk = chunkBands
        let windowed = StructuralSimilarity.windowed(width: w, height: h)
        let output = StructuralSimilarity.output(width: w, height: h)
        let masked = (0..<h).reduce(0) { sum, y in sum + Self.maskedSpans(row: y, masks: masks, width: w).reduce(0) { $0 + $1.count } }
        let compared = w * h - masked

        var differing = 0, antialiased = 0, maxChannelDifference = 0, squaredError = 0.0
        var deltaE = DeltaESummary.Accumulator(pixelCount: compared)
        var areas = DifferingAreas()
        var ssimSums = SIMD3<Double>.zero
        var uniformSums = [SIMD8<Double>](repeating: .zero, count: 3)

        let verdicts = UnsafeMutablePointer<UInt8>.allocate(capacity: chunk * bandHeight * w)
        defer { verdicts.deallocate() }
        let filters = UnsafeMutablePointer<WindowFilter>.allocate(capacity: chunk)
        filters.initialize(repeating: WindowFilter(), count: chunk)
        defer { filters.deinitialize(count: chunk); filters.deallocate() }

        struct BandResult {
            var scan: DifferenceScan
            var areas: DifferingAreas.Band
            var ssim: SIMD3<Double>
            var uniform: [SIMD8<Double>]
        }
        try stream(band: { view, band, j -> BandResult in
                let rows = (band * bandHeight)..<min((band + 1) * bandHeight, h)
                let slot = verdicts + j * bandHeight * w
                let scan = DifferenceScan(view, rows: rows, tolerance: tolerance, measuring: true, verdicts: slot)
                let bandAreas = DifferingAreas.Band(verdicts: slot, width: w, rows: rows)
                var ssim = SIMD3<Double>.zero, uniform: [SIMD8<Double>] = []
                if windowed {
                    let top = max(rows.lowerBound, output.y), bottom = min(rows.upperBound, output.maxY)
                    if top < bottom {
                        let region = PixelRect(x: output.x, y: top, width: output.width, height: bottom - top)
                        ssim = StructuralSimilarity.sum(view, over: region, filter: &filters[j])
                    }
                } else {
                    uniform = StructuralSimilarity.uniformSums(view, rows: rows)
                }
                return BandResult(scan: scan, areas: bandAreas, ssim: ssim, uniform: uniform)
        }, reduce: { results, _ in
            for r in results {
                differing += r.scan.differingPixels
                antialiased += r.scan.antialiasedPixels
                maxChannelDifference = max(maxChannelDifference, r.scan.maxChannelDifference)
                squaredError += r.scan.squaredError
                deltaE.add(r.scan.deltaE)
                areas.add(r.areas)
                ssimSums += r.ssim
                for c in r.uniform.indices { uniformSums[c] += r.uniform[c] }
            }
        })
        areas.finish()

        let sizesMatch = a.width == b.width && a.height == b.height
        let share = compared > 0 ? Double(differing) / Double(compared) : 0
        let ssim = windowed ? StructuralSimilarity.mean(ssimSums, pixels: output.width * output.height)
            : StructuralSimilarity.uniformIndex(uniformSums, pixels: w * h)
        let passed = sizesMatch && share <= tolerance.maxDifferingShare && areas.largestPixels <= tolerance.maxDifferingArea
            && ssim >= (tolerance.minSSIM ?? -1)
        return ComparisonReport(
            sizesMatch: sizesMatch, width: a.width, height: a.height, otherWidth: b.width, otherHeight: b.height,
            comparedPixels: compared, maskedPixels: masked,
            differingPixels: differing, differingShare: share, antialiasedPixels: antialiased,
            largestDifferingArea: areas.largestPixels, largestDifferingAreaBox: areas.largestBox,
            maxChannelDifference: maxChannelDifference,
            psnr: ImageComparison.psnr(squaredError: squaredError, pixels: w * h),
            ssim: ssim, deltaE: deltaE.summary, passed: passed)
    }

    /// The difference image (A's size), a chunk of rows at a time into `sink(rows, count)`
    /// (`a.width × 4` bytes a row), with `frame` drawn around the largest area when given.
    func paint(frame: PixelRect?, into sink: (UnsafePointer<UInt8>, Int) throws -> Void) throws {
        let w = width, h = height, bandHeight = Self.bandHeight, chunk = chunkBands, outWidth = a.width
        let verdicts = UnsafeMutablePointer<UInt8>.allocate(capacity: chunk * bandHeight * w)
        defer { verdicts.deallocate() }
        let out = UnsafeMutablePointer<UInt8>.allocate(capacity: chunk * bandHeight * outWidth * 4)
        defer { out.deallocate() }
        try stream(band: { view, band, j in
            let rows = (band * bandHeight)..<min((band + 1) * bandHeight, h)
            let slot = verdicts + j * bandHeight * w
            _ = DifferenceScan(view, rows: rows, tolerance: tolerance, measuring: false, verdicts: slot)
            DiffPainter.paint(rows: rows, width: outWidth, view: view, verdicts: slot, masks: masks, frame: frame,
                              into: out + j * bandHeight * outWidth * 4)
        }, reduce: { _, bands in
            try sink(out, min(bands.upperBound * bandHeight, h) - bands.lowerBound * bandHeight)
        })
        // A's rows below B: not compared, so red (the frame may still reach into them).
        for top in stride(from: h, to: a.height, by: bandHeight) {
            let rows = top..<min(top + bandHeight, a.height)
            DiffPainter.paint(rows: rows, width: outWidth, view: nil, verdicts: nil, masks: [], frame: frame, into: out)
            try sink(out, rows.count)
        }
    }

    /// Streams the overlap's rows through two sets of buffers and runs `band(view, band, slot)` for
    /// every band (slot: its index within its chunk), then `reduce(results, bands)` once per chunk,
    /// in order. While one chunk's bands are measured, the next chunk is read into the other set:
    /// A, B and the bands are the tasks of one parallel loop, so a thread that finishes reading its
    /// file takes bands instead of waiting for the other file.
    private func stream<T>(band: (BandView, Int, Int) -> T, reduce: ([T], Range<Int>) throws -> Void) throws {
        let w = width, h = height, bandHeight = Self.bandHeight, halo = Self.halo, chunk = chunkBands
        let capacity = chunk * bandHeight + 2 * halo
        var sets = (0..<2).map { _ in
            Rows(buffers: [UnsafeMutablePointer<UInt32>.allocate(capacity: capacity * w), UnsafeMutablePointer<UInt32>.allocate(capacity: capacity * w)])
        }
        defer { sets.forEach { $0.buffers.forEach { $0.deallocate() } } }
        let sources = [a, b]
        // A source wider than the overlap is read into scratch and cropped.
        let scratch = sources.map { $0.width > w ? UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * $0.width * 4) : nil }
        defer { scratch.forEach { $0?.deallocate() } }
        let chunks = stride(from: 0, to: bandCount, by: chunk).map { $0..<min($0 + chunk, bandCount) }

        /// Reads rows `target.base + target.filled ..< need` of source `i` into `target`.
        func read(_ i: Int, into target: Rows, upTo need: Int) throws {
            let count = need - target.base - target.filled
            guard count > 0 else { return }
            let destination = target.buffers[i] + target.filled * w
            if let crop = scratch[i] {
                let rowBytes = sources[i].width * 4
                try sources[i].read(rows: count, into: crop, stride: rowBytes)
                for r in 0..<count {
                    UnsafeMutableRawPointer(destination + r * w).copyMemory(from: crop + r * rowBytes, byteCount: w * 4)
                }
            } else {
                try sources[i].read(rows: count, into: destination, stride: w * 4)
            }
        }
        /// After reading up to `need`: inside an ignore region B is taken to be A.
        func finishRead(_ target: inout Rows, upTo need: Int) {
            let start = target.base + target.filled
            guard need > start else { return }
            for mask in masks {
                let top = max(start, mask.y), bottom = min(need, mask.maxY)
                for y in top..<max(top, bottom) {
                    let row = (y - target.base) * w + mask.x
                    (target.buffers[1] + row).update(from: target.buffers[0] + row, count: mask.width)
                }
            }
            target.filled = need - target.base
        }
        func need(_ bands: Range<Int>) -> Int { min(h, bands.upperBound * bandHeight + halo) }

        guard let first = chunks.first else { return }
        let firstSet = sets[0]
        let firstReads = Parallel.map(2, threads: threads) { i -> Error? in
            do { try read(i, into: firstSet, upTo: need(first)) } catch { return error }
            return nil
        }
        if let failure = firstReads.compactMap({ $0 }).first { throw failure }
        finishRead(&sets[0], upTo: need(first))
        for (c, bands) in chunks.enumerated() {
            let current = sets[c % 2]
            let hasNext = c + 1 < chunks.count
            if hasNext {
                // The next chunk starts with the halo above it, copied from this one.
                let keep = max(current.base, bands.upperBound * bandHeight - halo)
                let kept = max(0, current.base + current.filled - keep)
                var next = sets[(c + 1) % 2]
                next.base = keep
                next.filled = kept
                for i in 0..<2 where kept > 0 {
                    next.buffers[i].update(from: current.buffers[i] + (keep - current.base) * w, count: kept * w)
                }
                sets[(c + 1) % 2] = next
            }
            let next = sets[(c + 1) % 2], nextNeed = hasNext ? need(chunks[c + 1]) : 0
            let view = BandView(a: UnsafePointer(current.buffers[0] - current.base * w),
                                b: UnsafePointer(current.buffers[1] - current.base * w), width: w, height: h)
            let tasks = Parallel.map(2 + bands.count, threads: threads) { t -> (result: T?, failure: Error?) in
                if t < 2 {
                    guard hasNext else { return (nil, nil) }
                    do { try read(t, into: next, upTo: nextNeed) } catch { return (nil, error) }
                    return (nil, nil)
                }
                return (band(view, bands.lowerBound + t - 2, t - 2), nil)
            }
            if let failure = tasks.compactMap(\.failure).first { throw failure }
            try reduce(tasks.dropFirst(2).map { $0.result! }, bands)
            if hasNext { finishRead(&sets[(c + 1) % 2], upTo: nextNeed) }
        }
    }

    /// Rows `base..<base + filled` of A (`buffers[0]`) and B (`buffers[1]`), held by one buffer set.
    private struct Rows {
        var buffers: [UnsafeMutablePointer<UInt32>]
        var base = 0
        var filled = 0
    }

    /// The columns of row `y` inside any ignore region, as sorted disjoint ranges within `0..<width`.
    static func maskedSpans(row y: Int, masks: [PixelRect], width: Int) -> [Range<Int>] {
        let spans = masks.filter { $0.y <= y && y < $0.maxY }
            .map { max($0.x, 0)..<min($0.maxX, width) }.filter { !$0.isEmpty }
            .sorted { $0.lowerBound < $1.lowerBound }
        var merged: [Range<Int>] = []
        for s in spans {
            if let last = merged.last, s.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, s.upperBound)
            } else {
                merged.append(s)
            }
        }
        return merged
    }
}
