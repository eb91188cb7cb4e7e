import AtlasCore
import Foundation

/// `index.html` of a folder of renders: every poster as a thumbnail, searchable by id, title and
/// explanation, each linking to its own data browser page (one page per latent, so thousands of
/// latents stay fast). The list is plain escaped HTML; the script only hides what does not match.
public struct IndexPage: Sendable {
    public struct Entry: Sendable, Equatable {
        public var latent: String
        public var title: String?
        public var explanation: String?
        public var subtitle: String
        public var contexts: Int
        /// The latent's page (or image), relative to the index.
        public var link: String?
        /// Its thumbnail, relative to the index (`thumbnails/<name>.png`).
        public var thumbnail: String?

        public init(latent: String, title: String?, explanation: String?, subtitle: String, contexts: Int, link: String?, thumbnail: String?) {
            self.latent = latent; self.title = title; self.explanation = explanation; self.subtitle = subtitle
            self.contexts = contexts; self.link = link; self.thumbnail = thumbnail
        }
    }

    public static let fileName = "index.html"

    public var title: String
    public var entries: [Entry]

    public init(title: String, entries: [Entry]) {
        self.title = title
        self.entries = entries
    }

    /// A relative path of `/`-separated file names, each percent-encoded.
    static func url(_ path: String) -> String {
        Escaping.urlPath(path.split(separator: "/", omittingEmptySubsequences: false).map(String.init))
    }

    public func html() throws -> String {
        let t = Escaping.htmlText, a = Escaping.htmlAttribute
        var body = """
        <header><h1>\(t(title))</h1>
        <label for="search">Search id, title or explanation</label> <input id="search" type="search" autocomplete="off" spellcheck="false">
        <span id="count">\(entries.count) latents</span></header>
        <ul id="posters">
        """
        for e in entries {
            body += "<li data-latent=\"\(a(e.latent))\">"
            let inner = (e.thumbnail.map { "<img src=\"\(a(Self.url($0)))\" alt=\"\" loading=\"lazy\" width=\"160\" height=\"160\">" } ?? "<span class=\"none\"></span>")
                + "<b>\(t(e.latent))</b>"
            body += e.link.map { "<a href=\"\(a(Self.url($0)))\">\(inner)</a>" } ?? inner
            if let title = e.title { body += "<span class=\"title\">\(t(title))</span>" }
            if !e.subtitle.isEmpty { body += "<span class=\"sub\">\(t(e.subtitle))</span>" }
            if let x = e.explanation, x != e.title { body += "<span class=\"sub\">\(t(x))</span>" }
            body += "<span class=\"sub\">\(e.contexts) contexts</span></li>\n"
        }
        body += "</ul>"
        let haystack = entries.map { [$0.latent, $0.title ?? "", $0.explanation ?? "", $0.subtitle].joined(separator: "\n").lowercased() }
        let json = String(decoding: try JSONEncoder().encode(haystack), as: UTF8.self)
        return HTMLDocument(title: title, stylesheet: Self.stylesheet, script: Self.script, data: [("index-data", json)], body: body).html()
    }

    static let stylesheet = """
    body{margin:0;padding:16px 24px;background:#f4efe6;color:#1d1b19;font:14px/1.4 Inter,system-ui,sans-serif}
    h1{font-size:20px;margin:0 0 8px}header{margin-bottom:14px}
    #search{font:inherit;padding:4px 8px;width:min(420px,90vw);border:1px solid #8a8580;border-radius:4px;background:#fffdf8}
    #count{margin-left:8px;opacity:.7;font-size:12px}
    #posters{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(176px,1fr));gap:14px}
    #posters li{display:flex;flex-direction:column;gap:2px;unicode-bidi:isolate;overflow-wrap:anywhere}
    #posters a{color:inherit;text-decoration:none;display:flex;flex-direction:column;gap:4px}
    #posters img,.none{width:160px;height:160px;object-fit:contain;background:#e9e3d8;border-radius:4px}
    a:focus-visible{outline:3px solid #e4572e;outline-offset:2px}
    .title{font-size:13px}.sub{font-size:12px;opacity:.7}
    """

    static let script = """
    "use strict";
    (function () {
      const hay = JSON.parse(document.getElementById("index-data").textContent);
      const items = [...document.querySelectorAll("#posters li")], box = document.getElementById("search"), count = document.getElementById("count");
      box.addEventListener("input", () => {
        const q = box.value.trim().toLowerCase();
        let n = 0;
        items.forEach((li, i) => { const show = !q || hay[i].includes(q); li.hidden = !show; if (show) n++; });
        count.textContent = q ? n + " of " + items.length + " latents" : items.length + " latents";
      });
      document.documentElement.dataset.ready = "1";
    })();
    """
}
