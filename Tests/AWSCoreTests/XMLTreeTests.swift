@testable import AWSCore
import Foundation
import Testing

/// XMLTree on libxml2's reader: what AWS answers parses the same as before; what AWS never
/// sends (entities that expand, external references, a second root) is refused or left inert.
@Suite struct XMLTreeTests {
    @Test func prefixedNamesCDATAAndWhitespace() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- a comment -->
            <s3:ListBucketResult xmlns:s3="http://s3.amazonaws.com/doc/2006-03-01/">
              <s3:Name>bucket</s3:Name>
              <Prefix> </Prefix>
              <Key><![CDATA[a<b>&c]]></Key>
              <Empty/>
              <Mixed>  outer <Inner>x</Inner> text  </Mixed>
            </s3:ListBucketResult>
            """
        let root = try XMLTree.parse(Data(xml.utf8))
        #expect(root.name == "ListBucketResult")
        #expect(root.string("Name") == "bucket")
        #expect(root.string("Prefix") == " ", "a leaf's whitespace is its value")
        #expect(root.string("Key") == "a<b>&c")
        #expect(root["Empty"] == XMLElementNode(name: "Empty"))
        #expect(root["Mixed"]?.text == "outer  text")
        #expect(root["Mixed"]?.string("Inner") == "x")
    }

    @Test func entitiesDoNotExpandAndNothingIsFetched() throws {
        let laughs = """
            <?xml version="1.0"?>
            <!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
            <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">]>
            <r><v>&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;</v></r>
            """
        // libxml2 refuses it ("entity reference loop"), or leaves the entities unexpanded.
        let tree = try? XMLTree.parse(Data(laughs.utf8))
        #expect((tree?.string("v") ?? "").count < 1000, "internal entities are not expanded")

        let external = """
            <?xml version="1.0"?>
            <!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
            <r><v>&x;</v></r>
            """
        let answer = try? XMLTree.parse(Data(external.utf8))
        #expect(answer?.string("v")?.contains("root:") != true, "an external entity is never read")
    }

    @Test func malformedDocumentsAreRefusedWithLibxml2sReason() {
        for text in ["<a>", "<a></b>", "<a/><b/>", "not xml", "<a x='1' x='2'/>", "<a>&undefined;</a>"] {
            #expect(throws: XMLParseError.self, "\(text)") { try XMLTree.parse(Data(text.utf8)) }
        }
        do {
            _ = try XMLTree.parse(Data("<a><b></a>".utf8))
            Issue.record("a mismatched end tag was accepted")
        } catch {
            #expect(error.description.hasPrefix("unreadable XML response: not well-formed XML"))
            #expect(error.description.count > "unreadable XML response: not well-formed XML".count, "libxml2's reason is kept")
        }
    }

    @Test func parsingFromManyThreadsAtOnce() async throws {
        let document = Data("<r>\(String(repeating: "<i><k>v</k></i>", count: 500))</r>".utf8)
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<16 { group.addTask { try XMLTree.parse(document).all("i").count } }
            for try await count in group { #expect(count == 500) }
        }
    }
}
