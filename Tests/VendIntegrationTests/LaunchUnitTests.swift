import ArgumentParser
import Foundation
import Testing
@testable import VendCLI
@testable import VendEngine

/// The pieces of the launch commands that need no cloud.
@Suite("launch helpers")
struct LaunchUnitTests {
    @Test("the launch role trusts Service Catalog, and SSM only for products with service actions")
    func trust() throws {
        let plain = try JSONSerialization.jsonObject(with: Data(LaunchPreparer.trustPolicy(withSSM: false).utf8)) as? [String: Any]
        let statement = (plain?["Statement"] as? [[String: Any]])?.first
        #expect((statement?["Principal"] as? [String: Any])?["Service"] as? String == "servicecatalog.amazonaws.com")
        #expect(LaunchPreparer.trustPolicy(withSSM: true).contains("ssm.amazonaws.com"))
    }

    @Test("policies are compared as JSON values, not as text")
    func sameJSON() {
        #expect(LaunchPreparer.sameJSON(#"{"b": 1, "a": [1, 2]}"#, #"{"a":[1,2],"b":1}"#))
        #expect(!LaunchPreparer.sameJSON(#"{"a":[2,1]}"#, #"{"a":[1,2]}"#))
        #expect(!LaunchPreparer.sameJSON(nil, "{}"))
    }

    @Test("--param takes KEY=VALUE (values may hold '='), and names every malformed pair")
    func parameters() throws {
        #expect(try LaunchOptions.parameters(["A=1", "B=x=y"]) == ["A": "1", "B": "x=y"])
        #expect(throws: ValidationError.self) { try LaunchOptions.parameters(["novalue", "=1"]) }
    }

    @Test("add-source refuses a source name the action document would refuse")
    func sourceName() {
        #expect(throws: (any Error).self) { try AddSourceCommand.parse(["--domain", "retail", "--source", "Bad Name", "--prefix", "x/"]) }
        #expect(throws: Never.self) { try AddSourceCommand.parse(["--domain", "retail", "--source", "orders_2", "--prefix", "x/"]) }
    }
}
