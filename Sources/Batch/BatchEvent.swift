import Foundation

/// What happens during a batch, as observers see it. A latent is the unit of work (a bulk export's
/// latents are jobs of their own); failures to read an input are per input.
public enum BatchEvent: Sendable, Equatable {
    /// The plan: this shard's latents (`inputs`), how many must render.
    case planned(inputs: Int, toRender: Int, workers: Int, shard: Shard)
    /// `seconds` is the input's render time, shared evenly among its latents.
    case rendered(input: String, latents: [String], seconds: Double)
    case skipped(input: String, latents: [String])
    case failed(input: String, reason: String)
    /// A latent not rendered on purpose: dead (no activation above 0).
    case passedOver(input: String, latent: String, reason: String)
    case finished(BatchSummary)

    /// JSON objects for `--json`, one per latent (one per input for failures), one per line.
    public var jsonLines: [String] {
        switch self {
        case let .planned(inputs, toRender, workers, shard):
            return [Self.object([("event", "planned"), ("inputs", inputs), ("to_render", toRender), ("workers", workers),
                                 ("shard", shard.description)])]
        case let .rendered(input, latents, seconds):
            let each = Self.rounded(seconds / Double(max(1, latents.count)))
            return latents.map { Self.object([("event", "rendered"), ("latent", $0), ("input", input), ("seconds", each)]) }
        case let .skipped(input, latents):
            return latents.map { Self.object([("event", "skipped"), ("latent", $0), ("input", input)]) }
        case let .failed(input, reason):
            return [Self.object([("event", "failed"), ("input", input), ("reason", reason)])]
        case let .passedOver(input, latent, reason):
            return [Self.object([("event", "passed_over"), ("latent", latent), ("input", input), ("reason", reason)])]
        case let .finished(s):
            return [Self.object([("event", "finished"), ("rendered", s.rendered), ("skipped", s.skipped), ("passed_over", s.passedOver.count), ("failed", s.failed.count),
                                 ("not_started", s.notStarted), ("seconds", Self.rounded(s.seconds))])]
        }
    }

    static func rounded(_ seconds: Double) -> Double { (seconds * 1000).rounded() / 1000 }

    static func object(_ fields: [(String, Any)]) -> String {
        "{" + fields.map { "\(quote($0.0)):\(value($0.1))" }.joined(separator: ",") + "}"
    }

    static func value(_ v: Any) -> String {
        switch v {
        case let s as String: return quote(s)
        case let d as Double: return String(d)
        default: return "\(v)"
        }
    }

    /// A JSON string literal (keys keep their order, which `JSONSerialization` would not).
    static func quote(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where c.value < 0x20: out += String(format: "\\u%04x", c.value)
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }
}
