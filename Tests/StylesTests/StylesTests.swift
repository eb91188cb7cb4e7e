import Testing
@testable import Styles
