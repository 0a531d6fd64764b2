import Foundation
import Testing
@testable import VendModel

@Suite("YAML, versions, and the checks on their own")
struct ParsingTests {
    @Test("semantic versions parse, print and order as semver.org says")
    func semver() {
        #expect(SemanticVersion("1.2.3")?.description == "1.2.3")
        #expect(SemanticVersion("1.0.0-rc.1")?.prerelease == ["rc", "1"])
        for bad in ["1.0", "1", "01.0.0", "1.0.0+build", "1.0.0-", "v1.0.0", "1.0.0-é", ""] {
            #expect(SemanticVersion(bad) == nil, "\(bad) should not parse")
        }
        let ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.10.0", "2.0.0"]
        let versions = ordered.compactMap(SemanticVersion.init)
        #expect(versions.count == ordered.count)
        #expect(versions.shuffled().sorted() == versions)
    }

    @Test("duplicate keys are refused with their name and line")
    func duplicateKeys() {
        #expect(throws: ModelError.self) { try YAMLReader.parse(Data("a: 1\nb: 2\na: 3\n".utf8), displayPath: "x.yaml") }
        do {
            _ = try YAMLReader.parse(Data("a: 1\nb: 2\na: 3\n".utf8), displayPath: "x.yaml")
        } catch {
            #expect("\(error)".contains("duplicate key(s) \"a\""))
        }
    }

    @Test("non-UTF-8, empty and oversized files are refused with the file named")
    func badBytes() {
        #expect(throws: ModelError("x.yaml is not valid UTF-8 — save it as UTF-8")) { try YAMLReader.parse(Data([0x61, 0x3A, 0x20, 0xFF, 0xFE]), displayPath: "x.yaml") }
        #expect(throws: ModelError("x.yaml is empty — it needs a YAML mapping")) { try YAMLReader.parse(Data(), displayPath: "x.yaml") }
        #expect(throws: ModelError.self) { try YAMLReader.parse(Data(count: YAMLReader.maxBytes + 1), displayPath: "x.yaml") }
    }

    @Test("an alias bomb stops at the node budget instead of exhausting memory")
    func aliasBomb() {
        var yaml = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        var previous = "a"
        for level in 1...8 {
            let name = "l\(level)"
            yaml += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]\n"
            previous = name
        }
        #expect(throws: ModelError.self) { try YAMLReader.parse(Data(yaml.utf8), displayPath: "bomb.yaml") }
    }

    @Test("CloudFormation short-form tags are kept on the nodes")
    func shortFormTags() throws {
        let node = try YAMLReader.parse(Data("Bucket: !Ref DataBucket\nArn: !GetAtt DataBucket.Arn\nName: !Sub '${A}-x'\n".utf8), displayPath: "t.yaml")
        #expect(node["Bucket"]?.customTag == "!Ref" && node["Bucket"]?.scalar == "DataBucket")
        #expect(node["Arn"]?.customTag == "!GetAtt")
        #expect(node["Name"]?.customTag == "!Sub")
    }

    static func templateDiagnostics(_ yaml: String) throws -> [String] {
        var collector = DiagnosticCollector()
        let node = try YAMLReader.parse(Data(yaml.utf8), displayPath: "t.yaml")
        if let template = CloudFormationTemplate.parse(node, file: "t.yaml", into: &collector) {
            TemplateSecurity.check(template, file: "t.yaml", into: &collector)
        }
        return collector.diagnostics.map(\.description)
    }

    @Test("the security gate catches an open bucket, a wildcard principal and over-wide grants")
    func securityGate() throws {
        let lines = try Self.templateDiagnostics("""
            Resources:
              Open:
                Type: AWS::S3::Bucket
                Properties:
                  AccessControl: PublicRead
              OpenPolicy:
                Type: AWS::S3::BucketPolicy
                Properties:
                  Bucket: !Ref Open
                  PolicyDocument:
                    Statement:
                      - {Effect: Allow, Principal: "*", Action: s3:GetObject, Resource: "*"}
              Admin:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument:
                    Statement: [{Effect: Allow, Principal: {AWS: "*"}, Action: sts:AssumeRole}]
                  Policies:
                    - PolicyName: all
                      PolicyDocument:
                        Statement:
                          - {Effect: Allow, Action: "*", Resource: "*"}
                          - {Effect: Allow, Action: ["glue:*"], Resource: "*"}
                          - {Effect: Allow, NotAction: iam:*, Resource: "*"}
            """)
        let expected = [
            "Resources.Open.Properties.BucketEncryption: bucket \"Open\" is not encrypted",
            "Resources.Open.Properties.PublicAccessBlockConfiguration.BlockPublicAcls: bucket \"Open\" does not block public access",
            "Resources.Open.Properties.AccessControl: bucket \"Open\" is PublicRead",
            "Resources.OpenPolicy.Properties.PolicyDocument: the policy of bucket \"Open\" does not deny non-TLS requests",
            "Resources.OpenPolicy.Properties.PolicyDocument.Statement[0].Principal: allows any principal",
            "Resources.Admin.Properties.AssumeRolePolicyDocument.Statement[0].Principal: role \"Admin\" can be assumed by anyone",
            "Resources.Admin.Properties.Policies[0].PolicyDocument.Statement[0].Action: \"*\" allows every action",
            "Resources.Admin.Properties.Policies[0].PolicyDocument.Statement[1].Action: \"glue:*\" on Resource \"*\" allows a whole service everywhere",
            "Resources.Admin.Properties.Policies[0].PolicyDocument.Statement[2].NotAction: allows everything except a list",
        ]
        for fragment in expected {
            #expect(lines.contains { $0.contains(fragment) }, "missing: \(fragment)\nin:\n\(lines.joined(separator: "\n"))")
        }
    }

    @Test("an Automation document with unknown actions, bad types and dangling references is reported fully")
    func actionDocument() throws {
        let yaml = """
            schemaVersion: "0.3"
            assumeRole: "{{ Role }}"
            parameters:
              Name: {type: Text}
              Path: {type: String, colour: red}
            mainSteps:
              - name: Create
                action: aws:executeAwsApi
                inputs: {Service: glue, Api: CreateCrawler, Name: "{{ Name }}", Targets: {S3Targets: [{Path: "{{ Paht }}"}]}}
                outputs: [{Name: Id, Selector: "$.Id", Type: String}]
              - name: Create
                action: aws:doMagic
                inputs: {Value: "{{ Create.Id }} {{ Later.Out }}"}
              - name: Wait
                action: aws:waitForAwsResourceProperty
                inputs: {Service: glue, Api: GetCrawler}
            outputs: [Create.Id, Create.Nope]
            """
        var collector = DiagnosticCollector()
        ActionDocumentCheck.check(try YAMLReader.parse(Data(yaml.utf8), displayPath: "a.yaml"), file: "a.yaml", into: &collector)
        let lines = collector.diagnostics.map(\.description)
        let expected = [
            "assumeRole: {{ Role }} is neither a parameter",
            "parameters.Name.type: \"Text\" is not an Automation parameter type",
            "parameters.Path.colour: is not a parameter field",
            "mainSteps[0].inputs.Targets.S3Targets[0].Path: {{ Paht }} is neither a parameter",
            "mainSteps[1].name: \"Create\" is used by two steps",
            "mainSteps[1].action: \"aws:doMagic\" is not an Automation action",
            "mainSteps[1].inputs.Value: {{ Later.Out }} is neither a parameter",
            "mainSteps[2].inputs.PropertySelector: is missing for aws:waitForAwsResourceProperty",
            "outputs[1]: \"Create.Nope\" is not a step output",
        ]
        for fragment in expected {
            #expect(lines.contains { $0.contains(fragment) }, "missing: \(fragment)\nin:\n\(lines.joined(separator: "\n"))")
        }
        #expect(!lines.contains { $0.contains("{{ Create.Id }}") }, "an earlier step's output resolves")
        #expect(!lines.contains { $0.contains("{{ Name }}") }, "a declared parameter resolves")
    }
}
