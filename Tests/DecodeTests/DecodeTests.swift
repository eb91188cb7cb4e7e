import Testing
@testable import Decode
