/// Range checks for style settings. Each stage's settings type lists its limits in `check(_:)`;
/// the style loader runs them and turns each violation into an error naming file, line and key.
public protocol SettingsChecked {
    func check(_ check: inout SettingsCheck)
}

/// Collects out-of-range settings. Keys are the YAML spellings (snake_case), relative to the section.
public struct SettingsCheck: Sendable {
    public struct Violation: Sendable, Equatable {
        public var key: String
        public var message: String
    }

    public private(set) var violations: [Violation] = []

    public init() {}

    public mutating func range<T: Comparable & CustomStringConvertible>(_ key: String, _ value: T, _ allowed: ClosedRange<T>) {
        if !(allowed.contains(value)) {
            violations.append(Violation(key: key, message: "\(value) is out of range; allowed \(allowed.lowerBound)…\(allowed.upperBound)"))
        }
    }

    public mutating func finite(_ key: String, _ value: Double) {
        if !value.isFinite { violations.append(Violation(key: key, message: "\(value) is not a finite number")) }
    }

    public mutating func require(_ condition: Bool, _ key: String, _ message: String) {
        if !condition { violations.append(Violation(key: key, message: message)) }
    }

    /// Runs a nested section's checks with its keys prefixed.
    public mutating func nested<S: SettingsChecked>(_ key: String, _ section: S) {
        var inner = SettingsCheck()
        section.check(&inner)
        violations += inner.violations.map { Violation(key: key + "." + $0.key, message: $0.message) }
    }
}
