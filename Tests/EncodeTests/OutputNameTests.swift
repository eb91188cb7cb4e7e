import Encode
import Testing

@Suite("Output names")
struct OutputNameTests {
    @Test func rejectsNamesThatNameNothing() {
        #expect(throws: OutputNameError.containsNUL(name: "a\0b")) { try OutputName.stem(for: "a\0b") }
        #expect(throws: OutputNameError.blank(name: "")) { try OutputName.stem(for: "") }
        #expect(throws: OutputNameError.blank(name: " \t ")) { try OutputName.stem(for: " \t ") }
        #expect(OutputNameError.blank(name: "").description.contains("is empty; give the latent a name"))
    }

    @Test func keepsLettersOfEveryScriptInNFC() throws {
        #expect(try OutputName.stem(for: "旗") == "旗")
        #expect(try OutputName.stem(for: "Café Noir") == "café-noir")
        // A decomposed é (e + combining acute) names the same files as the composed one.
        #expect(try OutputName.stem(for: "Cafe\u{301}") == OutputName.stem(for: "Caf\u{e9}"))
        #expect(try OutputName.stem(for: "gemma-2-2b-20-gemmascope-res-16k-12082") == "gemma-2-2b-20-gemmascope-res-16k-12082")
        #expect(try OutputName.stem(for: "My Latent!") == "my-latent")
    }

    @Test func separatorsControlsAndDotsNeverEscapeOrHide() throws {
        for name in [".", "..", "...", "../../etc/passwd", "/abs/path", "a\\b", ".hidden", "-dash", "tab\there", "line\nbreak"] {
            let stem = try OutputName.stem(for: name)
            #expect(!stem.isEmpty && !stem.hasPrefix(".") && !stem.hasPrefix("-"), "\(name) → \(stem)")
            #expect(!stem.contains("/") && !stem.contains("\\") && !stem.unicodeScalars.contains { $0.properties.generalCategory == .control })
        }
        #expect(try OutputName.stem(for: ".hidden") == "hidden")
        #expect(try OutputName.stem(for: "../../etc/passwd") == "etc-passwd")
    }

    @Test func namesWithNothingLeftStayDistinct() throws {
        let flag = try OutputName.stem(for: "🚩"), other = try OutputName.stem(for: "🏁")
        #expect(flag.hasPrefix("latent-") && other.hasPrefix("latent-") && flag != other)
        #expect(try OutputName.stem(for: "🚩") == flag)   // deterministic
    }

    @Test func longNamesAreCappedInBytesAndStayDistinct() throws {
        let a = String(repeating: "旗", count: 200) + "a", b = String(repeating: "旗", count: 200) + "b"
        let sa = try OutputName.stem(for: a), sb = try OutputName.stem(for: b)
        #expect(sa.utf8.count <= OutputName.maximumBytes && sb.utf8.count <= OutputName.maximumBytes)
        #expect(sa != sb)
        #expect(try OutputName.stem(for: String(repeating: "x", count: 160)) == String(repeating: "x", count: 160))
        #expect(try OutputName.stem(for: String(repeating: "x", count: 161)).utf8.count == OutputName.maximumBytes)
    }

    @Test func findsCollisionsBeforeRendering() throws {
        let c = try #require(try OutputName.collision(among: ["Sea Light", "other", "sea-light"]))
        #expect(c.first == "Sea Light" && c.second == "sea-light" && c.stem == "sea-light")
        #expect(try OutputName.collision(among: ["旗", "🚩", "🏁"]) == nil)
    }
}
