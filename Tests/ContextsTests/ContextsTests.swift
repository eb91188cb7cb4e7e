import Testing
@testable import Contexts
