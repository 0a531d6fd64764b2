import AWSCore
import Foundation

/// The Athena calls vend makes: `vend doctor` reads a consumer's workgroup.
public protocol AthenaClient: Sendable {
    /// GetWorkGroup.
    func getWorkGroup(name: String) async throws -> Athena.WorkGroup?
}

/// Athena over AWSCore.
public struct LiveAthenaClient: AthenaClient {
    /// The service client.
    public let service: AWSServiceClient

    /// Creates the client for a session.
    public init(session: AWSSession) throws { service = try session.serviceClient(.athena) }
    /// Creates the client over a service client.
    public init(service: AWSServiceClient) { self.service = service }

    struct GetWorkGroupInput: Encodable { var WorkGroup: String }
    struct GetWorkGroupOutput: Decodable { var WorkGroup: Athena.WorkGroup? }

    /// GetWorkGroup; nil when AWS answers that the work group does not exist (InvalidRequestException).
    public func getWorkGroup(name: String) async throws -> Athena.WorkGroup? {
        do {
            let output: GetWorkGroupOutput = try await service.json("GetWorkGroup", GetWorkGroupInput(WorkGroup: name), idempotent: true)
            return output.WorkGroup
        } catch where error.isAWS(.notFound) {
            return nil
        }
    }
}
