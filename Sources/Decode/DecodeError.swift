import AtlasCore

/// Why `LatentDecoder.paint` refused to run. `description` is one sentence for the user.
public enum DecodeError: Error, Equatable, CustomStringConvertible {
    /// The output size is not positive.
    case invalidSize(width: Int, height: Int)
    /// The decode settings break their limits (keys are the YAML spellings).
    case invalidSettings([SettingsCheck.Violation])
    /// A region's centre or radius is not a finite number, or the radius is negative.
    case invalidGeometry(region: Int)
    /// A region has an empty embedding.
    case emptyFeatures(region: Int)
    /// A word's highlight weight is outside 0…1 or not a number.
    case invalidWordWeight(region: Int, word: String)

    public var description: String {
        switch self {
        case let .invalidSize(width, height):
            return "The output size \(width)×\(height) is not positive; both sides must be at least 1 pixel."
        case let .invalidSettings(violations):
            let list = violations.map { "\($0.key): \($0.message)" }.joined(separator: "; ")
            return "The decode settings are out of range (\(list))."
        case let .invalidGeometry(region):
            return "Region \(region) has a centre or radius that is not a finite number, or a negative radius."
        case let .emptyFeatures(region):
            return "Region \(region) has an empty embedding; it needs at least one feature value."
        case let .invalidWordWeight(region, word):
            return "Region \(region) highlights '\(word)' with a weight outside 0…1."
        }
    }
}
