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
        // zlib: gzip inputs (`.jsonl.gz` exports), streamed.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLibTIFF", pkgConfig: "libtiff-4", providers: [.apt(["libtiff-dev"])]),
        // libpng reports errors with longjmp, which Swift cannot catch: a small C codec keeps it in C.
        // Reading the common 8-bit RGB/RGBA case inflates with libdeflate (2-3x zlib's speed).
        // Writing deflates pieces of the image data with zlib directly (libpng's own dependency).
        .target(name: "CPNG", dependencies: ["CLibPNG", "CLibDeflate"], linkerSettings: [.linkedLibrary("z")]),
        // libtiff's tag setter is variadic (not callable from Swift): a small C writer.
        .target(name: "CTIFF", dependencies: ["CLibTIFF"]),
        // Inflates deflated `.npz` members as a stream.
        // The selection scan's dot-product kernels (AVX2/F16C with a scalar twin that adds in the same order).
        .target(name: "CScan"),

        // Shared vocabulary: colours, seeded randomness, hashing, images, settings checks.
        .target(name: "AtlasCore"),
        // The thin layer over Cairo, Pango and libpng.
        .target(name: "Graphics", dependencies: ["AtlasCore", "CCairo", "CPango", "CPNG", "CTIFF"]),

        // Pipeline stages.
        .target(name: "Contexts", dependencies: ["AtlasCore", "CZlib"]),
        .target(name: "Highlight", dependencies: ["AtlasCore", "Contexts"]),
        .target(name: "Layout", dependencies: ["AtlasCore"]),
        .target(name: "Decode", dependencies: ["AtlasCore", "Graphics"]),
        .target(name: "Composite", dependencies: ["AtlasCore", "Graphics"]),
        .target(name: "Encode", dependencies: ["AtlasCore", "Graphics", "Composite"]),
        .target(name: "Compare", dependencies: ["AtlasCore", "Graphics"]),
        // `atlas select`: embedding matrices (.npy, .npz, .safetensors), a direction, the top-K scan, the histogram.
        .target(name: "Select", dependencies: ["AtlasCore", "Graphics", "Contexts", "CScan", "CZlib"]),
        .target(name: "Styles", dependencies: [
            "AtlasCore", "Contexts", "Highlight", "Layout", "Decode", "Composite", "Encode", "Compare", "Select", "Browser",
            .product(name: "Yams", package: "Yams"),
        ]),
        // The region plan an outside painter (a diffusion model) paints, and its painting coming back.
        .target(name: "Plan", dependencies: ["AtlasCore", "Graphics", "Decode"]),
        .target(name: "Pipeline", dependencies: [
            "AtlasCore", "Contexts", "Highlight", "Layout", "Decode", "Composite", "Encode", "Styles",
            "Graphics", "Plan", "Browser",
        ]),
        // The static pages: the data browser per atlas, the index page, the verify report.
        .target(name: "Browser", dependencies: ["AtlasCore", "Encode", "Graphics"]),
        // `atlas batch` and `atlas index`: many latents, parallel, incremental, sharded.
        .target(name: "Batch", dependencies: [
            "Pipeline", "Styles", "Contexts", "Encode", "Graphics", "AtlasCore", "Plan", "Select", "Browser",
            .product(name: "Yams", package: "Yams"),
        ]),
        .executableTarget(name: "AtlasCLI", dependencies: [
            "Pipeline", "Styles", "Compare", "AtlasCore", "Encode", "Graphics", "Batch", "Plan", "Select", "Browser",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Benchmarks: `make bench` (release build).
        .executableTarget(name: "AtlasBenchmarks", dependencies: [
            "Pipeline", "Layout", "Decode", "Composite", "Compare", "Graphics", "AtlasCore", "Styles",
            "Batch", "Encode", "Select", "Browser",
        ], path: "Benchmarks/AtlasBenchmarks"),

        // Tests mirror the sources. `make test` builds them optimised (`swift test -c release
        // -Xswiftc -enable-testing`): the SIMD loops are ~100x slower unoptimised.
        .testTarget(name: "AtlasCoreTests", dependencies: ["AtlasCore"]),
        .testTarget(name: "GraphicsTests", dependencies: ["Graphics", "AtlasCore", "CPNG", "CTIFF"]),
        .testTarget(name: "ContextsTests", dependencies: ["Contexts"]),
        .testTarget(name: "HighlightTests", dependencies: ["Highlight", "Contexts"]),
        .testTarget(name: "LayoutTests", dependencies: ["Layout", "AtlasCore"]),
        .testTarget(name: "DecodeTests", dependencies: ["Decode", "AtlasCore"]),
        .testTarget(name: "CompareTests", dependencies: ["Compare", "AtlasCore", "Graphics"]),
        .testTarget(name: "CompositeTests", dependencies: ["Composite", "Graphics", "AtlasCore"]),
        .testTarget(name: "EncodeTests", dependencies: ["Encode"]),
        .testTarget(name: "StylesTests", dependencies: ["Styles", "Encode", "Layout", "Compare"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "Styles", "Contexts", "Compare", "Graphics", "Encode", "Composite", "CTIFF", "Layout", "AtlasCore"]),
        .testTarget(name: "PlanTests", dependencies: ["Plan", "Pipeline", "Batch", "Styles", "Graphics", "AtlasCore"]),
        .testTarget(name: "SelectTests", dependencies: ["Select", "CScan", "CZlib", "Contexts", "Graphics", "AtlasCore"]),
        .testTarget(name: "BrowserTests", dependencies: ["Browser", "Encode", "AtlasCore", "Graphics"]),
        .testTarget(name: "BatchTests", dependencies: ["Batch", "Pipeline", "Styles", "Encode", "Graphics"]),
        // Runs an installed copy of the `atlas` executable from elsewhere (the dependency builds it).
        // Imports nothing: it runs the built `atlas` binary, which this dependency makes sure is built.
        .testTarget(name: "AtlasCLITests", dependencies: ["AtlasCLI"]),
    ],
    swiftLanguageModes: [.v5]
)
