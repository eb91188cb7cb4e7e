import AtlasCore
import Encode
import Foundation
import Graphics
import Testing
@testable import Browser

let hostile = [
    "<script>document.title='PWNED'</script>", "\" onerror=\"document.title='PWNED'\" x=\"", "</script><script>alert(1)</script>",
    "javascript:alert(1)", "{{constructor.constructor('alert(1)')()}}", "${alert(1)}", "\u{202E}evil", "zero\u{200B}width",
    "<!--", "line\u{2028}sep", "<img src=x onerror=alert(1)>", "\u{FFFD}",
]

func hostileManifest() -> Manifest {
    let contexts = hostile.enumerated().map { i, s in
        Manifest.ContextEntry(id: "id-\(i)-\(s)", score: 1 - Double(i) * 0.05, position: [0.1, 0.2], radius: 0.05, cluster: i % 2,
                              markedText: "before \(s) {{glowing}} after", centerPx: [100 + Double(i), 120], radiusPx: 10,
                              highlighted: [.init(word: "glowing", weight: 0.75, boxes: [[90, 110, 20, 8]])])
    }
    return Manifest(fingerprint: "f", input: .init(path: hostile[3], hash: "h", format: "jsonl"),
                    latent: .init(name: "x", title: hostile[0], model: hostile[1], layer: hostile[2], index: hostile[6], description: hostile[4]),
                    style: .init(name: "preview", hash: "s", overrides: []), seed: 1,
                    canvas: .init(width: 256, height: 256, dpi: 72, widthCentimetres: 1, heightCentimetres: 1), outputs: ["x.png"],
                    warnings: [], contexts: contexts, timings: [:])
}

func page(_ m: Manifest = hostileManifest()) -> BrowserPage {
    var m = m
    m.atlas = .init(center: [128, 128], radius: 110)
    m.clusters = [.init(id: 0, label: hostile[10], color: "#264653"), .init(id: 1, label: hostile[0], color: "#2a9d8f")]
    return BrowserPage(manifest: m, look: .init(background: "#f4efe6", ink: "#1d1b19", highlight: "#e4572e", fontFamily: "x\"}</style>"),
                       picture: .image(file: "y\" onerror=\"a.png"), downloads: ["javascript:alert(1).pdf"])
}

/// The text between `open` and the next `</script>`.
func between(_ s: String, _ open: String) -> String? {
    guard let a = s.range(of: open), let b = s[a.upperBound...].range(of: "</script>") else { return nil }
    return String(s[a.upperBound..<b.lowerBound])
}

@Test func hostileStringsNeverReachTheMarkupRaw() throws {
    let html = try page().html()
    for s in hostile where s.contains("<") || s.contains("\"") {
        #expect(!html.contains(s), "raw: \(s)")
    }
    #expect(!html.contains("onerror=\""))
    #expect(!html.contains("href=\"javascript:"))
    #expect(html.contains("href=\"javascript%3Aalert%281%29.pdf\""))
    // Exactly two script elements: the inline JSON and the page's own script.
    #expect(html.components(separatedBy: "<script").count == 3)
    #expect(html.contains("<title>&lt;script&gt;document.title&#61;") == false)
    #expect(html.contains("<title>&lt;script&gt;document.title=&#39;PWNED&#39;&lt;/script&gt; — x</title>"))
}

@Test func inlineJSONParsesBackToTheSameStrings() throws {
    let html = try page().html()
    let json = try #require(between(html, "<script type=\"application/json\" id=\"atlas-data\">"))
    #expect(!json.contains("<") && !json.contains(">") && !json.contains("&"))
    let data = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    let contexts = try #require(data["contexts"] as? [[String: Any]])
    #expect(contexts.map { $0["id"] as? String } == hostile.indices.map { "id-\($0)-\(hostile[$0])" })
    let runs = try #require(contexts[0]["runs"] as? [[Any]])
    #expect(runs.count == 3 && runs[1][0] as? String == "glowing" && runs[1][1] as? Double == 0.75 && runs[0][1] is NSNull)
    let picture = try #require(data["picture"] as? [String: Any])
    #expect(picture["src"] as? String == "y%22%20onerror%3D%22a.png")
}

@Test func theCSPAllowsExactlyThePagesOwnScriptAndStyle() throws {
    let p = page()
    let html = try p.html()
    let script = try #require(between(html, "<script>"))
    #expect(script == BrowserScript.source)
    let csp = HTMLDocument(title: "", stylesheet: p.stylesheet, script: BrowserScript.source, body: "").contentSecurityPolicy
    #expect(csp.contains("script-src 'sha256-\(SHA256.base64(script))'"))
    #expect(csp.hasPrefix("default-src 'none'") && !csp.contains("unsafe"))
    #expect(html.contains(Escaping.htmlAttribute(csp)))
    // The style's font family cannot end the stylesheet.
    #expect(!p.stylesheet.contains("</style>"))
}

@Test func rankRunsAndGeometryFollowTheManifest() {
    let data = page().pageData()
    #expect(data.contexts.map(\.rank) == Array(1...hostile.count))
    #expect(data.contexts[3].x == 103 && data.contexts[3].r == 10)
    var old = hostileManifest()
    for i in old.contexts.indices { old.contexts[i].centerPx = nil; old.contexts[i].radiusPx = nil }
    let fromUnitDisc = page(old).pageData()
    // An older manifest: unit-disc positions (y up) mapped onto the atlas disc.
    #expect(abs(fromUnitDisc.contexts[0].x - (128 + 0.1 * 110)) < 1e-9 && abs(fromUnitDisc.contexts[0].y - (128 - 0.2 * 110)) < 1e-9)
    #expect(abs(fromUnitDisc.contexts[0].r - 5.5) < 1e-9)
}

@Test func histogramCountsEveryScore() {
    let h = BrowserPage.Histogram.of(scores: [0, 0.5, 1, 1, 0.25], bins: 4)
    #expect(h.counts == [1, 1, 1, 2] && h.low == 0 && h.high == 1)
    #expect(BrowserPage.Histogram.of(scores: [3, 3], bins: 4).counts.reduce(0, +) == 2)
}

@Test func verifyReportEscapesNamesAndEncodesImageURLs() {
    let name = "y\" onerror=\"document.title='PWNED'\" b=\".png"
    let html = VerifyReport(failures: [.init(name: name, message: "<b>3 pixels</b>", folder: "y\" onerror=\"document.title='PWNED'\" b=\"")]).html()
    #expect(!html.contains("onerror=\""))
    #expect(html.contains("src=\"y%22%20onerror%3D%22document.title%3D%27PWNED%27%22%20b%3D%22/reference.png\""))
    #expect(html.contains("&lt;b&gt;3 pixels&lt;/b&gt;"))
    #expect(html.contains("script-src 'none'") || html.contains("script-src &#39;none&#39;"))
    #expect(!html.contains("<script"))
}

@Test func indexPageEscapesAndLinksEachLatent() throws {
    let html = try IndexPage(title: "2 atlases", entries: [
        .init(latent: "<script>x</script>", title: hostile[1], explanation: nil, subtitle: "", contexts: 3,
              link: "<script>x</script>.html", thumbnail: "thumbnails/a b.png"),
        .init(latent: "plain", title: nil, explanation: "javascript:alert(1)", subtitle: "m · layer 1", contexts: 1, link: nil, thumbnail: nil),
    ]).html()
    #expect(!html.contains("<script>x") && !html.contains("onerror=\""))
    #expect(html.contains("href=\"%3Cscript%3Ex%3C/script%3E.html\"") && html.contains("src=\"thumbnails/a%20b.png\""))
    #expect(html.components(separatedBy: "<script").count == 3)
}

@Test func aPartnerPageIsLinkedAndSharedContextsAreFlagged() throws {
    var p = page()
    p.partner = .init(page: "other \"b\".html", latent: "<b>other</b>",
                      counterparts: ["id-0-\(hostile[0])": "there-0", "id-2-\(hostile[2])": "there-\(hostile[3])"])
    let data = p.pageData()
    #expect(data.contexts.map(\.shared) == hostile.indices.map { $0 == 0 ? "there-0" : $0 == 2 ? "there-\(hostile[3])" : nil })
    let html = try p.html()
    #expect(html.contains("href=\"other%20%22b%22.html\"") && html.contains("&lt;b&gt;other&lt;/b&gt;") && html.contains("2 context(s) in both"))
}
