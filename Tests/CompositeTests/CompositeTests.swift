import AtlasCore
import Graphics
import Testing
@testable import Composite

@Suite("Density")
struct DensityGridTests {
    @Test func peaksWherePointsAreAndIsNormalised() {
        let grid = DensityGrid.estimate(points: [SIMD2(0.5, 0.5), SIMD2(-0.5, -0.5)], weights: [2, 1], bandwidth: 0.1, size: 65)
        #expect(grid.values.max() == 1)
        #expect(grid.values.allSatisfy { $0 >= 0 && $0 <= 1 })
        // (0.5, 0.5) in the unit disc (y up) is 3/4 across and 1/4 down the grid.
        #expect(abs(grid.sample(u: 0.75, v: 0.25) - 1) < 1e-4)
        #expect(abs(grid.sample(u: 0.25, v: 0.75) - 0.5) < 0.01)
        #expect(grid.sample(u: 0.25, v: 0.25) < 1e-3)
        #expect(grid.sample(u: -0.1, v: 0.5) == 0)
    }

    @Test func emptyInputIsAllZero() {
        let grid = DensityGrid.estimate(points: [], weights: [], bandwidth: 0.1, size: 16)
        #expect(grid.values.allSatisfy { $0 == 0 })
    }
}

@Suite("Colour maps and blending")
struct ColorMapTests {
    @Test func mapsRunFromTheirDarkToTheirLightEnd() {
        for map in ColorMap.allCases {
            #expect(map.table.count == 256)
        }
        #expect(ColorMap.greys.color(at: 0) == SIMD3(0, 0, 0))
        #expect(ColorMap.greys.color(at: 1) == SIMD3(1, 1, 1))
        let v0 = ColorMap.viridis.color(at: 0)
        #expect(abs(v0.x - 0x44 / 255) < 1e-6 && abs(v0.y - 0x01 / 255) < 1e-6 && abs(v0.z - 0x54 / 255) < 1e-6)
    }

    @Test func blendModesFollowTheW3CFormulas() {
        let b = SIMD3<Float>(0.2, 0.5, 0.8), s = SIMD3<Float>(0.5, 0.5, 0.5)
        #expect(AtlasRaster.blend(.normal, b, s, 1) == s)
        #expect(AtlasRaster.blend(.multiply, b, s, 1) == b * s)
        #expect(AtlasRaster.blend(.screen, b, s, 1) == b + s - b * s)
        #expect(AtlasRaster.blend(.normal, b, s, 0) == b)
        #expect(AtlasRaster.blend(.softLight, b, s, 1) == b)   // 50 % grey is neutral in soft light
        #expect(AtlasRaster.blend(.overlay, SIMD3(0.25, 0.75, 0.5), SIMD3(1, 0, 0.5), 1) == SIMD3(0.5, 0.5, 0.5))
    }
}

@Suite("Page")
struct PageTests {
    @Test func singleDiptychAndBleed() {
        let canvas = CanvasSettings(width: 2000, height: 1000, dpi: 254, margin: 0.1)
        let single = Page(canvas: canvas)
        #expect(single.atlas.center == SIMD2(1000, 500) && single.atlas.radius == 400)
        let diptych = Page(canvas: canvas, composition: .diptych)
        #expect(diptych.heatmapPanel?.center == SIMD2(500, 500) && diptych.atlas.center == SIMD2(1500, 500))
        let bled = Page(canvas: canvas, bleedMillimetres: 3)   // 3 mm at 254 dpi = 30 px
        #expect(bled.width == 2060 && bled.height == 1060 && bled.trim.x == 30)
        #expect(bled.atlas.point(SIMD2(0, 1)) == SIMD2(1030, 130))
    }

    /// The PDF's slug and crop marks (10 px a millimetre at 254 dpi): marks 2 mm past the bleed,
    /// 6 mm long, then 2 mm more of slug; a slug whenever there is bleed or crop marks.
    @Test func pdfSlugHoldsTheCropMarksOutsideTheBleed() {
        let canvas = CanvasSettings(width: 2000, height: 1000, dpi: 254, margin: 0.1)
        let bled = Page(canvas: canvas, bleedMillimetres: 3, cropMarks: true).pdfMarks
        #expect(bled.slug == 100 && bled.offset == 30 + 20 && bled.length == 60)
        #expect(bled.offset > 30 && bled.offset + bled.length < 30 + bled.slug)
        #expect(abs(bled.lineWidth - 0.25 / 72 * 254) < 1e-12)
        #expect(Page(canvas: canvas, cropMarks: true).pdfMarks.slug == 100)
        #expect(Page(canvas: canvas, bleedMillimetres: 3).pdfMarks.slug == 100)
        #expect(Page(canvas: canvas).pdfMarks.slug == 0)
    }
}

@Suite("Legend labels")
struct LegendLabelTests {
    @Test func precisionFollowsTheSpread() {
        #expect(LegendLabels.text([102.31, 102.07, 95]) == ["102.3", "102.1", "95"])
        #expect(LegendLabels.text([9.5, 4.2, 0.31]) == ["9.5", "4.2", "0.31"])
        #expect(LegendLabels.text([1.00004, 1.00001]) == ["1.00004", "1.00001"])
        // Equal scores may print alike; the others keep three digits.
        #expect(LegendLabels.text([5, 5, 2]) == ["5", "5", "2"])
    }
}
