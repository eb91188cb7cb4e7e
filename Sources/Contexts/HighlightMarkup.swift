/// Inline highlight markup: `{word}` or `{{several words}}` in a context's text marks what drives
/// the activation. Parsing removes the braces and keeps the marked character ranges.
public enum HighlightMarkup {
    public struct Parsed: Equatable {
        public var text: String
        public var spans: [Range<Int>]
        /// Set when braces do not pair up; the text is then kept as written.
        public var unbalanced: Bool
    }

    public static func parse(_ marked: String) -> Parsed {
        guard marked.contains("{") || marked.contains("}") else { return Parsed(text: marked, spans: [], unbalanced: false) }
        var text = ""
        var spans: [Range<Int>] = []
        var count = 0
        var chars = Array(marked)[...]
        while let c = chars.first {
            if c == "{" {
                let double = chars.dropFirst().first == "{"
                let open = double ? 2 : 1
                let close = String(repeating: "}", count: open)
                let rest = String(chars.dropFirst(open))
                guard let end = rest.range(of: close) else { return Parsed(text: marked, spans: [], unbalanced: true) }
                let inner = String(rest[rest.startIndex..<end.lowerBound])
                if inner.isEmpty || inner.contains("{") || inner.contains("}") { return Parsed(text: marked, spans: [], unbalanced: true) }
                spans.append(count..<(count + inner.count))
                text += inner
                count += inner.count
                chars = chars.dropFirst(open + inner.count + open)
            } else if c == "}" {
                return Parsed(text: marked, spans: [], unbalanced: true)
            } else {
                text.append(c)
                count += 1
                chars = chars.dropFirst()
            }
        }
        return Parsed(text: text, spans: spans, unbalanced: false)
    }

    /// Writes `{{…}}` around the given character ranges of `text`.
    public static func mark(_ text: String, spans: [Range<Int>]) -> String {
        var out = ""
        let chars = Array(text)
        var i = 0
        for span in spans.sorted(by: { $0.lowerBound < $1.lowerBound }) where span.lowerBound >= i && span.upperBound <= chars.count {
            out += String(chars[i..<span.lowerBound]) + "{{" + String(chars[span]) + "}}"
            i = span.upperBound
        }
        return out + String(chars[i...])
    }
}
