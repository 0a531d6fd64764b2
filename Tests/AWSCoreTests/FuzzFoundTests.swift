@testable import AWSCore
import Foundation
import Testing

/// Inputs `scripts/fuzz` found that crashed vend, kept as regular tests (each one trapped
/// the process before its fix, so a regression fails the whole run, not just one test).
@Suite struct FuzzFoundTests {
    /// `scripts/fuzz xml`: an element name with a byte that is not UTF-8. libxml2 falls back to
    /// Latin-1 and FoundationXML force-unwraps the name as UTF-8, trapping.
    static let nonUTF8ElementName = Data([0x3C, 0x61, 0xFF, 0x62, 0x2F, 0x3E])  // <a\xFFb/>

    @Test func xmlWithNonUTF8NameIsAnErrorNotATrap() {
        #expect {
            try XMLTree.parse(Self.nonUTF8ElementName)
        } throws: { error in
            "\(error)".contains("not UTF-8") && "\(error)".contains("check the endpoint URL")
        }
        var nested = Data("<GetCallerIdentityResponse><G".utf8)
        nested.append(0xFF)
        nested.append(contentsOf: Data("tCallerIdentityResult/></GetCallerIdentityResponse>".utf8))
        #expect(throws: XMLParseError.self) { try XMLTree.parse(nested) }
    }

    @Test func queryAndS3ErrorsWithNonUTF8BodiesFallBackToTheStatus() {
        let response = HTTPResponse(status: 403, headers: ["x-amzn-requestid": "r-1"], body: Self.nonUTF8ElementName)
        for wire in [AWSWireProtocol.query(apiVersion: "2011-06-15"), .restXML] {
            let error = ErrorDecoding.decode(response, protocol: wire, operation: "STS GetCallerIdentity")
            #expect(error.code == "Forbidden")
            #expect(error.requestId == "r-1")
            #expect(error.message.hasPrefix("unexpected response: <a"))
        }
    }

    @Test func utf8TextStillParses() throws {
        let tree = try XMLTree.parse(Data("<a><b>caf\u{E9} \u{1F600}</b></a>".utf8))
        #expect(tree.string("b") == "caf\u{E9} \u{1F600}")
    }
}
