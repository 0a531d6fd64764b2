import AWSCore
import AWSServices
import Foundation
import Testing

/// CloudFormation, IAM, SSM, Glue and Lake Formation through the local cloud.
@Suite(.enabled(if: LocalCloudProfiles.isConfigured, LocalCloudProfiles.skipReason))
struct InfrastructureIntegrationTests {
    @Test func stackLifecycleWithOutputsAndEvents() async throws {
        let cfn = try LocalCloudProfiles.clients("producer").cloudFormation
        let template = #"{"Parameters":{"Name":{"Type":"String"}},"Resources":{"Bucket":{"Type":"AWS::S3::Bucket","Properties":{"BucketName":{"Ref":"Name"}}}},"Outputs":{"BucketName":{"Value":{"Ref":"Bucket"}}}}"#
        _ = try await cfn.validateTemplate(body: template, url: nil)
        let name = LocalCloudProfiles.unique("vend-it-stack")
        let stackId = try await cfn.createStack(CloudFormation.StackInput(
            StackName: name, TemplateBody: template, Parameters: [CloudFormation.Parameter(ParameterKey: "Name", ParameterValue: name)],
            Tags: [CloudFormation.Tag(Key: "vend:test", Value: "1")], ClientRequestToken: name))
        #expect(!stackId.isEmpty)
        let stack = try #require(try await cfn.describeStack(name: name))
        #expect(stack.StackStatus.hasSuffix("COMPLETE"))
        #expect(stack.Outputs.first { $0.OutputKey == "BucketName" }?.OutputValue == name)
        #expect(!(try await cfn.stackEvents(name: name)).isEmpty)
        try await cfn.deleteStack(name: name, clientRequestToken: name + "-delete")
        #expect(try await cfn.describeStack(name: "vend-it-never-created") == nil)
    }

    @Test func roleAndInlinePolicyRoundTrip() async throws {
        let iam = try LocalCloudProfiles.clients("consumer").iam
        let name = LocalCloudProfiles.unique("VendItRole")
        let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"servicecatalog.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#
        let role = try await iam.createRole(name: name, path: "/vend/", trustPolicy: trust, description: "integration", tags: ["vend:test": "1"])
        #expect(role.Arn.hasSuffix("role/vend/\(name)"))
        #expect(try await iam.getRole(name: name)?.AssumeRolePolicyDocument?.contains("servicecatalog.amazonaws.com") == true)
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#
        try await iam.putRolePolicy(roleName: name, policyName: "read", policy: policy)
        #expect(try await iam.listRolePolicies(roleName: name) == ["read"])
        #expect(try await iam.getRolePolicy(roleName: name, policyName: "read")?.contains("s3:GetObject") == true)
        try await iam.deleteRolePolicy(roleName: name, policyName: "read")
        try await iam.deleteRole(name: name)
        #expect(try await iam.getRole(name: name) == nil)
    }

    @Test func automationDocumentAndPermissions() async throws {
        let ssm = try LocalCloudProfiles.clients("central").ssm
        let name = LocalCloudProfiles.unique("Vend-It-Doc")
        let content = #"{"schemaVersion":"0.3","description":"noop","parameters":{},"mainSteps":[{"name":"wait","action":"aws:sleep","inputs":{"Duration":"PT1S"}}]}"#
        let created = try await ssm.createDocument(SSM.CreateDocumentRequest(Content: content, Name: name, DocumentType: "Automation", DocumentFormat: "JSON"))
        #expect(created.DocumentDescription?.Name == name)
        #expect(try await ssm.describeDocument(SSM.DescribeDocumentRequest(Name: name)).Document?.DocumentType == "Automation")
        _ = try await ssm.modifyDocumentPermission(SSM.ModifyDocumentPermissionRequest(Name: name, PermissionType: "Share", AccountIdsToAdd: ["222222222222"]))
        let permissions = try await ssm.describeDocumentPermission(SSM.DescribeDocumentPermissionRequest(Name: name, PermissionType: "Share"))
        #expect(permissions.AccountIds?.contains("222222222222") == true)
        let started = try await ssm.startAutomationExecution(SSM.StartAutomationExecutionRequest(DocumentName: name, ClientToken: UUID().uuidString))
        let executionId = try #require(started.AutomationExecutionId)
        var status = ""
        for _ in 0..<50 {
            status = try await ssm.getAutomationExecution(SSM.GetAutomationExecutionRequest(AutomationExecutionId: executionId)).AutomationExecution?.AutomationExecutionStatus ?? ""
            if !["Pending", "InProgress", "Waiting"].contains(status) { break }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        #expect(status == "Success")
        let listed = try await ssm.describeAutomationExecutions(SSM.DescribeAutomationExecutionsRequest(
            Filters: [SSM.AutomationExecutionFilter(Key: "ExecutionId", Values: [executionId])]))
        #expect(listed.AutomationExecutionMetadataList?.first?.AutomationExecutionId == executionId)
        _ = try await ssm.modifyDocumentPermission(SSM.ModifyDocumentPermissionRequest(Name: name, PermissionType: "Share", AccountIdsToRemove: ["222222222222"]))
        _ = try await ssm.deleteDocument(SSM.DeleteDocumentRequest(Name: name))
    }

    @Test func glueAndLakeFormationReads() async throws {
        let clients = try LocalCloudProfiles.clients("central")
        _ = try await clients.glue.getDatabases(Glue.GetDatabasesRequest())
        await #expect(throws: AWSServiceError.self) { _ = try await clients.glue.getDatabase(Glue.GetDatabaseRequest(Name: "vend_it_missing")) }
        _ = try await clients.lakeFormation.getDataLakeSettings(LakeFormation.GetDataLakeSettingsRequest())
        _ = try await clients.lakeFormation.listPermissions(LakeFormation.ListPermissionsRequest())
        _ = try await clients.lakeFormation.listResources(LakeFormation.ListResourcesRequest())
        _ = try await clients.lakeFormation.listLFTags(LakeFormation.ListLFTagsRequest())
        _ = try await clients.glue.allDatabases()
        _ = try await clients.glue.allCrawlers()
        _ = try await clients.lakeFormation.allPermissions()
        _ = try await clients.lakeFormation.allLFTags()
        _ = try await clients.lakeFormation.allResources()
        _ = try await clients.ssm.allDocuments(filters: [SSM.DocumentKeyValuesFilter(Key: "Owner", Values: ["Self"])])
        _ = try await clients.ssm.allAutomationExecutions()
    }
}
