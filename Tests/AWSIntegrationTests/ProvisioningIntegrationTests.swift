import AWSCore
import AWSServices
import Foundation
import Testing

/// A product's whole life across two accounts through vend's clients: template upload,
/// product, portfolio, share, accept, principal, launch path, provision, record, outputs,
/// terminate. Every shape on the way is checked by the local cloud against botocore's model.
@Suite(.enabled(if: LocalCloudProfiles.isConfigured, LocalCloudProfiles.skipReason))
struct ProvisioningIntegrationTests {
    static let template = """
        {"Parameters":{"BucketName":{"Type":"String"}},
         "Resources":{"Bucket":{"Type":"AWS::S3::Bucket","Properties":{"BucketName":{"Ref":"BucketName"}}}},
         "Outputs":{"BucketName":{"Value":{"Ref":"Bucket"}}}}
        """

    @Test func publishShareLaunchAndTerminate() async throws {
        let central = try LocalCloudProfiles.clients("central")
        let producer = try LocalCloudProfiles.clients("producer")
        let name = LocalCloudProfiles.unique("vend-it-product")

        // Central: template in S3, product, portfolio, association, share.
        let bucket = name + "-templates"
        try await central.s3.createBucket(bucket)
        _ = try await central.s3.putObject(bucket: bucket, key: "p/1.0.0/template.json", body: Data(Self.template.utf8), options: S3PutOptions(ContentType: "application/json"))
        let endpoint = try LocalCloudProfiles.session("central").serviceClient(.s3).endpoint.url
        let product = try await central.serviceCatalog.createProduct(ServiceCatalog.CreateProductInput(
            Name: name, Owner: "platform", Description: "integration", ProductType: "CLOUD_FORMATION_TEMPLATE",
            Tags: [ServiceCatalog.Tag(Key: "vend:product", Value: name)],
            ProvisioningArtifactParameters: ServiceCatalog.ProvisioningArtifactProperties(
                Name: "1.0.0", Description: "sha256:test", Info: ["LoadTemplateFromURL": "\(endpoint)/\(bucket)/p/1.0.0/template.json"], Type: "CLOUD_FORMATION_TEMPLATE"),
            IdempotencyToken: name))
        let productId = try #require(product.ProductViewDetail?.ProductViewSummary?.ProductId)
        let artifactId = try #require(product.ProvisioningArtifactDetail?.Id)
        let described = try await central.serviceCatalog.describeProvisioningArtifact(ServiceCatalog.DescribeProvisioningArtifactInput(
            ProvisioningArtifactId: artifactId, ProductId: productId, IncludeProvisioningArtifactParameters: true))
        #expect(described.ProvisioningArtifactParameters?.map(\.ParameterKey) == ["BucketName"])
        #expect(try await central.serviceCatalog.listProvisioningArtifacts(ServiceCatalog.ListProvisioningArtifactsInput(ProductId: productId))
            .ProvisioningArtifactDetails?.map(\.Name) == ["1.0.0"])

        let portfolio = try await central.serviceCatalog.createPortfolio(ServiceCatalog.CreatePortfolioInput(DisplayName: name, ProviderName: "platform", IdempotencyToken: name))
        let portfolioId = try #require(portfolio.PortfolioDetail?.Id)
        _ = try await central.serviceCatalog.associateProductWithPortfolio(ServiceCatalog.AssociateProductWithPortfolioInput(ProductId: productId, PortfolioId: portfolioId))
        #expect(try await central.serviceCatalog.allProductsAsAdmin(portfolioId: portfolioId).contains { $0.ProductViewSummary?.ProductId == productId })
        let share = try await central.serviceCatalog.createPortfolioShare(ServiceCatalog.CreatePortfolioShareInput(PortfolioId: portfolioId, AccountId: "222222222222"))
        if let token = share.PortfolioShareToken {
            _ = try await central.serviceCatalog.describePortfolioShareStatus(ServiceCatalog.DescribePortfolioShareStatusInput(PortfolioShareToken: token))
        }

        // Producer: accept, associate itself, launch.
        _ = try await producer.serviceCatalog.acceptPortfolioShare(ServiceCatalog.AcceptPortfolioShareInput(PortfolioId: portfolioId))
        #expect(try await producer.serviceCatalog.allAcceptedPortfolioShares().contains { $0.Id == portfolioId })
        let me = try await producer.sts.getCallerIdentity()
        _ = try await producer.serviceCatalog.associatePrincipalWithPortfolio(ServiceCatalog.AssociatePrincipalWithPortfolioInput(
            PortfolioId: portfolioId, PrincipalARN: me.Arn, PrincipalType: "IAM"))
        let paths = try await producer.serviceCatalog.allLaunchPaths(productId: productId)
        let pathId = try #require(paths.first?.Id)
        let parameters = try await producer.serviceCatalog.describeProvisioningParameters(ServiceCatalog.DescribeProvisioningParametersInput(
            ProductId: productId, ProvisioningArtifactId: artifactId, PathId: pathId))
        #expect(parameters.ProvisioningArtifactParameters?.first?.ParameterKey == "BucketName")

        let launched = try await producer.serviceCatalog.provisionProduct(ServiceCatalog.ProvisionProductInput(
            ProductId: productId, ProvisioningArtifactId: artifactId, PathId: pathId, ProvisionedProductName: name,
            ProvisioningParameters: [ServiceCatalog.ProvisioningParameter(Key: "BucketName", Value: name + "-data")], ProvisionToken: name))
        var record = try #require(launched.RecordDetail)
        for _ in 0..<50 where ["CREATED", "IN_PROGRESS", "IN_PROGRESS_IN_ERROR"].contains(record.Status ?? "") {
            try await Task.sleep(nanoseconds: 100_000_000)
            record = try #require(try await producer.serviceCatalog.describeRecord(ServiceCatalog.DescribeRecordInput(Id: record.RecordId ?? "")).RecordDetail)
        }
        #expect(record.Status == "SUCCEEDED", "record errors: \(record.RecordErrors ?? [])")
        let provisionedId = try #require(record.ProvisionedProductId)
        let outputs = try await producer.serviceCatalog.allOutputs(provisionedProductId: provisionedId)
        #expect(outputs.first { $0.OutputKey == "BucketName" }?.OutputValue == name + "-data")
        #expect(try await producer.serviceCatalog.allProvisionedProducts().contains { $0.Id == provisionedId })
        _ = try await producer.serviceCatalog.describeProvisionedProduct(ServiceCatalog.DescribeProvisionedProductInput(Id: provisionedId))

        // A service action: a shared SSM Automation document, run against the launched product.
        let document = name + "-action"
        _ = try await central.ssm.createDocument(SSM.CreateDocumentRequest(
            Content: #"{"schemaVersion":"0.3","description":"who runs me","parameters":{},"mainSteps":[{"name":"whoami","action":"aws:executeAwsApi","inputs":{"Service":"sts","Api":"GetCallerIdentity"},"outputs":[{"Name":"Account","Selector":"$.Account","Type":"String"}]}]}"#,
            Name: document, DocumentType: "Automation", DocumentFormat: "JSON"))
        _ = try await central.ssm.modifyDocumentPermission(SSM.ModifyDocumentPermissionRequest(Name: document, PermissionType: "Share", AccountIdsToAdd: ["222222222222"]))
        let action = try await central.serviceCatalog.createServiceAction(ServiceCatalog.CreateServiceActionInput(
            Name: document, DefinitionType: "SSM_AUTOMATION", Definition: ["Name": document, "Version": "1"], Description: "integration", IdempotencyToken: document))
        let actionId = try #require(action.ServiceActionDetail?.ServiceActionSummary?.Id)
        _ = try await central.serviceCatalog.associateServiceActionWithProvisioningArtifact(ServiceCatalog.AssociateServiceActionWithProvisioningArtifactInput(
            ProductId: productId, ProvisioningArtifactId: artifactId, ServiceActionId: actionId))
        #expect(try await producer.serviceCatalog.allServiceActions(productId: productId, provisioningArtifactId: artifactId).contains { $0.Id == actionId })
        let execution = try await producer.serviceCatalog.executeProvisionedProductServiceAction(ServiceCatalog.ExecuteProvisionedProductServiceActionInput(
            ProvisionedProductId: provisionedId, ServiceActionId: actionId, ExecuteToken: document))
        var actionRecord = try #require(execution.RecordDetail)
        var actionOutputs: [ServiceCatalog.RecordOutput] = []
        for _ in 0..<50 {
            let answer = try await producer.serviceCatalog.describeRecord(ServiceCatalog.DescribeRecordInput(Id: actionRecord.RecordId ?? ""))
            actionRecord = try #require(answer.RecordDetail)
            actionOutputs = answer.RecordOutputs ?? []
            if !["CREATED", "IN_PROGRESS", "IN_PROGRESS_IN_ERROR"].contains(actionRecord.Status ?? "") { break }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        #expect(actionRecord.Status == "SUCCEEDED", "record errors: \(actionRecord.RecordErrors ?? [])")
        #expect(actionOutputs.contains { $0.OutputKey == "AutomationExecutionId" })

        let terminated = try await producer.serviceCatalog.terminateProvisionedProduct(ServiceCatalog.TerminateProvisionedProductInput(
            ProvisionedProductId: provisionedId, TerminateToken: name + "-terminate"))
        #expect(terminated.RecordDetail?.RecordType == "TERMINATE_PROVISIONED_PRODUCT")
    }
}
