import AWSServices
import Foundation
import Testing
@testable import VendEngine
import VendModel
import VendTestSupport

/// What `doctor --fix` reads from a template: the grants and links, rendered as CloudFormation would.
@Suite struct DeclaredResourcesTests {
    static let parameters = ["DomainName": "analytics", "CentralAccountId": "111111111111", "SharedDatabaseName": "retail",
                             "DomainTagValue": "retail", "AnalystRoleArn": "arn:aws:iam::333333333333:role/Analyst"]

    static func consumerItems(_ product: String = "consumer-onboarding", parameters: [String: String] = parameters) throws -> [DeclaredResources.Item] {
        let url = Golden.repositoryRoot().appendingPathComponent("products/\(product)/template.yaml")
        let template = try YAMLReader.parse(try Data(contentsOf: url), displayPath: "template.yaml")
        return DeclaredResources.render(template, parameters: parameters, site: .init(accountId: "333333333333", region: "us-east-1"))
    }

    @Test func aConsumerWithoutALegacySubscriptionDeclaresNoGrantOrLink() throws {
        var parameters = Self.parameters
        parameters["SharedDatabaseName"] = nil
        parameters["DomainTagValue"] = nil
        #expect(try Self.consumerItems(parameters: parameters).isEmpty, "HoldsLegacySubscription is false with the defaults (\"\")")
        parameters["SharedDatabaseName"] = ""
        #expect(try Self.consumerItems(parameters: parameters).isEmpty)
    }

    @Test func analystAccessDeclaresTheThreeGrantsOfOnePrincipal() throws {
        let items = try Self.consumerItems("analyst-access", parameters: ["PrincipalArn": "arn:aws:iam::333333333333:role/vend-probe-analytics",
                                                                          "CentralAccountId": "111111111111", "SharedDatabaseName": "retail", "DomainTagValue": "retail"])
        var grants: [String: LakeFormation.GrantPermissionsRequest] = [:]
        for case let .grant(id, request) in items { grants[id] = request }
        #expect(items.count == 3 && grants.keys.sorted() == ["LinkDescribe", "TargetDatabaseDescribe", "TargetTableRead"])
        #expect(grants["LinkDescribe"]?.Resource.Database?.Name == "retail_link" && grants["LinkDescribe"]?.Resource.Database?.CatalogId == "333333333333")
        #expect(grants["TargetTableRead"]?.Resource.LFTagPolicy?.CatalogId == "111111111111")
        #expect(Set(grants.values.map(\.Principal.DataLakePrincipalIdentifier)) == ["arn:aws:iam::333333333333:role/vend-probe-analytics"])
    }

    @Test func conditionsAreEvaluatedAndWhatCannotBeIsReported() throws {
        let template = try YAMLReader.parse(Data(#"""
            Parameters:
              A: {Type: String, Default: "x"}
            Conditions:
              IsX: !Equals [!Ref A, "x"]
              NotX: {"Fn::Not": [{"Condition": IsX}]}
              Both: !And [!Condition IsX, !Or [!Condition NotX, !Equals [!Ref A, "x"]]]
              Odd: !If [IsX, true, false]
            Resources:
              Kept: {Type: AWS::LakeFormation::PrincipalPermissions, Condition: Both, Properties: {Principal: {DataLakePrincipalIdentifier: p}, Resource: {Database: {Name: d}}, Permissions: [DESCRIBE]}}
              Dropped: {Type: AWS::LakeFormation::PrincipalPermissions, Condition: NotX, Properties: {Principal: {DataLakePrincipalIdentifier: p}, Resource: {Database: {Name: d}}, Permissions: [DESCRIBE]}}
              Unknown: {Type: AWS::LakeFormation::PrincipalPermissions, Condition: Odd, Properties: {Principal: {DataLakePrincipalIdentifier: p}, Resource: {Database: {Name: d}}, Permissions: [DESCRIBE]}}
            """#.utf8), displayPath: "t.yaml")
        let items = DeclaredResources.render(template, parameters: [:], site: .init(accountId: "333333333333", region: "us-east-1"))
        #expect(items.count == 2)
        if case .grant("Kept", _)? = items.first {} else { Issue.record("Kept not rendered: \(items)") }
        if case let .unresolved("Unknown", why)? = items.last { #expect(why.contains("Fn::If")) } else { Issue.record("Unknown not reported: \(items)") }
        #expect(DeclaredResources.render(template, parameters: ["A": "y"], site: .init(accountId: "1", region: "r")).contains {
            if case .grant("Dropped", _) = $0 { true } else { false }
        })
    }

    @Test func theConsumerTemplatesGrantsAndLinkAreRenderedWithTheParameters() throws {
        var grants: [String: LakeFormation.GrantPermissionsRequest] = [:]
        var links: [Glue.CreateDatabaseRequest] = []
        for item in try Self.consumerItems() {
            switch item {
            case let .grant(id, request): grants[id] = request
            case let .link(_, request): links.append(request)
            case let .unresolved(id, why): Issue.record("\(id) not evaluated: \(why)")
            }
        }
        #expect(grants.keys.sorted() == ["AnalystLinkDescribe", "AnalystTargetDatabaseDescribe", "AnalystTargetTableRead",
                                         "ProbeLinkDescribe", "ProbeTargetDatabaseDescribe", "ProbeTargetTableRead"])
        let read = try #require(grants["AnalystTargetTableRead"])
        #expect(read.Principal.DataLakePrincipalIdentifier == "arn:aws:iam::333333333333:role/Analyst")
        #expect(read.Permissions == ["SELECT", "DESCRIBE"])
        #expect(read.Resource.LFTagPolicy?.CatalogId == "111111111111", "the target's grant names the central catalog")
        #expect(read.Resource.LFTagPolicy?.Expression?.first?.TagValues == ["retail"])
        #expect(grants["ProbeLinkDescribe"]?.Principal.DataLakePrincipalIdentifier == "arn:aws:iam::333333333333:role/vend-probe-analytics", "GetAtt Arn of a named role")
        #expect(grants["AnalystLinkDescribe"]?.Resource.Database?.Name == "retail_link", "Ref of the link is its Sub-rendered name")
        #expect(links.count == 1)
        #expect(links.first?.DatabaseInput.TargetDatabase?.CatalogId == "111111111111")
        #expect(links.first?.DatabaseInput.Description == "Resource link to retail in the central catalog 111111111111 (vend).")
    }

    @Test func aGrantIsMissingUntilTheSamePrincipalHoldsEveryPermissionOnTheSameResource() throws {
        guard case let .grant(_, read)? = try Self.consumerItems().first(where: { if case .grant("AnalystTargetTableRead", _) = $0 { true } else { false } }) else {
            Issue.record("no AnalystTargetTableRead")
            return
        }
        let listed = { (principal: String, catalog: String?, permissions: [String]) in
            LakeFormation.PrincipalResourcePermissions(
                Principal: .init(DataLakePrincipalIdentifier: principal),
                Resource: .init(LFTagPolicy: .init(CatalogId: catalog, ResourceType: "TABLE", Expression: [.init(TagKey: "domain", TagValues: ["retail"])])),
                Permissions: permissions)
        }
        let analyst = "arn:aws:iam::333333333333:role/Analyst"
        #expect(MeshRepair.missing(read, in: [], defaultCatalog: "333333333333") == ["SELECT", "DESCRIBE"])
        #expect(MeshRepair.missing(read, in: [listed(analyst, "111111111111", ["DESCRIBE"])], defaultCatalog: "333333333333") == ["SELECT"])
        #expect(MeshRepair.missing(read, in: [listed(analyst, "111111111111", ["SELECT", "DESCRIBE"])], defaultCatalog: "333333333333") == [])
        #expect(MeshRepair.missing(read, in: [listed(analyst, nil, ["SELECT", "DESCRIBE"])], defaultCatalog: "333333333333") == ["SELECT", "DESCRIBE"],
                "a policy in the consumer's own catalog is not the target's")
        #expect(MeshRepair.missing(read, in: [listed("arn:aws:iam::333333333333:role/Other", "111111111111", ["SELECT", "DESCRIBE"])],
                                   defaultCatalog: "333333333333") == ["SELECT", "DESCRIBE"], "another principal's grant is not the analyst's")
    }
}
