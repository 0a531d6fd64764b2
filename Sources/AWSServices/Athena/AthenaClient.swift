import AWSCore
import Foundation

/// Athena's service description (JSON 1.1, target prefix AmazonAthena).
extension AWSServiceInfo {
    /// Amazon Athena.
    public static let athena = AWSServiceInfo(sdkId: "Athena", endpointPrefix: "athena", wireProtocol: .json(version: "1.1", targetPrefix: "AmazonAthena"))
}

/// The Athena calls vend makes: `vend doctor` reads a consumer's workgroup.
public protocol AthenaClient: Sendable {
    /// GetWorkGroup.
    func getWorkGroup(name: String) async throws -> Athena.WorkGroup?
}

/// Athena shapes, with AWS's member names (only the members vend reads).
public enum Athena {
    /// `WorkGroup`.
    public struct WorkGroup: Codable, Sendable, Equatable {
        /// `Name`.
        public var Name: String?
        /// `State` (ENABLED / DISABLED).
        public var State: String?
        /// `Configuration`.
        public var Configuration: WorkGroupConfiguration?
    }

    /// `WorkGroupConfiguration`.
    public struct WorkGroupConfiguration: Codable, Sendable, Equatable {
        /// `ResultConfiguration`.
        public var ResultConfiguration: ResultConfiguration?
        /// `EnforceWorkGroupConfiguration`.
        public var EnforceWorkGroupConfiguration: Bool?
    }

    /// `ResultConfiguration`.
    public struct ResultConfiguration: Codable, Sendable, Equatable {
        /// `OutputLocation`.
        public var OutputLocation: String?
    }
}

/// Athena over AWSCore.
public struct LiveAthenaClient: AthenaClient {
    /// The service client.
    public let service: AWSServiceClient

    /// Creates the client for a session.
    public init(session: AWSSession) throws { service = try session.serviceClient(.athena) }

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
