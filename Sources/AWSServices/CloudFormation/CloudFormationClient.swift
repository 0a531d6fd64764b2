import AWSCore
import Foundation

/// The CloudFormation calls vend makes.
public protocol CloudFormationClient: Sendable {
    /// CreateStack; returns the stack id.
    func createStack(_ input: CloudFormation.StackInput) async throws -> String
    /// UpdateStack; returns the stack id.
    func updateStack(_ input: CloudFormation.StackInput) async throws -> String
    /// DeleteStack.
    func deleteStack(name: String, clientRequestToken: String?) async throws
    /// DescribeStacks for one stack (name or id); nil when it does not exist.
    func describeStack(name: String) async throws -> CloudFormation.Stack?
    /// Every stack event, newest first.
    func stackEvents(name: String) async throws -> [CloudFormation.StackEvent]
    /// ValidateTemplate.
    func validateTemplate(body: String?, url: String?) async throws -> CloudFormation.TemplateValidation
}

/// CloudFormation over AWSCore's Query protocol.
public struct LiveCloudFormationClient: CloudFormationClient {
    /// The service client.
    public let service: AWSServiceClient

    /// Creates the client for a session.
    public init(session: AWSSession) throws { service = try session.serviceClient(.cloudFormation) }
    /// Creates the client over a service client.
    public init(service: AWSServiceClient) { self.service = service }

    /// CreateStack / UpdateStack parameters, lists flattened.
    static func parameters(_ input: CloudFormation.StackInput) -> QueryParameters {
        var parameters = QueryParameters()
        parameters.set("StackName", input.StackName)
        parameters.set("TemplateBody", input.TemplateBody)
        parameters.set("TemplateURL", input.TemplateURL)
        parameters.set("RoleARN", input.RoleARN)
        parameters.set("ClientRequestToken", input.ClientRequestToken)
        parameters.list("Capabilities", input.Capabilities)
        parameters.list("Parameters", input.Parameters.map { parameter in
            var fields = ["ParameterKey": parameter.ParameterKey]
            if let value = parameter.ParameterValue { fields["ParameterValue"] = value }
            if let previous = parameter.UsePreviousValue { fields["UsePreviousValue"] = previous ? "true" : "false" }
            return fields
        })
        parameters.list("Tags", input.Tags.map { ["Key": $0.Key, "Value": $0.Value] })
        return parameters
    }

    /// CreateStack.
    public func createStack(_ input: CloudFormation.StackInput) async throws -> String {
        let result = try await service.query("CreateStack", Self.parameters(input).values, idempotent: input.ClientRequestToken != nil)
        return result.string("StackId") ?? ""
    }

    /// UpdateStack.
    public func updateStack(_ input: CloudFormation.StackInput) async throws -> String {
        let result = try await service.query("UpdateStack", Self.parameters(input).values, idempotent: input.ClientRequestToken != nil)
        return result.string("StackId") ?? ""
    }

    /// DeleteStack.
    public func deleteStack(name: String, clientRequestToken: String?) async throws {
        var parameters = QueryParameters()
        parameters.set("StackName", name)
        parameters.set("ClientRequestToken", clientRequestToken)
        _ = try await service.query("DeleteStack", parameters.values, idempotent: true)
    }

    /// DescribeStacks.
    public func describeStack(name: String) async throws -> CloudFormation.Stack? {
        let result: XMLElementNode
        do {
            result = try await service.query("DescribeStacks", ["StackName": name], idempotent: true)
        } catch where error.isAWS(.notFound) {
            return nil
        }
        // AWS answers a named stack that does not exist with ValidationError (above), never with an
        // empty list: read as "no stack", an empty answer would make bootstrap create it again.
        guard let node = result["Stacks"]?.all("member").first, let status = node.string("StackStatus"), !status.isEmpty else {
            throw AWSServiceError(code: "InvalidResponse", message: "the answer names no stack \"\(name)\" and no error", status: 200,
                                  operation: "\(service.service.sdkId) DescribeStacks", retryKind: .client)
        }
        return CloudFormation.Stack(
            StackId: node.string("StackId"), StackName: node.string("StackName") ?? name, StackStatus: status,
            StackStatusReason: node.string("StackStatusReason"), CreationTime: node.string("CreationTime").flatMap(AWSTimestamp.parse),
            LastUpdatedTime: node.string("LastUpdatedTime").flatMap(AWSTimestamp.parse),
            Outputs: (node["Outputs"]?.all("member") ?? []).map {
                CloudFormation.Output(OutputKey: $0.string("OutputKey"), OutputValue: $0.string("OutputValue"),
                                      Description: $0.string("Description"), ExportName: $0.string("ExportName"))
            },
            Parameters: (node["Parameters"]?.all("member") ?? []).map {
                CloudFormation.Parameter(ParameterKey: $0.string("ParameterKey") ?? "", ParameterValue: $0.string("ParameterValue"))
            },
            Tags: (node["Tags"]?.all("member") ?? []).map { CloudFormation.Tag(Key: $0.string("Key") ?? "", Value: $0.string("Value") ?? "") })
    }

    /// DescribeStackEvents, all pages.
    public func stackEvents(name: String) async throws -> [CloudFormation.StackEvent] {
        try await Paginator.collect { token in
            var parameters = QueryParameters()
            parameters.set("StackName", name)
            parameters.set("NextToken", token)
            let result = try await service.query("DescribeStackEvents", parameters.values, idempotent: true)
            let events = (result["StackEvents"]?.all("member") ?? []).map {
                CloudFormation.StackEvent(
                    EventId: $0.string("EventId"), StackName: $0.string("StackName"), LogicalResourceId: $0.string("LogicalResourceId"),
                    PhysicalResourceId: $0.string("PhysicalResourceId"), ResourceType: $0.string("ResourceType"),
                    ResourceStatus: $0.string("ResourceStatus"), ResourceStatusReason: $0.string("ResourceStatusReason"),
                    Timestamp: $0.string("Timestamp").flatMap(AWSTimestamp.parse))
            }
            return (events, result.string("NextToken"))
        }
    }

    /// ValidateTemplate.
    public func validateTemplate(body: String?, url: String?) async throws -> CloudFormation.TemplateValidation {
        var parameters = QueryParameters()
        parameters.set("TemplateBody", body)
        parameters.set("TemplateURL", url)
        let result = try await service.query("ValidateTemplate", parameters.values, idempotent: true)
        return CloudFormation.TemplateValidation(
            ParameterKeys: (result["Parameters"]?.all("member") ?? []).compactMap { $0.string("ParameterKey") },
            Capabilities: (result["Capabilities"]?.all("member") ?? []).map(\.text),
            CapabilitiesReason: result.string("CapabilitiesReason"), Description: result.string("Description"))
    }
}
