import AtlasCore

/// Page geometry: where the atlas disc sits on the canvas. Unit-disc layout coordinates map here.
public struct Page: Sendable, Equatable {
    public var width: Double
    public var height: Double
    public var center: SIMD2<Double>
    /// Radius of the atlas circle in canvas units.
    public var radius: Double

    public init(canvas: CanvasSettings) {
        width = Double(canvas.width)
        height = Double(canvas.height)
        let short = min(width, height)
        center = SIMD2(width / 2, height / 2)
        radius = short / 2 - canvas.margin * short
    }

    public var shortSide: Double { min(width, height) }

    /// A unit-disc position (y up) to canvas coordinates (y down).
    public func point(_ p: SIMD2<Double>) -> SIMD2<Double> {
        center + SIMD2(p.x, -p.y) * radius
    }
}
