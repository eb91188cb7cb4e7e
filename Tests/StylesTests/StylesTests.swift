import Foundation
import Testing
@testable import Styles
import Encode

/// The presets found from the test runner, as the installed binary finds its own (the checkout's `Styles/`).
private let shippedStyles = StyleLibrary.shippedDirectory ?? "(no Styles folder found from the test runner)"

/// A library over a fresh folder holding `files` plus the real base style.
private func library(_ files: [String: String]) throws -> StyleLibrary {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atlas-styles-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    for (name, text) in files { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
    return StyleLibrary(directories: [dir.path, shippedStyles])
}

private func loadError(_ lib: StyleLibrary, _ name: String, overrides: [String] = []) -> StyleError? {
    do {
        _ = try lib.load(name, overrides: overrides)
        return nil
    } catch {
        return error as? StyleError
    }
}

@Suite("Styles")
struct StylesTests {
    @Test func everyPresetLoadsAndValidates() throws {
        let lib = StyleLibrary(directories: [shippedStyles])
        let names = lib.presets().map(\.name)
        #expect(names.contains("preview") && names.contains("gallery") && names.contains("exhibition"))
        for name in names {
            let style = try lib.load(name)
            #expect(!style.description.isEmpty)
        }
    }

    @Test func extendsInheritsAndOverrides() throws {
        let lib = StyleLibrary(directories: [shippedStyles])
        let exhibition = try lib.load("exhibition")
        #expect(exhibition.settings.canvas.width == 8192)
        #expect(exhibition.settings.output.formats == [.png, .pdf, .html])   // from gallery
        #expect(exhibition.settings.output.bitDepth == 16)            // its own
        #expect(exhibition.settings.palette.highlight.hex == "#e4572e") // from the base
        #expect(exhibition.files.map { ($0 as NSString).lastPathComponent } == ["_base.yaml", "gallery.yaml", "exhibition.yaml"])
    }

    @Test func setOverridesWinAndChangeTheHash() throws {
        let lib = StyleLibrary(directories: [shippedStyles])
        let plain = try lib.load("preview")
        let changed = try lib.load("preview", overrides: ["canvas.width=512", "output.formats=[png, svg]", "palette.highlight=#00ff00"])
        #expect(changed.settings.canvas.width == 512)
        #expect(changed.settings.output.formats == [.png, .svg])
        #expect(changed.settings.palette.highlight.hex == "#00ff00")
        #expect(plain.hash != changed.hash)
        #expect(try lib.load("preview").hash == plain.hash)
    }

    @Test func unknownKeyNamesFileLineAndSuggests() throws {
        let lib = try library(["typo.yaml": "extends: _base\ncanvas:\n  widht: 100\n"])
        let e = loadError(lib, "typo")
        guard case let .unknownKey(origin, key, suggestion) = e else { Issue.record("got \(String(describing: e))"); return }
        #expect(origin.file.hasSuffix("typo.yaml") && origin.line == 3)
        #expect(key == "canvas.widht" && suggestion == "canvas.width")
        #expect(e!.description.hasSuffix("typo.yaml:3: unknown style key 'canvas.widht'; did you mean 'canvas.width'?"))
    }

    @Test func unknownSectionAndOverrideKeys() throws {
        let lib = StyleLibrary(directories: [shippedStyles])
        let e = loadError(lib, "preview", overrides: ["cirlce.show=false"])
        guard case let .unknownKey(origin, key, suggestion) = e else { Issue.record("got \(String(describing: e))"); return }
        #expect(origin.file == "--set cirlce.show=false" && key == "cirlce" && suggestion == "circle")
    }

    @Test func outOfRangeNamesTheAllowedRange() throws {
        let lib = try library(["big.yaml": "extends: _base\ncircle:\n  opacity: 1.5\n"])
        let e = loadError(lib, "big")
        #expect(e?.description.hasSuffix("big.yaml:3: style key 'circle.opacity' 1.5 is out of range; allowed 0.0…1.0.") == true)
        let viaSet = loadError(StyleLibrary(directories: [shippedStyles]), "preview", overrides: ["output.bit_depth=12"])
        #expect(viaSet?.description == "--set output.bit_depth=12: style key 'output.bit_depth' is 12; allowed 8 or 16.")
    }

    @Test func choicesListTheAllowedValuesWithADidYouMean() throws {
        let lib = StyleLibrary(directories: [shippedStyles])
        let mode = loadError(lib, "preview", overrides: ["layout.mode=umapp"])
        #expect(mode?.description == "--set layout.mode=umapp: style key 'layout.mode' is 'umapp'; expected one of constrained, umap, given; did you mean 'umap'?")
        let layer = loadError(lib, "preview", overrides: ["layers=[painting, edgs]"])
        #expect(layer?.description.contains("is 'edgs'; expected one of painting, heatmap, edges, circle, typography, furniture; did you mean 'edges'?") == true)
        let filter = try library(["f.yaml": "extends: _base\noutput:\n  filter: zigzag\n"])
        #expect(loadError(filter, "f")?.description.hasSuffix("f.yaml:3: style key 'output.filter' is 'zigzag'; expected one of adaptive, none, sub, up, average, paeth.") == true)
    }

    @Test func wrongTypesAreNamed() throws {
        let lib = try library(["t.yaml": "extends: _base\ncanvas:\n  width: wide\npalette:\n  ink: blue\n"])
        let e = loadError(lib, "t")
        guard case let .wrongType(origin, key, expected, _) = e else { Issue.record("got \(String(describing: e))"); return }
        #expect(origin.line == 3 && key == "canvas.width" && expected == "a whole number")
        let colour = try library(["c.yaml": "extends: _base\npalette:\n  ink: blue\n"])
        let ce = loadError(colour, "c")
        #expect(ce?.description.contains("c.yaml:3: style key 'palette.ink' is 'blue'; expected #rrggbb or #rrggbbaa") == true)
    }

    @Test func missingKeysAndCyclesAndUnknownStyles() throws {
        let lib = try library(["lone.yaml": "description: no base\nseed: 1\n", "a.yaml": "extends: b\n", "b.yaml": "extends: a\n"])
        guard case .missingKey = loadError(lib, "lone") else { Issue.record("expected a missing key"); return }
        guard case .extendsCycle = loadError(lib, "a") else { Issue.record("expected a cycle"); return }
        let e = loadError(StyleLibrary(directories: [shippedStyles]), "galery")
        guard case let .notFound(_, _, suggestion) = e else { Issue.record("got \(String(describing: e))"); return }
        #expect(suggestion == "gallery")
    }

    @Test func invalidYAMLAndBadOverrides() throws {
        let lib = try library(["y.yaml": "extends: _base\ncanvas: [1, 2\n", "d.yaml": "extends: _base\nseed: 1\nseed: 2\n"])
        guard case .invalidYAML = loadError(lib, "y") else { Issue.record("expected invalid YAML"); return }
        let dup = loadError(lib, "d")
        #expect(dup?.description.contains("key 'seed' appears twice") == true)
        guard case .badOverride = loadError(lib, "_base", overrides: ["noequals"]) else { Issue.record("expected a bad override"); return }
    }
}
