// swift-tools-version:6.0
import PackageDescription

/// Hot numeric modules are compiled with optimisation even in debug builds so tests stay fast
/// (SIMD code is ~100x slower at -Onone).
let optimised: [SwiftSetting] = [.unsafeFlags(["-O"])]

// One library module per pipeline stage; `Graphics` is the only module that imports the C libraries.
let package = Package(
    name: "LatentAtlas",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "atlas", targets: ["AtlasCLI"]),
        .library(name: "Pipeline", targets: ["Pipeline"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        // C libraries (Debian -dev packages).
        .systemLibrary(name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev"])]),
        .systemLibrary(name: "CPango", pkgConfig: "pangocairo", providers: [.apt(["libpango1.0-dev"])]),
        .systemLibrary(name: "CLibPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CLibDeflate", pkgConfig: "libdeflate", providers: [.apt(["libdeflate-dev"])]),
        .systemLibrary(name: "CLibTIFF", pkgConfig: "libtiff-4", providers: [.apt(["libtiff-dev"])]),
        // libpng reports errors with longjmp, which Swift cannot catch: a small C codec keeps it in C.
        // Reading the common 8-bit RGB/RGBA case inflates with libdeflate (2-3x zlib's speed).
        // Writing deflates pieces of the image data with zlib directly (libpng's own dependency).
        .target(name: "CPNG", dependencies: ["CLibPNG", "CLibDeflate"], cSettings: [.unsafeFlags(["-O2"])],
                linkerSettings: [.linkedLibrary("z")]),
        // libtiff's tag setter is variadic (not callable from Swift): a small C writer.
        .target(name: "CTIFF", dependencies: ["CLibTIFF"]),

        // Shared vocabulary: colours, seeded randomness, hashing, images, settings checks.
        .target(name: "AtlasCore", swiftSettings: optimised),
        // The thin layer over Cairo, Pango and libpng.
        .target(name: "Graphics", dependencies: ["AtlasCore", "CCairo", "CPango", "CPNG", "CTIFF"], swiftSettings: optimised),

        // Pipeline stages.
        .target(name: "Contexts", dependencies: ["AtlasCore"]),
        .target(name: "Highlight", dependencies: ["AtlasCore", "Contexts"]),
        .target(name: "Layout", dependencies: ["AtlasCore"], swiftSettings: optimised),
        .target(name: "Decode", dependencies: ["AtlasCore"], swiftSettings: optimised),
        .target(name: "Composite", dependencies: ["AtlasCore", "Graphics"], swiftSettings: optimised),
        .target(name: "Encode", dependencies: ["AtlasCore", "Graphics", "Composite"]),
        .target(name: "Compare", dependencies: ["AtlasCore", "Graphics"], swiftSettings: optimised),
        .target(name: "Styles", dependencies: [
            "AtlasCore", "Highlight", "Layout", "Decode", "Composite", "Encode", "Compare",
            .product(name: "Yams", package: "Yams"),
        ]),
        .target(name: "Pipeline", dependencies: [
            "AtlasCore", "Contexts", "Highlight", "Layout", "Decode", "Composite", "Encode", "Styles",
            "Graphics", "Compare",
        ]),
        // `atlas batch` and `atlas index`: many latents, parallel, incremental, sharded.
        .target(name: "Batch", dependencies: [
            "Pipeline", "Styles", "Contexts", "Encode", "Graphics", "AtlasCore",
            .product(name: "Yams", package: "Yams"),
        ]),
        .executableTarget(name: "AtlasCLI", dependencies: [
            "Pipeline", "Styles", "Contexts", "Compare", "AtlasCore", "Encode", "Layout", "Composite", "Highlight", "Graphics", "Decode",
            "Batch",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Benchmarks: `make bench` (release build).
        .executableTarget(name: "AtlasBenchmarks", dependencies: [
            "Pipeline", "Layout", "Decode", "Composite", "Compare", "Graphics", "AtlasCore", "Contexts", "Styles",
            "Batch",
        ], path: "Benchmarks/AtlasBenchmarks"),

        // Tests mirror the sources.
        .testTarget(name: "AtlasCoreTests", dependencies: ["AtlasCore"]),
        .testTarget(name: "GraphicsTests", dependencies: ["Graphics", "AtlasCore", "CPNG", "CTIFF"]),
        .testTarget(name: "ContextsTests", dependencies: ["Contexts"]),
        .testTarget(name: "HighlightTests", dependencies: ["Highlight", "Contexts"]),
        .testTarget(name: "LayoutTests", dependencies: ["Layout", "AtlasCore"]),
        .testTarget(name: "DecodeTests", dependencies: ["Decode", "AtlasCore"]),
        .testTarget(name: "CompareTests", dependencies: ["Compare", "Graphics", "AtlasCore"]),
        .testTarget(name: "CompositeTests", dependencies: ["Composite", "Graphics", "AtlasCore"]),
        .testTarget(name: "StylesTests", dependencies: ["Styles", "Encode", "Composite", "Layout", "Highlight", "AtlasCore", "Compare"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "Styles", "Contexts", "Compare", "Graphics", "Encode", "Composite", "CTIFF"]),
        .testTarget(name: "BatchTests", dependencies: ["Batch", "Pipeline", "Styles", "Encode", "Graphics"]),
    ],
    swiftLanguageModes: [.v5]
)
