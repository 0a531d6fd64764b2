import AWSCore
import AWSServices
import Foundation

/// The live services of one account and region a launch talks to, and how it reports progress.
public struct LaunchEnvironment: Sendable {
    /// The account the credentials belong to (checked with STS by the caller).
    public var accountId: String
    /// The region.
    public var region: String
    /// The account's clients (the one client bag).
    public var clients: AWSServiceClients
    /// Sleeps between polls.
    public var clock: any AWSClock
    /// One line per step or change while waiting, on stderr.
    public var progress: @Sendable (String) -> Void

    /// Creates an environment.
    public init(accountId: String, region: String, clients: AWSServiceClients, clock: any AWSClock, progress: @escaping @Sendable (String) -> Void) {
        self.accountId = accountId
        self.region = region
        self.clients = clients
        self.clock = clock
        self.progress = progress
    }

    /// Service Catalog as an end user (and as the owner in the central account).
    public var serviceCatalog: any ServiceCatalogClient { clients.serviceCatalog }
    /// IAM, for the product's local launch role.
    public var iam: any IAMClient { clients.iam }
    /// CloudFormation, to read the provisioned product's stack (parameters, events).
    public var cloudFormation: any CloudFormationClient { clients.cloudFormation }

    /// The CloudFormation stack Service Catalog runs a provisioned product in.
    /// Assumption (AWS and the local cloud): it is named `SC-<account>-<provisioned product id>`
    /// and lives in the launching account.
    public func stackName(provisionedProductId: String) -> String { Self.stackName(accountId: accountId, provisionedProductId: provisionedProductId) }

    /// `SC-<account>-<provisioned product id>`.
    static func stackName(accountId: String, provisionedProductId: String) -> String { "SC-\(accountId)-\(provisionedProductId)" }

    /// The stack of a provisioned product: the one Service Catalog names in `PhysicalId` (its ARN),
    /// else vend's name for it in `accountId` (nil when neither is known).
    static func stackName(of product: ServiceCatalog.ProvisionedProductAttribute, accountId: String) -> String? {
        if let physical = product.PhysicalId, !physical.isEmpty { return physical }
        guard !accountId.isEmpty, let id = product.Id else { return nil }
        return stackName(accountId: accountId, provisionedProductId: id)
    }

    /// The stack of `product` in this account.
    func stackName(of product: ServiceCatalog.ProvisionedProductAttribute) -> String? { Self.stackName(of: product, accountId: accountId) }
}

/// Why a launch, a spoke preparation, an upgrade, a termination or a service action did not
/// complete, as data.
public enum LaunchError: EngineFailure, Equatable {
    /// No provisioned product of that name in the account.
    case noProvisionedProduct(name: String, accountId: String, region: String)
    /// The provisioned product lacks its product id.
    case noProductId(name: String)
    /// `--version` names a version the product does not have (or cannot launch).
    case noSuchVersion(product: String, version: String, available: [String])
    /// No version to upgrade to.
    case nothingToUpgradeTo(product: String)
    /// No launch path for an upgrade.
    case noLaunchPathForUpgrade(product: String, accountId: String)
    /// Service Catalog answered a provisioning call without a record id.
    case noRecordId(label: String)
    /// A record (launch, update, upgrade, termination) ended in failure.
    case recordFailed(label: String, what: String, status: String, errors: String, cause: String?)
    /// A record did not finish in time.
    case recordTimedOut(label: String, status: String, seconds: Int, recordId: String)
    /// The provisioned product's first launch failed: it can only be terminated.
    case firstLaunchFailed(name: String, id: String, message: String)
    /// The provisioned product is in ERROR after it once succeeded (a failed update): it is not replaced.
    case failedAfterSuccess(name: String, id: String, message: String, lastSuccessfulRecordId: String)
    /// The portfolio is not shared with the account: no share to accept.
    case notShared(portfolio: String, portfolioId: String, accountId: String)
    /// DescribeProduct answered without a product id.
    case productUnreadable(product: String)
    /// The version is not in the account's view of the product.
    case versionNotInAccount(product: String, version: String, accountId: String, available: [String])
    /// No launch path appeared in time.
    case noLaunchPath(product: String, accountId: String, seconds: Int, why: String, portfolio: String)
    /// add-source: the domain's central registration is not provisioned.
    case registrationMissing(name: String, accountId: String)
    /// add-source: the registration lacks the outputs the action needs.
    case registrationIncomplete(name: String, outputs: [String])
    /// add-source: the source exists with another path.
    case sourcePathChanged(source: String, name: String, crawler: String, paths: [String])
    /// add-source: the action is not associated with the provisioned product's version.
    case actionNotAssociated(action: String, name: String, version: String)
    /// add-source: the action's execution failed.
    case actionFailed(action: String, name: String, execution: String, failure: String, s3Path: String)
    /// add-source: the crawl found no data under the path.
    case crawlFoundNoData(action: String, name: String, crawler: String, s3Path: String, database: String)
    /// --with-sample-data without sample files.
    case noSampleData(folder: String)
    /// A product of the workspace lacks its launch-role policy file.
    case noLaunchRolePolicy(product: String, policy: String)

    /// What happened: why.
    public var description: String {
        switch self {
        case let .noProvisionedProduct(name, accountId, region): return "there is no provisioned product \"\(name)\" in account \(accountId) (\(region))"
        case let .noProductId(name): return "\(name) has no product id"
        case let .noSuchVersion(product, version, available): return "\(product) has no launchable version \(version) — available: \(available.joined(separator: ", "))"
        case let .nothingToUpgradeTo(product): return "\(product) has no version to upgrade to"
        case let .noLaunchPathForUpgrade(product, accountId): return "no launch path for \(product) in account \(accountId)"
        case let .noRecordId(label): return "\(label): Service Catalog answered without a record id"
        case let .recordFailed(label, what, status, errors, _): return "\(label): \(what) ended \(status): \(errors)"
        case let .recordTimedOut(label, status, seconds, _): return "\(label) is still \(status) after \(seconds)s: it did not finish in time"
        case let .firstLaunchFailed(name, id, message):
            return "\(name) (\(id)) is in ERROR: its first launch failed (\(message)) and it cannot be updated"
        case let .failedAfterSuccess(name, id, message, lastSuccessfulRecordId):
            return "\(name) (\(id)) is in ERROR (\(message)): it cannot be updated, and since it once succeeded (record \(lastSuccessfulRecordId)) "
                + "its resources may hold data, so it is not replaced"
        case let .notShared(portfolio, portfolioId, accountId):
            return "portfolio \(portfolio) (\(portfolioId)) is not shared with account \(accountId): there is no share to accept"
        case let .productUnreadable(product): return "no product id in DescribeProduct for \(product)"
        case let .versionNotInAccount(product, version, accountId, available):
            return "version \(version) of \(product) is not available in account \(accountId) (available: \(available.isEmpty ? "none" : available.joined(separator: ", ")))"
        case let .noLaunchPath(product, accountId, seconds, why, _):
            return "\(product) has no launch path in account \(accountId) after \(seconds)s (\(why)): the share, the principal association or the product association has not taken effect"
        case let .registrationMissing(name, accountId): return "\(name) is not provisioned in account \(accountId): the domain has no central registration"
        case let .registrationIncomplete(name, outputs):
            return "\(name) has no DatabaseName, CrawlerRoleArn or LocationArn output (it has \(outputs.joined(separator: ", "))): its launch did not finish"
        case let .sourcePathChanged(source, name, crawler, paths):
            return "source \(source) of \(name) already exists with another path (crawler \(crawler) reads \(paths.joined(separator: ", "))): a source's path cannot change"
        case let .actionNotAssociated(action, name, version):
            return "\(action) is not associated with \(name)'s version \(version): publish associates it with every active version"
        case let .actionFailed(action, name, execution, failure, _): return "\(action) on \(name) failed\(execution): \(failure)"
        case let .crawlFoundNoData(action, name, crawler, s3Path, database):
            return "\(action) on \(name) failed after step WaitForCrawler: crawler \(crawler) crawled \(s3Path) but found no data (no table of \(database) lies under it)"
        case let .noSampleData(folder): return "no sample data: \(folder) holds no .csv file"
        case let .noLaunchRolePolicy(product, policy): return "product \"\(product)\" has no launch-role policy \(policy)"
        }
    }

    /// What to do next.
    public var nextStep: NextStep? {
        switch self {
        case .noProvisionedProduct: return .command("check the name with", .status, "")
        case .noProductId: return .rerun(.status)
        case .noSuchVersion: return .advice("pass one of those with --version")
        case .nothingToUpgradeTo: return .advice("publish one first")
        case .noLaunchPathForUpgrade: return .advice("accept the share and associate your principal (re-run the launch command)")
        case .noRecordId: return .advice("re-run to pick it up")
        case let .recordFailed(_, _, _, _, cause): return .advice("fix the cause\(cause.map { " (\($0))" } ?? ""), then re-run")
        case let .recordTimedOut(_, _, _, recordId): return .advice("follow record \(recordId) in the Service Catalog console, then re-run")
        case .firstLaunchFailed: return .advice("terminate it, then re-run")
        case .failedAfterSuccess:
            return .advice("repair its stack (its events in the CloudFormation console say why; e.g. continue the update rollback), or terminate it if nothing in it must be kept, then re-run")
        case .notShared: return .command("add the account to shares.accounts in vend.yaml and", .publish, " (or share) in the central account")
        case .productUnreadable: return .advice("re-run")
        case .versionNotInAccount: return .command("publish it with", .publish, " or pass one of those with --version")
        case let .noLaunchPath(product, _, _, _, portfolio): return .command("check that \(product) is in portfolio \(portfolio) (", .publish, "), then re-run")
        case .registrationMissing: return .run(.launchProducer(domain: nil), " for it first")
        case .registrationIncomplete: return .rerun(.launchProducer(domain: nil))
        case .sourcePathChanged: return .advice("pick another --source name")
        case .actionNotAssociated: return .run(.publish, ", then re-run")
        case let .actionFailed(_, _, _, _, s3Path):
            return .command("fix the cause (does \(s3Path) hold data? is the crawler role right?), then re-run", .addSource(domain: nil), " (the action picks up a crawler an earlier run created)")
        case let .crawlFoundNoData(_, _, crawler, s3Path, _):
            return .advice("check that the prefix exists in the producer's bucket and holds \(s3Path.hasSuffix("/") ? "files" : "data"), upload them, then delete the crawler (aws glue delete-crawler --name \(crawler)) and re-run")
        case .noSampleData: return .advice("restore sample-data/ or leave out --with-sample-data")
        case .noLaunchRolePolicy: return .run(.validate)
        }
    }
}
