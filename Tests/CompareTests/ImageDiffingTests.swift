import AtlasCore
import Testing
@testable import Compare

@Suite struct ImageDiffingTests {
    let scene = TestPatterns.scene(96, 72).opaque()

    @Test func matchingImagesGiveNoFailure() {
        let noisy = TestPatterns.withNoise(TestPatterns.scene(96, 72), seed: 7, amplitude: 3).opaque()
        #expect(ImageDiffing(tolerance: .standard).verify(scene, against: scene) == nil)
        #expect(ImageDiffing(tolerance: .standard).verify(noisy, against: scene) == nil)
    }

    @Test func failureNamesActualAndRequired() throws {
        let shifted = TestPatterns.scene(96, 72, shift8: 8).opaque()
        var tolerance = Tolerance.standard
        tolerance.minSSIM = 0.99
        let failure = try #require(ImageDiffing(tolerance: tolerance).verify(shifted, against: scene))
        #expect(failure.message.contains("52 of 6912 pixels differ (0.752 %); at most 0.1 % may"))
        #expect(failure.message.contains("SSIM is 0.951524; at least 0.99 is required."))
        #expect(failure.difference.width == 96)
    }

    @Test func sizeMismatchFailsOutright() throws {
        let other = TestPatterns.scene(90, 72).opaque()
        let failure = try #require(ImageDiffing(tolerance: .standard).verify(other, against: scene))
        #expect(failure.message == "Image size 90×72 does not match the golden image's 96×72.")
    }

    @Test func pullbackComparesByTheRenderedImage() {
        let byShift = ImageDiffing(tolerance: .standard).pullback { (shift8: Int) in TestPatterns.scene(96, 72, shift8: shift8).opaque() }
        #expect(byShift.verify(0, against: 0) == nil)
        #expect(byShift.verify(8, against: 0) != nil)
    }
}
