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
    /// Bytes of one image's bands a chunk may hold (with at least one band, and two per thread).
    static let chunkBytes = 32 << 20

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
        try stream { view, bands in
            let results = Parallel.map(bands.count, threads: threads) { j -> BandResult in
                let band = bands.lowerBound + j
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
            }
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
        }
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
        try stream { view, bands in
            Parallel.forEach(bands.count, threads: threads) { j in
                let band = bands.lowerBound + j
                let rows = (band * bandHeight)..<min((band + 1) * bandHeight, h)
                let slot = verdicts + j * bandHeight * w
                _ = DifferenceScan(view, rows: rows, tolerance: tolerance, measuring: false, verdicts: slot)
                DiffPainter.paint(rows: rows, width: outWidth, view: view, verdicts: slot, masks: masks, frame: frame,
                                  into: out + j * bandHeight * outWidth * 4)
            }
            try sink(out, min(bands.upperBound * bandHeight, h) - bands.lowerBound * bandHeight)
        }
        // A's rows below B: not compared, so red (the frame may still reach into them).
        for top in stride(from: h, to: a.height, by: bandHeight) {
            let rows = top..<min(top + bandHeight, a.height)
            DiffPainter.paint(rows: rows, width: outWidth, view: nil, verdicts: nil, masks: [], frame: frame, into: out)
            try sink(out, rows.count)
        }
    }

    /// Streams the overlap's rows through the buffers and calls `process` for each chunk of bands,
    /// in order, with a view holding the chunk's rows and the halo around them.
    private func stream(_ process: (BandView, Range<Int>) throws -> Void) throws {
        let w = width, h = height, bandHeight = Self.bandHeight, halo = Self.halo, chunk = chunkBands
        let capacity = chunk * bandHeight + 2 * halo
        let buffers = [UnsafeMutablePointer<UInt32>.allocate(capacity: capacity * w),
                       UnsafeMutablePointer<UInt32>.allocate(capacity: capacity * w)]
        defer { buffers.forEach { $0.deallocate() } }
        let sources = [a, b]
        // A source wider than the overlap is read into scratch and cropped.
        let scratch = sources.map { $0.width > w ? UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * $0.width * 4) : nil }
        defer { scratch.forEach { $0?.deallocate() } }
        var base = 0, filled = 0
        for first in stride(from: 0, to: bandCount, by: chunk) {
            let bands = first..<min(first + chunk, bandCount)
            let need = min(h, bands.upperBound * bandHeight + halo)
            let start = base + filled, count = need - start
            if count > 0 {
                let failures = Parallel.map(2, threads: threads) { i -> Error? in
                    do {
                        let destination = buffers[i] + filled * w
                        if let crop = scratch[i] {
                            let rowBytes = sources[i].width * 4
                            try sources[i].read(rows: count, into: crop, stride: rowBytes)
                            for r in 0..<count {
                                UnsafeMutableRawPointer(destination + r * w).copyMemory(from: crop + r * rowBytes, byteCount: w * 4)
                            }
                        } else {
                            try sources[i].read(rows: count, into: destination, stride: w * 4)
                        }
                        return nil
                    } catch {
                        return error
                    }
                }
                if let failure = failures.compactMap({ $0 }).first { throw failure }
                // Inside an ignore region B is taken to be A.
                for mask in masks {
                    let top = max(start, mask.y), bottom = min(need, mask.maxY)
                    for y in top..<max(top, bottom) {
                        let row = (y - base) * w + mask.x
                        (buffers[1] + row).update(from: buffers[0] + row, count: mask.width)
                    }
                }
                filled += count
            }
            let view = BandView(a: UnsafePointer(buffers[0] - base * w), b: UnsafePointer(buffers[1] - base * w), width: w, height: h)
            try process(view, bands)
            // Keep the halo above the next chunk.
            let keep = max(base, bands.upperBound * bandHeight - halo), end = base + filled
            let kept = max(0, end - keep)
            if kept > 0 && keep > base {
                for buffer in buffers { memmove(buffer, buffer + (keep - base) * w, kept * w * 4) }
            }
            base = keep
            filled = kept
        }
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
