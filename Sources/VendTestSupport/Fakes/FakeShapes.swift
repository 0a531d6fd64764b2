// The shapes below have no public initialiser (the live clients build them from answers), so
// the fakes reach their internal ones. SwiftPM's debug builds (all that builds this target)
// compile every module for testing.
import AWSCore
@testable import AWSServices
import Foundation

/// Builders for the AWSServices shapes whose initialisers are internal.
enum FakeShapes {
    /// An object's head as S3 sends it: quoted ETag, version id, metadata, SHA-256 checksum.
    static func head(_ object: FakeObject) -> S3ObjectHead {
        var headers = ["content-length": "\(object.body.count)", "etag": "\"\(etag(object.body))\"",
                       "last-modified": httpDate(object.modified)]
        headers["content-type"] = object.contentType
        headers["x-amz-version-id"] = object.versionId
        for (key, value) in object.metadata { headers["x-amz-meta-\(key)"] = value }
        return S3ObjectHead(headers: headers)
    }

    /// The fake's ETag: the first 32 hex digits of the body's SHA-256 (S3 uses MD5; only equality matters).
    static func etag(_ body: Data) -> String {
        String((Data(base64Encoded: Checksums.sha256Base64(body)) ?? Data()).map { String(format: "%02x", $0) }.joined().prefix(32))
    }

    static func httpDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }

    /// A stack as DescribeStacks answers it.
    static func stack(_ stack: FakeStack) -> CloudFormation.Stack {
        CloudFormation.Stack(StackId: stack.id, StackName: stack.name, StackStatus: stack.status, StackStatusReason: stack.reason,
                             CreationTime: stack.created, LastUpdatedTime: stack.updated,
                             Outputs: stack.outputs.sorted { $0.key < $1.key }.map { CloudFormation.Output(OutputKey: $0.key, OutputValue: $0.value) },
                             Parameters: stack.parameters, Tags: stack.tags)
    }

    /// A stack event.
    static func event(id: String, stack: String, resource: String, type: String, status: String, reason: String?, at time: Date) -> CloudFormation.StackEvent {
        CloudFormation.StackEvent(EventId: id, StackName: stack, LogicalResourceId: resource, PhysicalResourceId: nil, ResourceType: type,
                                  ResourceStatus: status, ResourceStatusReason: reason, Timestamp: time)
    }

    /// A work group with an output location and whether it is enforced.
    static func workGroup(name: String, outputLocation: String?, enforced: Bool) -> Athena.WorkGroup {
        Athena.WorkGroup(Name: name, State: "ENABLED",
                         Configuration: .init(ResultConfiguration: outputLocation.map { .init(OutputLocation: $0) }, EnforceWorkGroupConfiguration: enforced))
    }

    /// Temporary credentials (fixed keys, a fresh session token).
    static func credentials(session: String, expiring: Date) -> STSCredentials {
        STSCredentials(AccessKeyId: "ASIAFAKE", SecretAccessKey: "fake-secret", SessionToken: session, Expiration: expiring)
    }

    /// An IAM role.
    static func role(name: String, id: String, arn: String, path: String, trust: String, description: String?) -> IAM.Role {
        IAM.Role(RoleName: name, RoleId: id, Arn: arn, Path: path, AssumeRolePolicyDocument: trust, Description: description, MaxSessionDuration: 3600)
    }
}
