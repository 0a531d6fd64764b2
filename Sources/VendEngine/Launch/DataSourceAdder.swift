import AWSCore
import AWSServices
import Foundation

/// Runs producer-registration's AddDataSource service action on a domain's provisioned product
/// and follows it to the end.
public struct DataSourceAdder: Sendable {
    /// The central account, where the registration is provisioned (Glue tells whether the source
    /// was already added; SSM shows the automation's current step while it runs).
    public var environment: LaunchEnvironment

    /// Creates an adder.
    public init(environment: LaunchEnvironment) { self.environment = environment }

    /// Glue in the central account.
    var glue: any GlueClient { environment.clients.glue }

    /// The SSM document publish creates for the action (`vend-<product>-<action>`).
    public static let documentName = "vend-producer-registration-AddDataSource"

    /// The newest step of the newest automation of the action's document started since `since`,
    /// as "step NAME STATUS" — what the action is doing now.
    /// Assumption (AWS): Service Catalog runs the action's automation in the provisioned product's account.
    static func currentStep(ssm: any SSMClient, since: Date) async -> String? {
        guard let executions = try? await ssm.describeAutomationExecutions(.init(Filters: [.init(Key: "DocumentNamePrefix", Values: [documentName])])).AutomationExecutionMetadataList,
              let newest = executions.filter({ ($0.ExecutionStartTime ?? .distantPast) >= since.addingTimeInterval(-5) })
                .max(by: { ($0.ExecutionStartTime ?? .distantPast) < ($1.ExecutionStartTime ?? .distantPast) }),
              let id = newest.AutomationExecutionId,
              let execution = try? await ssm.getAutomationExecution(.init(AutomationExecutionId: id)).AutomationExecution else { return nil }
        guard let step = execution.StepExecutions?.last(where: { $0.StepStatus != "Pending" }) else { return "automation \(id) \(execution.AutomationExecutionStatus ?? "")" }
        return "step \(step.StepName ?? "?") \(step.StepStatus ?? "")"
    }

    /// The service action's name as publish creates it (`<product>-<action>`).
    public static let actionName = "producer-registration-AddDataSource"

    /// What the action did.
    public struct Result: Sendable, Codable, Equatable {
        /// The provisioned product's name.
        public var provisionedProduct: String
        /// The crawler of the source.
        public var crawler: String
        /// The crawled S3 path.
        public var s3Path: String
        /// `added` or `unchanged`.
        public var action: String
        /// The record's status (empty when unchanged).
        public var status: String
        /// The record's outputs (execution id, status, document outputs).
        public var outputs: [String: String]
    }

    /// Adds source `source` at `prefix` (in the domain's bucket) to the provisioned product `name`.
    public func run(provisionedProductName name: String, source: String, prefix: String, format: String) async throws -> Result {
        let sc = environment.serviceCatalog
        guard let product = try await Provisioner.provisionedProduct(named: name, in: sc),
              let ppId = product.Id, product.ProductId != nil, product.ProvisioningArtifactId != nil else {
            throw LaunchError.registrationMissing(name: name, accountId: environment.accountId)
        }
        let outputs = Dictionary(try await sc.allOutputs(provisionedProductId: ppId).compactMap { o in o.OutputKey.map { ($0, o.OutputValue ?? "") } },
                                 uniquingKeysWith: { first, _ in first })
        guard let database = outputs["DatabaseName"], let crawlerRole = outputs["CrawlerRoleArn"], let location = outputs["LocationArn"],
              let bucket = location.split(separator: ":").last.map(String.init), !bucket.isEmpty else {
            throw LaunchError.registrationIncomplete(name: name, outputs: outputs.keys.sorted())
        }
        let cleanPrefix = prefix.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        let s3Path = "s3://\(bucket)/\(cleanPrefix.isEmpty ? "" : cleanPrefix + "/")"
        // Assumption (actions/add-data-source.yaml): the action names the crawler <DatabaseName>-<SourceName>;
        // a crawler of that name over the same path whose last crawl succeeded means the source is already added.
        let crawlerName = "\(database)-\(source)"
        if let crawler = try await existingCrawler(crawlerName) {
            let paths = crawler.Targets?.S3Targets?.compactMap(\.Path) ?? []
            if !paths.contains(s3Path) {
                throw LaunchError.sourcePathChanged(source: source, name: name, crawler: crawlerName, paths: paths)
            }
            if crawler.LastCrawl?.Status == "SUCCEEDED" {
                try await requireTables(database: database, s3Path: s3Path, crawler: crawlerName, provisionedProduct: name)
                environment.progress("\(crawlerName): already added (last crawl SUCCEEDED)")
                return Result(provisionedProduct: name, crawler: crawlerName, s3Path: s3Path, action: "unchanged", status: "", outputs: ["DescribeCrawler.CrawlerName": crawlerName, "DescribeCrawler.LastCrawlStatus": "SUCCEEDED"])
            }
        }
        let parameters = ["DatabaseName": database, "SourceName": source, "S3Path": s3Path, "CrawlerRoleArn": crawlerRole, "Format": format]
        environment.progress("\(name): running \(Self.actionName) for \(s3Path)")
        let client = environment.clients.ssm
        let execution = try await ServiceActionRunner(environment: environment).run(Self.actionName, on: product, parameters: parameters,
                                                                                     events: { await Self.currentStep(ssm: client, since: $0) })
        let recordOutputs = execution.outputs
        if let failure = execution.failure {
            let run = recordOutputs["AutomationExecutionId"].map { " (automation execution \($0))" } ?? ""
            throw LaunchError.actionFailed(action: Self.actionName, name: name, execution: run, failure: failure, s3Path: s3Path)
        }
        try await requireTables(database: database, s3Path: s3Path, crawler: crawlerName, provisionedProduct: name)
        return Result(provisionedProduct: name, crawler: crawlerName, s3Path: s3Path, action: "added", status: "SUCCEEDED", outputs: recordOutputs)
    }

    /// Fails when no table of the database lies under the source's path.
    /// Assumption (Glue): crawling a prefix that does not exist succeeds and creates no table, so the
    /// action's own AssertCrawlSucceeded step passes; vend checks the result itself.
    private func requireTables(database: String, s3Path: String, crawler: String, provisionedProduct name: String) async throws {
        if try await glue.allTables(databaseName: database).contains(where: { $0.StorageDescriptor?.Location?.hasPrefix(s3Path) == true }) { return }
        throw LaunchError.crawlFoundNoData(action: Self.actionName, name: name, crawler: crawler, s3Path: s3Path, database: database)
    }

    /// The crawler of that name, or nil.
    private func existingCrawler(_ name: String) async throws -> Glue.Crawler? {
        do {
            return try await glue.getCrawler(.init(Name: name)).Crawler
        } catch where error.isAWS(.notFound) {
            return nil
        }
    }
}
