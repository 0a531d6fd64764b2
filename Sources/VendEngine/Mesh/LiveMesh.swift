import AWSCore
import AWSServices
import Foundation
import VendBundle
import VendModel

/// What the mesh is on AWS, as `plan` reads it: every account read in parallel, an account that
/// could not be opened kept as "not read" (plan still runs with central alone).
public struct LiveMesh: Sendable {
    /// One provisioned product vend named, as it runs.
    public struct Provisioned: Sendable, Equatable, Codable {
        public var name: String
        public var id: String
        public var product: String
        public var artifactId: String
        /// The version (provisioning artifact name).
        public var version: String
        public var status: String
        public var statusMessage: String
        public var lastRecordId: String
        /// Empty when it never launched successfully.
        public var lastSuccessfulRecordId: String
        /// The stack's parameters (Service Catalog keeps no other copy).
        public var parameters: [String: String]
        public var outputs: [String: String]
        /// Whether `parameters` were read (false: its stack could not be found).
        public var parametersKnown: Bool

        /// Creates a record.
        public init(name: String, id: String, product: String, artifactId: String, version: String, status: String, statusMessage: String,
                    lastRecordId: String, lastSuccessfulRecordId: String, parameters: [String: String], outputs: [String: String], parametersKnown: Bool = true) {
            self.name = name
            self.id = id
            self.product = product
            self.artifactId = artifactId
            self.version = version
            self.status = status
            self.statusMessage = statusMessage
            self.lastRecordId = lastRecordId
            self.lastSuccessfulRecordId = lastSuccessfulRecordId
            self.parameters = parameters
            self.outputs = outputs
            self.parametersKnown = parametersKnown
        }
    }

    /// A source's crawler in central.
    public struct Crawler: Sendable, Equatable, Codable {
        public var name: String
        public var paths: [String]
        public var lastCrawl: String

        /// Creates a record.
        public init(name: String, paths: [String], lastCrawl: String) {
            self.name = name
            self.paths = paths
            self.lastCrawl = lastCrawl
        }
    }

    /// An empty mesh (nothing read yet).
    public init() {}

    /// Provisioned products by account id, then name.
    public var products: [String: [String: Provisioned]] = [:]
    /// Central's crawlers of vend's databases, by name.
    public var crawlers: [String: Crawler] = [:]
    /// The values the central `domain` LF tag holds (nil: no such tag, the baseline is not there).
    public var domainTagValues: [String]?
    /// The baseline stack's template digest tag and status (nil: no stack).
    public var baseline: (status: String, templateDigest: String)?
    /// Subscriptions: requests, decisions and keys.
    public var subscriptions = MeshSubscriptions()
    /// Declared grants and links missing, by account id (MeshRepair, planned).
    public var repairs: [String: [MeshRepair.Repair]] = [:]
    /// Whether a source's prefix holds objects, by `domain/source` (absent: not read).
    public var sourceHasData: [String: Bool] = [:]
    /// What apply recorded as its own.
    public var applied = AppliedRecord()
    /// Accounts not read, with why.
    public var notRead: [String: String] = [:]
    /// Accounts whose grants were not judged for drift (the caller is not a data lake administrator there).
    public var grantsUnchecked: [String] = []
    /// Per account, the sorted lines of what was read (for the plan's fingerprints).
    public var readLines: [String: [String]] = [:]

    /// The provisioned product `name` in `account`, if it exists.
    public func product(_ name: String, in account: String) -> Provisioned? { products[account]?[name] }

    /// SHA-256 per account over what was read from it.
    public var fingerprints: [String: String] {
        readLines.mapValues { SHA256Hasher.hex(Data($0.sorted().joined(separator: "\n").utf8)) }
    }
}

/// Reads the live mesh: per account in parallel (bounded by `apply.parallel`), central first
/// among equals. Only reads.
public struct MeshReader: Sendable {
    public var workspace: Workspace
    public var desired: DesiredMesh

    /// Creates the reader.
    public init(workspace: Workspace, desired: DesiredMesh) {
        self.workspace = workspace
        self.desired = desired
    }

    var config: MeshConfig { workspace.config }

    /// The snapshot; central must be open.
    public func read(_ accounts: OpenedAccounts) async throws -> LiveMesh {
        var live = LiveMesh()
        live.notRead = accounts.failures
        guard let central = accounts.contexts[config.central.accountId] else {
            throw MeshError.centralNotRead(reason: accounts.failures[config.central.accountId] ?? "not opened")
        }
        // Everything is read at once (reads change nothing; each client bounds its wire): the
        // subscriptions and central's own state beside every account's products and declarations.
        async let subscriptions = SubscriptionReader(config: config).read(accounts, records: false)
        async let centralState = readCentral(central)
        let ids = accounts.contexts.keys.sorted()
        // Each account's provisioned products and the grants/links they declare that are missing.
        let perAccount = try await ids.concurrentMap { id -> (String, [String: LiveMesh.Provisioned], [MeshRepair.Repair], Bool) in
            guard let context = accounts.contexts[id] else { return (id, [:], [], false) }
            async let products = Self.products(context)
            async let planned = MeshRepair.repair(context, workspace: workspace.products, apply: false, strict: true)
            // Assumption (AWS): ListPermissions shows a caller who is not a data lake administrator
            // only part of the account's grants, and only an administrator (or a grantable holder)
            // may grant on shared resources ("Lake Formation personas and IAM permissions reference",
            // https://docs.aws.amazon.com/lake-formation/latest/dg/permissions-reference.html). So
            // grants are judged only where the caller is an administrator; links always.
            async let admin = Self.isLakeFormationAdmin(context)
            var repairs = try await planned.filter { $0.action == "planned" }
            if !(try await admin) { repairs = repairs.filter { $0.detail.hasPrefix("resource link") } }
            return (id, try await products, repairs, try await admin)
        }
        for (id, products, repairs, admin) in perAccount {
            live.products[id] = products
            live.repairs[id] = repairs
            if !admin { live.grantsUnchecked.append(id) }
            var lines = products.values.map { "pp|\($0.name)|\($0.id)|\($0.artifactId)|\($0.lastRecordId)|\($0.status)|\(Self.canonical($0.parameters))" }
            lines += repairs.map { "missing|\($0.provisionedProduct)|\($0.resource)|\($0.detail)" }
            live.readLines[id] = lines
        }
        let (crawlers, tags, baseline, applied) = try await centralState
        live.crawlers = crawlers
        live.domainTagValues = tags
        live.baseline = baseline
        live.applied = applied
        live.subscriptions = try await subscriptions
        live.sourceHasData = try await sourceData(accounts, products: live.products, crawlers: crawlers)
        var central_ = live.readLines[central.accountId] ?? []
        central_ += crawlers.values.map { "crawler|\($0.name)|\($0.paths.sorted().joined(separator: ","))|\($0.lastCrawl)" }
        central_.append("tag|domain|\((tags ?? []).sorted().joined(separator: ","))")
        central_.append("baseline|\(baseline?.status ?? "-")|\(baseline?.templateDigest ?? "-")")
        central_.append("applied|\(applied.lines.joined(separator: ","))")
        central_ += live.subscriptions.keys.map { "key|\($0.key)|\($0.value.provisionedProductId)|\($0.value.status)" }
        central_ += live.subscriptions.decisions.map { "decision|\($0.key)|\($0.value.requestVersion)|\($0.value.verdict.rawValue)|\($0.value.decidedAt?.timeIntervalSince1970 ?? 0)" }
        live.readLines[central.accountId] = central_
        for (pair, request) in live.subscriptions.requests {
            live.readLines[request.account, default: []].append("request|\(pair)|\(request.version)|\(request.reason)")
        }
        for (key, value) in live.sourceHasData {
            let domain = String(key.split(separator: "/").first ?? "")
            if let account = desired.producers.first(where: { $0.domain == domain })?.account { live.readLines[account, default: []].append("data|\(key)|\(value)") }
        }
        return live
    }

    /// Parameters as one comparable line.
    static func canonical(_ parameters: [String: String]) -> String {
        parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";")
    }

    /// The account's provisioned products of vend's products (by product name), with their stacks'
    /// parameters and their outputs.
    static func products(_ context: AccountContext) async throws -> [String: LiveMesh.Provisioned] {
        let sc = context.clients.serviceCatalog
        let listed = try await sc.allProvisionedProducts().filter { $0.Name.map(Self.isVendName) == true && $0.Id != nil }
        // Read at once: central holds a registration per domain (the client bounds the wire).
        let read = try await listed.concurrentMap { product -> LiveMesh.Provisioned in
            let name = product.Name ?? "", id = product.Id ?? ""
            var parameters: [String: String] = [:]
            var outputs: [String: String] = [:]
            // Only the domain products are compared parameter by parameter; the subscription keys
            // are read by the subscription reader.
            var known = false
            if Self.isDomainProduct(name) && product.Status != "UNDER_CHANGE" {
                // An AWS error fails the read (a faulted read is not "unset"); a stack that is gone
                // leaves the parameters unknown, and they are not compared.
                do {
                    parameters = try await MeshRepair.stackParameters(product, clients: context.clients, accountId: context.accountId)
                    known = true
                } catch is DoctorRefusal {
                    known = false
                }
                if product.Status == "AVAILABLE" || product.Status == "TAINTED" {
                    outputs = try await SubscriptionReader.outputs(id, sc)
                }
            }
            return .init(name: name, id: id, product: product.ProductName ?? "", artifactId: product.ProvisioningArtifactId ?? "",
                         version: product.ProvisioningArtifactName ?? "", status: product.Status ?? "", statusMessage: product.StatusMessage ?? "",
                         lastRecordId: product.LastRecordId ?? "", lastSuccessfulRecordId: product.LastSuccessfulProvisioningRecordId ?? "",
                         parameters: parameters, outputs: outputs, parametersKnown: known)
        }
        return Dictionary(read.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Whether the caller is one of the account's data lake administrators.
    static func isLakeFormationAdmin(_ context: AccountContext) async throws -> Bool {
        let admins = try await context.clients.lakeFormation.getDataLakeSettings(.init()).DataLakeSettings?.DataLakeAdmins?.compactMap(\.DataLakePrincipalIdentifier) ?? []
        return admins.contains(context.principal) || admins.contains(context.callerArn)
    }

    /// Names vend gives provisioned products.
    static func isVendName(_ name: String) -> Bool {
        ["producer-", "consumer-", "link-", "access-"].contains { name.hasPrefix($0) }
    }

    /// producer-D, producer-registration-D, consumer-D (not consumer-registration-…, a subscription key).
    static func isDomainProduct(_ name: String) -> Bool {
        name.hasPrefix("producer-") || (name.hasPrefix("consumer-") && !name.hasPrefix("consumer-registration-"))
    }

    /// Central: vend's crawlers, the domain tag's values, the baseline stack, apply's record.
    func readCentral(_ central: AccountContext) async throws -> ([String: LiveMesh.Crawler], [String]?, (status: String, templateDigest: String)?, AppliedRecord) {
        var crawlers: [String: LiveMesh.Crawler] = [:]
        for crawler in try await central.clients.glue.allCrawlers() {
            // AddDataSource names a source's crawler `<DatabaseName>-<SourceName>` (actions/add-data-source.yaml).
            guard let name = crawler.Name, let database = crawler.DatabaseName, name.hasPrefix(database + "-") else { continue }
            crawlers[name] = .init(name: name, paths: crawler.Targets?.S3Targets?.compactMap(\.Path) ?? [], lastCrawl: crawler.LastCrawl?.Status ?? "")
        }
        var tags: [String]?
        do {
            tags = try await central.clients.lakeFormation.allLFTags().first { $0.TagKey == "domain" }?.TagValues
        } catch let error as AWSServiceError where error.meaning == .notFound || error.meaning == .accessDenied {
            tags = nil
        }
        let stack = try await central.clients.cloudFormation.describeStack(name: Bootstrapper.stackName)
        let baseline = stack.map { stack in (stack.StackStatus, stack.Tags.first { $0.Key == Bootstrapper.templateTag }?.Value ?? "") }
        let bucket = config.artifacts.bucketName(accountId: config.central.accountId, region: central.region)
        let applied = try await AppliedRecord.read(s3: central.clients.s3, bucket: bucket)
        return (crawlers, tags, baseline, applied)
    }

    /// For each declared source without a finished crawl: whether its prefix holds an object (read
    /// in the producer's account with its bucket from the onboarding's outputs), all at once.
    func sourceData(_ accounts: OpenedAccounts, products: [String: [String: LiveMesh.Provisioned]],
                    crawlers: [String: LiveMesh.Crawler]) async throws -> [String: Bool] {
        var pending: [(key: String, context: AccountContext?, bucket: String?, prefix: String)] = []
        for producer in desired.producers {
            let bucket = products[producer.account]?[producer.onboarding.name]?.outputs["BucketName"].flatMap { $0.isEmpty ? nil : $0 }
            for source in producer.sources {
                let crawler = crawlers["\(MeshRules.databaseName(producer.domain))-\(source.name)"]
                if crawler?.lastCrawl == "SUCCEEDED" { continue }
                let prefix = source.prefix.hasPrefix("/") ? String(source.prefix.dropFirst()) : source.prefix
                pending.append(("\(producer.domain)/\(source.name)", accounts.contexts[producer.account], bucket, prefix))
            }
        }
        let found = try await pending.concurrentMap { item -> (String, Bool?) in
            // An account not read leaves the answer unknown (absent); no bucket yet means no data.
            guard let context = item.context else { return (item.key, nil) }
            guard let bucket = item.bucket else { return (item.key, false) }
            do {
                let page = try await context.clients.s3.listObjectsPage(bucket: bucket, prefix: item.prefix, continuationToken: nil)
                return (item.key, !page.objects.isEmpty)
            } catch let error as AWSServiceError where error.code == "NoSuchBucket" {
                return (item.key, false)
            }
        }
        return Dictionary(found.compactMap { key, value in value.map { (key, $0) } }, uniquingKeysWith: { first, _ in first })
    }
}
