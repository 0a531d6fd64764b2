import AWSCore
import Foundation

/// The IAM calls vend makes: roles and their inline policies.
public protocol IAMClient: Sendable {
    /// CreateRole.
    func createRole(name: String, path: String?, trustPolicy: String, description: String?, tags: [String: String]) async throws -> IAM.Role
    /// GetRole; nil when it does not exist.
    func getRole(name: String) async throws -> IAM.Role?
    /// UpdateAssumeRolePolicy.
    func updateAssumeRolePolicy(roleName: String, policy: String) async throws
    /// DeleteRole.
    func deleteRole(name: String) async throws
    /// PutRolePolicy.
    func putRolePolicy(roleName: String, policyName: String, policy: String) async throws
    /// GetRolePolicy: the URL-decoded policy JSON; nil when absent.
    func getRolePolicy(roleName: String, policyName: String) async throws -> String?
    /// ListRolePolicies (all pages).
    func listRolePolicies(roleName: String) async throws -> [String]
    /// DeleteRolePolicy.
    func deleteRolePolicy(roleName: String, policyName: String) async throws
}

/// IAM over AWSCore's Query protocol (global endpoint per partition).
public struct LiveIAMClient: IAMClient {
    /// The service client.
    public let service: AWSServiceClient

    /// Creates the client for a session.
    public init(session: AWSSession) throws { service = try session.serviceClient(.iam) }
    /// Creates the client over a service client.
    public init(service: AWSServiceClient) { self.service = service }

    /// Reads a `<Role>` element.
    static func role(_ node: XMLElementNode?) -> IAM.Role? {
        guard let node, let name = node.string("RoleName") else { return nil }
        return IAM.Role(RoleName: name, RoleId: node.string("RoleId"), Arn: node.string("Arn") ?? "", Path: node.string("Path"),
                        AssumeRolePolicyDocument: node.string("AssumeRolePolicyDocument").map { $0.removingPercentEncoding ?? $0 },
                        Description: node.string("Description"), MaxSessionDuration: node.string("MaxSessionDuration").flatMap { Int($0) })
    }

    /// CreateRole (not retried: it carries no idempotency token).
    public func createRole(name: String, path: String?, trustPolicy: String, description: String?, tags: [String: String]) async throws -> IAM.Role {
        var parameters = QueryParameters()
        parameters.set("RoleName", name)
        parameters.set("Path", path)
        parameters.set("AssumeRolePolicyDocument", trustPolicy)
        parameters.set("Description", description)
        parameters.list("Tags", tags.sorted { $0.key < $1.key }.map { ["Key": $0.key, "Value": $0.value] })
        let result = try await service.query("CreateRole", parameters.values, idempotent: false)
        guard let role = Self.role(result["Role"]) else {
            throw AWSServiceError(code: "InvalidResponse", message: "no Role in the answer", status: 200, operation: "IAM CreateRole", retryKind: .client)
        }
        return role
    }

    /// GetRole.
    public func getRole(name: String) async throws -> IAM.Role? {
        let result: XMLElementNode
        do {
            result = try await service.query("GetRole", ["RoleName": name], idempotent: true)
        } catch where error.isAWS(.notFound) {
            return nil
        }
        // IAM answers a missing role with NoSuchEntity (above), never with an empty result: read
        // as "no role", an empty answer would make vend try to create a role that exists.
        guard let role = Self.role(result["Role"]) else {
            throw AWSServiceError(code: "InvalidResponse", message: "the answer names no role \"\(name)\" and no error", status: 200,
                                  operation: "IAM GetRole", retryKind: .client)
        }
        return role
    }

    /// UpdateAssumeRolePolicy.
    public func updateAssumeRolePolicy(roleName: String, policy: String) async throws {
        _ = try await service.query("UpdateAssumeRolePolicy", ["RoleName": roleName, "PolicyDocument": policy], idempotent: true)
    }

    /// DeleteRole.
    public func deleteRole(name: String) async throws {
        _ = try await service.query("DeleteRole", ["RoleName": name], idempotent: true)
    }

    /// PutRolePolicy.
    public func putRolePolicy(roleName: String, policyName: String, policy: String) async throws {
        _ = try await service.query("PutRolePolicy", ["RoleName": roleName, "PolicyName": policyName, "PolicyDocument": policy], idempotent: true)
    }

    /// GetRolePolicy.
    public func getRolePolicy(roleName: String, policyName: String) async throws -> String? {
        do {
            let result = try await service.query("GetRolePolicy", ["RoleName": roleName, "PolicyName": policyName], idempotent: true)
            return result.string("PolicyDocument").map { $0.removingPercentEncoding ?? $0 }
        } catch where error.isAWS(.notFound) {
            return nil
        }
    }

    /// ListRolePolicies.
    public func listRolePolicies(roleName: String) async throws -> [String] {
        try await Paginator.collect { marker in
            var parameters = QueryParameters()
            parameters.set("RoleName", roleName)
            parameters.set("Marker", marker)
            let result = try await service.query("ListRolePolicies", parameters.values, idempotent: true)
            let names = (result["PolicyNames"]?.all("member") ?? []).map(\.text)
            return (names, result.string("IsTruncated") == "true" ? result.string("Marker") : nil)
        }
    }

    /// DeleteRolePolicy.
    public func deleteRolePolicy(roleName: String, policyName: String) async throws {
        _ = try await service.query("DeleteRolePolicy", ["RoleName": roleName, "PolicyName": policyName], idempotent: true)
    }
}
