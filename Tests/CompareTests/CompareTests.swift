import Testing
@testable import Compare
