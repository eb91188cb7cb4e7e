import Foundation
import Testing
@testable import AtlasCore

/// Strings an attacker would put in a context's text, id, title or a file name.
let hostileStrings = [
    "<script>document.title='PWNED'</script>", "\" onerror=\"document.title='PWNED'\" x=\"", "' onmouseover='alert(1)'",
    "javascript:alert(1)", "</script><script>alert(1)</script>", "<!--", "{{constructor.constructor('alert(1)')()}}",
    "${alert(1)}", "\u{202E}evil\u{202C}", "zero\u{200B}width\u{200D}joiner", "\u{FFFD}", "a&amp;b", "`backtick`",
    "line\u{2028}separator\u{2029}", "<img src=x onerror=alert(1)>", "..", ".", "a/b\\c?d#e", "\u{0}nul",
]

@Test func htmlTextLeavesNoMarkupCharacters() {
    for s in hostileStrings {
        let e = Escaping.htmlText(s)
        #expect(!e.contains("<") && !e.contains(">") && !e.contains("\"") && !e.contains("'"), "\(s) → \(e)")
    }
    #expect(Escaping.htmlText("a<b>&\"'") == "a&lt;b&gt;&amp;&quot;&#39;")
    #expect(Escaping.htmlText("旗 \u{202E}") == "旗 \u{202E}")
}

@Test func htmlAttributeCannotCloseTheAttribute() {
    for s in hostileStrings {
        let e = Escaping.htmlAttribute(s)
        #expect(!e.contains("\"") && !e.contains("'") && !e.contains("<") && !e.contains("=") && !e.contains("`"), "\(s) → \(e)")
    }
}

@Test func urlPathComponentIsPercentEncodedAndNeverAScheme() {
    #expect(Escaping.urlPathComponent("javascript:alert(1)") == "javascript%3Aalert%281%29")
    #expect(Escaping.urlPathComponent("y\" onerror=\"x.png") == "y%22%20onerror%3D%22x.png")
    #expect(Escaping.urlPathComponent("旗.png") == "%E6%97%97.png")
    #expect(Escaping.urlPathComponent("..") == "%2E%2E")
    #expect(Escaping.urlPathComponent(".") == "%2E")
    #expect(Escaping.urlPath(["a b", "c/d.png"]) == "a%20b/c%2Fd.png")
    for s in hostileStrings {
        let e = Escaping.urlPathComponent(s)
        #expect(e.unicodeScalars.allSatisfy { $0.isASCII && !":/?#\"'<> ".unicodeScalars.contains($0) }, "\(s) → \(e)")
        // Decoding gives the name back.
        #expect(e.removingPercentEncoding == s || s == "." || s == "..", "\(s)")
    }
}

@Test func jsonForScriptParsesToTheSameValueAndCannotEndTheElement() throws {
    let data = try JSONEncoder().encode(hostileStrings)
    let safe = Escaping.jsonForScript(String(decoding: data, as: UTF8.self))
    #expect(!safe.contains("<") && !safe.contains(">") && !safe.contains("&"))
    #expect(!safe.unicodeScalars.contains("\u{2028}") && !safe.unicodeScalars.contains("\u{2029}"))
    let back = try JSONDecoder().decode([String].self, from: Data(safe.utf8))
    #expect(back == hostileStrings)
}

@Test func cssStringEscapesEverythingButPlainNames() {
    #expect(Escaping.cssString("Inter") == "\"Inter\"")
    #expect(Escaping.cssString("Noto Sans") == "\"Noto Sans\"")
    let e = Escaping.cssString("x\"}</style><script>")
    #expect(!e.dropFirst().dropLast().contains("\"") && !e.contains("<") && !e.contains("}"))
}

@Test func sha256MatchesTheStandardVectors() {
    #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    #expect(SHA256.hex(String(repeating: "a", count: 1000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    #expect(SHA256.base64("abc") == "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=")
}
