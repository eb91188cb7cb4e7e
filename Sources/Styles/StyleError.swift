/// A style that cannot be used. Each case names where it went wrong; `description` is the CLI's sentence.
public enum StyleError: Error, Equatable, CustomStringConvertible {
    case notFound(name: String, searched: [String], suggestion: String?)
    case invalidYAML(StyleOrigin, reason: String)
    case unknownKey(StyleOrigin, key: String, suggestion: String?)
    case wrongType(StyleOrigin, key: String, expected: String, got: String)
    case missingKey(StyleOrigin, key: String)
    case outOfRange(StyleOrigin, key: String, message: String)
    case notAChoice(StyleOrigin, key: String, value: String, allowed: [String], suggestion: String?)
    case extendsCycle([String])
    case badOverride(String, reason: String)

    public var description: String {
        switch self {
        case let .notFound(name, searched, suggestion):
            return "No style named '\(name)' in \(searched.joined(separator: ", "))"
                + (suggestion.map { "; did you mean '\($0)'?" } ?? "; run 'atlas styles' to list them.")
        case let .invalidYAML(o, reason):
            return "\(o): invalid style YAML: \(reason)."
        case let .unknownKey(o, key, suggestion):
            return "\(o): unknown style key '\(key)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? ".")
        case let .wrongType(o, key, expected, got):
            return "\(o): style key '\(key)' is \(got); expected \(expected)."
        case let .missingKey(o, key):
            return "\(o): style key '\(key)' is missing; every style must define it or extend one that does."
        case let .outOfRange(o, key, message):
            return "\(o): style key '\(key)' \(message)."
        case let .notAChoice(o, key, value, allowed, suggestion):
            return "\(o): style key '\(key)' is '\(value)'; expected one of \(allowed.joined(separator: ", "))"
                + (suggestion.map { "; did you mean '\($0)'?" } ?? ".")
        case let .extendsCycle(chain):
            return "Styles extend each other in a cycle: \(chain.joined(separator: " → "))."
        case let .badOverride(text, reason):
            return "Override '--set \(text)' \(reason); expected --set key.path=value, e.g. --set decode.steps=20."
        }
    }
}
