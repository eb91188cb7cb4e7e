import Foundation
import Testing
@testable import Pipeline

/// Issue 14 item 3: the estimate is an honest upper bound of what real renders measured, and it
/// refuses what cannot fit. The rows are `Benchmarks/memory/peak-rss.sh`'s (peak RSS of whole
/// `atlas render` processes, `poster` style, Examples/sea-light.jsonl, 2 threads; the exhibition
/// row is the preset itself with Examples/clockwork.jsonl); measure again after changing a stage
/// and update both the rows and the constants.
@Suite("Render memory calibration")
struct RenderMemoryCalibrationTests {
    struct Measured: Sendable, CustomStringConvertible {
        var style = "poster"
        var side: Int
        var painted = true
        var budgetMB: Int
        var input = "Examples/sea-light.jsonl"
        var formats: [String]? = nil
        /// Peak RSS in MB, or nil when the render was refused.
        var peakMB: Int?
        var description: String { "\(style) \(side)² \(painted ? "" : "unpainted ")at \(budgetMB) MB" }
    }

    static let rows: [Measured] = [
        Measured(side: 4096, budgetMB: 256, peakMB: 190),
        Measured(side: 4096, budgetMB: 2048, peakMB: 219),   // 197–219 over three runs
        Measured(side: 8192, budgetMB: 256, peakMB: nil),
        Measured(side: 8192, budgetMB: 2048, peakMB: 437),
        Measured(side: 16384, budgetMB: 256, peakMB: nil),
        Measured(side: 16384, budgetMB: 2048, peakMB: 1432),
        Measured(side: 32768, budgetMB: 256, peakMB: nil),
        Measured(side: 32768, budgetMB: 2048, peakMB: nil),
        Measured(side: 8192, painted: false, budgetMB: 256, peakMB: 172),
        Measured(side: 16384, painted: false, budgetMB: 256, peakMB: 181),
        Measured(style: "exhibition", side: 8192, budgetMB: 2048, input: "Examples/clockwork.jsonl", formats: ["png", "pdf"], peakMB: 441),
    ]

    @Test(arguments: rows)
    func theEstimateBoundsWhatWasMeasured(_ row: Measured) throws {
        var overrides = ["canvas.width=\(row.side)", "canvas.height=\(row.side)"]
        if !row.painted { overrides.append("layers=[heatmap, edges, circle, typography]") }
        if let formats = row.formats { overrides.append("output.formats=[\(formats.joined(separator: ", "))]") }
        let style = try Repository.styles.load(row.style, overrides: overrides)
        let input = Repository.path(row.input)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: input)[.size] as? NSNumber).uint64Value
        let memory = RenderMemory(style: style, threads: 2, inputBytes: size, budget: UInt64(row.budgetMB) << 20)
        if let measured = row.peakMB {
            #expect(memory.fits, "\(row) rendered, so it must be admitted")
            #expect(memory.peak >= UInt64(measured) << 20, "\(row): estimate \(memory.peak >> 20) MB below the measured \(measured) MB")
            #expect(memory.peak <= memory.budget)
        } else {
            #expect(!memory.fits, "\(row) must be refused (estimate \(memory.needed >> 20) MB)")
        }
    }
}
