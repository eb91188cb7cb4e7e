// swift-tools-version:6.0
import PackageDescription

// One library module per pipeline stage; `Graphics` is the only module that imports the C libraries.
let package = Package(
    name: "LatentAtlas",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "atlas", targets: ["AtlasCLI"]),
        .library(name: "Pipeline", targets: ["Pipeline"]),
    ],
    dependencies: [
        // Exact versions, so a fresh clone builds what was tested (Package.resolved is not committed).
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "5.0.1"),
    ],
    targets: [
        // C libraries (Debian -dev packages).
        .systemLibrary(name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev"])]),
        .systemLibrary(name: "CPango", pkgConfig: "pangocairo", providers: [.apt(["libpango1.0-dev"])]),
        .systemLibrary(name: "CLibPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CLibDeflate", pkgConfig: "libdeflate", providers: [.apt(["libdeflate-dev"])]),
        // libpng reports errors with longjmp, which Swift cannot catch: a small C codec keeps it in C.
        // Reading the common 8-bit RGB/RGBA case inflates with libdeflate (2-3x zlib's speed).
        .target(name: "CPNG", dependencies: ["CLibPNG", "CLibDeflate"]),

        // Shared vocabulary: colours, seeded randomness, hashing, images, settings checks.
        .target(name: "AtlasCore"),
        // The thin layer over Cairo, Pango and libpng.
        .target(name: "Graphics", dependencies: ["AtlasCore", "CCairo", "CPango", "CPNG"]),

        // Pipeline stages.
        .target(name: "Contexts", dependencies: ["AtlasCore"]),
        .target(name: "Highlight", dependencies: ["AtlasCore", "Contexts"]),
        .target(name: "Layout", dependencies: ["AtlasCore"]),
        .target(name: "Decode", dependencies: ["AtlasCore", "Graphics"]),
        .target(name: "Composite", dependencies: ["AtlasCore", "Graphics"]),
        .target(name: "Encode", dependencies: ["AtlasCore", "Graphics", "Composite"]),
        .target(name: "Compare", dependencies: ["AtlasCore", "Graphics"]),
        .target(name: "Styles", dependencies: [
            "AtlasCore", "Highlight", "Layout", "Decode", "Composite", "Encode", "Compare",
            .product(name: "Yams", package: "Yams"),
        ]),
        .target(name: "Pipeline", dependencies: [
            "AtlasCore", "Contexts", "Highlight", "Layout", "Decode", "Composite", "Encode", "Styles", "Graphics",
        ]),
        // `atlas batch` and `atlas index`: many latents, parallel, incremental, sharded.
        .target(name: "Batch", dependencies: [
            "Pipeline", "Styles", "Encode", "Graphics", "AtlasCore",
            .product(name: "Yams", package: "Yams"),
        ]),
        .executableTarget(name: "AtlasCLI", dependencies: [
            "Pipeline", "Styles", "Compare", "AtlasCore", "Encode", "Graphics", "Batch",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Benchmarks: `make bench` (release build).
        .executableTarget(name: "AtlasBenchmarks", dependencies: [
            "Layout", "Decode", "Composite", "Compare", "Graphics", "AtlasCore", "Styles", "Batch",
        ], path: "Benchmarks/AtlasBenchmarks"),

        // Tests mirror the sources. `make test` builds them optimised (`swift test -c release
        // -Xswiftc -enable-testing`): the SIMD loops are ~100x slower unoptimised.
        .testTarget(name: "AtlasCoreTests", dependencies: ["AtlasCore"]),
        .testTarget(name: "GraphicsTests", dependencies: ["Graphics", "AtlasCore"]),
        .testTarget(name: "ContextsTests", dependencies: ["Contexts"]),
        .testTarget(name: "HighlightTests", dependencies: ["Highlight", "Contexts"]),
        .testTarget(name: "LayoutTests", dependencies: ["Layout", "AtlasCore"]),
        .testTarget(name: "DecodeTests", dependencies: ["Decode", "AtlasCore", "Graphics"]),
        .testTarget(name: "CompareTests", dependencies: ["Compare", "AtlasCore"]),
        .testTarget(name: "CompositeTests", dependencies: ["Composite", "Graphics", "AtlasCore"]),
        .testTarget(name: "StylesTests", dependencies: ["Styles", "Encode", "Layout", "Decode"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "Styles", "Contexts", "Compare", "Graphics", "Encode", "AtlasCore"]),
        .testTarget(name: "BatchTests", dependencies: ["Batch", "Pipeline", "Styles", "Encode", "Graphics"]),
        // Runs an installed copy of the `atlas` executable from elsewhere (the dependency builds it).
        .testTarget(name: "AtlasCLITests", dependencies: ["AtlasCLI"]),
    ],
    swiftLanguageModes: [.v5]
)
