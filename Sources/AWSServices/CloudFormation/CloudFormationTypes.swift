import Foundation

/// CloudFormation's request and response shapes, with AWS's member names.
public enum CloudFormation {
    /// A stack parameter.
    public struct Parameter: Sendable, Equatable, Codable {
        /// `ParameterKey`.
        public var ParameterKey: String
        /// `ParameterValue`.
        public var ParameterValue: String?
        /// `UsePreviousValue`.
        public var UsePreviousValue: Bool?
        /// Creates a parameter.
        public init(ParameterKey: String, ParameterValue: String? = nil, UsePreviousValue: Bool? = nil) {
            self.ParameterKey = ParameterKey
            self.ParameterValue = ParameterValue
            self.UsePreviousValue = UsePreviousValue
        }
    }

    /// A tag.
    public struct Tag: Sendable, Equatable, Codable {
        /// `Key`.
        public var Key: String
        /// `Value`.
        public var Value: String
        /// Creates a tag.
        public init(Key: String, Value: String) {
            self.Key = Key
            self.Value = Value
        }
    }

    /// CreateStack / UpdateStack input.
    public struct StackInput: Sendable, Equatable {
        /// `StackName`.
        public var StackName: String
        /// `TemplateBody` (or use `TemplateURL`).
        public var TemplateBody: String?
        /// `TemplateURL`.
        public var TemplateURL: String?
        /// `Parameters`.
        public var Parameters: [Parameter]
        /// `Capabilities`, e.g. `CAPABILITY_NAMED_IAM`.
        public var Capabilities: [String]
        /// `RoleARN`.
        public var RoleARN: String?
        /// `Tags`.
        public var Tags: [Tag]
        /// `ClientRequestToken`: makes the call safe to retry.
        public var ClientRequestToken: String?
        /// Creates an input.
        public init(StackName: String, TemplateBody: String? = nil, TemplateURL: String? = nil, Parameters: [Parameter] = [], Capabilities: [String] = [],
                    RoleARN: String? = nil, Tags: [Tag] = [], ClientRequestToken: String? = nil) {
            self.StackName = StackName
            self.TemplateBody = TemplateBody
            self.TemplateURL = TemplateURL
            self.Parameters = Parameters
            self.Capabilities = Capabilities
            self.RoleARN = RoleARN
            self.Tags = Tags
            self.ClientRequestToken = ClientRequestToken
        }
    }

    /// A stack output.
    public struct Output: Sendable, Equatable, Codable {
        /// `OutputKey`.
        public var OutputKey: String?
        /// `OutputValue`.
        public var OutputValue: String?
        /// `Description`.
        public var Description: String?
        /// `ExportName`.
        public var ExportName: String?
    }

    /// A stack as DescribeStacks returns it.
    public struct Stack: Sendable, Equatable, Codable {
        /// `StackId`.
        public var StackId: String?
        /// `StackName`.
        public var StackName: String
        /// `StackStatus`, e.g. `CREATE_COMPLETE`.
        public var StackStatus: String
        /// `StackStatusReason`.
        public var StackStatusReason: String?
        /// `CreationTime`.
        public var CreationTime: Date?
        /// `LastUpdatedTime`.
        public var LastUpdatedTime: Date?
        /// `Outputs`.
        public var Outputs: [Output]
        /// `Parameters`.
        public var Parameters: [Parameter]
        /// `Tags`.
        public var Tags: [Tag]
    }

    /// A stack event.
    public struct StackEvent: Sendable, Equatable, Codable {
        /// `EventId`.
        public var EventId: String?
        /// `StackName`.
        public var StackName: String?
        /// `LogicalResourceId`.
        public var LogicalResourceId: String?
        /// `PhysicalResourceId`.
        public var PhysicalResourceId: String?
        /// `ResourceType`.
        public var ResourceType: String?
        /// `ResourceStatus`.
        public var ResourceStatus: String?
        /// `ResourceStatusReason`.
        public var ResourceStatusReason: String?
        /// `Timestamp`.
        public var Timestamp: Date?
    }

    /// ValidateTemplate's answer.
    public struct TemplateValidation: Sendable, Equatable, Codable {
        /// Parameter keys the template declares.
        public var ParameterKeys: [String]
        /// `Capabilities` the template needs.
        public var Capabilities: [String]
        /// `CapabilitiesReason`.
        public var CapabilitiesReason: String?
        /// `Description`.
        public var Description: String?
    }
}
