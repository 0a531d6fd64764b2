import AWSCore
import AWSServices
import Foundation

/// The live services of one account and region a launch talks to, and how it reports progress.
public struct LaunchEnvironment: Sendable {
    /// The account the credentials belong to (checked with STS by the caller).
    public var accountId: String
    /// The region.
    public var region: String
    /// Service Catalog as an end user (and as the owner in the central account).
    public var serviceCatalog: any ServiceCatalogClient
    /// IAM, for the product's local launch role.
    public var iam: any IAMClient
    /// CloudFormation, to read the provisioned product's stack (parameters, events).
    public var cloudFormation: any CloudFormationClient
    /// Sleeps between polls.
    public var clock: any AWSClock
    /// One line per step or change while waiting, on stderr.
    public var progress: @Sendable (String) -> Void

    /// Creates an environment.
    public init(accountId: String, region: String, serviceCatalog: any ServiceCatalogClient, iam: any IAMClient,
                cloudFormation: any CloudFormationClient, clock: any AWSClock, progress: @escaping @Sendable (String) -> Void) {
        self.accountId = accountId
        self.region = region
        self.serviceCatalog = serviceCatalog
        self.iam = iam
        self.cloudFormation = cloudFormation
        self.clock = clock
        self.progress = progress
    }

    /// The CloudFormation stack Service Catalog runs a provisioned product in.
    /// Assumption (AWS and the local cloud): it is named `SC-<account>-<provisioned product id>`
    /// and lives in the launching account.
    public func stackName(provisionedProductId: String) -> String { "SC-\(accountId)-\(provisionedProductId)" }
}

/// Why a launch, a spoke preparation or a service action did not complete.
public struct LaunchError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The message: what happened, why, what to do.
    public var description: String

    /// Creates an error from its message.
    public init(_ description: String) { self.description = description }
}
