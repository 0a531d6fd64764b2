import AWSCore
import AWSServices
import Foundation
import VendModel

extension Doctor {
    /// Central account: artifact bucket, Lake Formation settings, launch roles, shares accepted,
    /// and each producer's location registered with a user-defined role.
    public static func central(config: MeshConfig, workspace products: [ProductDefinition], region: String, clients: AWSServiceClients,
                               producerBuckets: [String: String]) async -> [DoctorCheck] {
        let account = "central"
        let roles = launchRoles(products) { $0.launchedIn == .central }
        var checks: [DoctorCheck] = []
        let bucket = config.artifacts.bucketName(accountId: config.central.accountId, region: region)
        checks.append(await check(account, "artifact bucket \(bucket) is versioned, encrypted, private and TLS-only", fix: .run(.bootstrap)) {
            var problems: [String] = []
            if try await clients.s3.getBucketVersioning(bucket) != "Enabled" { problems.append("versioning is off") }
            if try await clients.s3.getBucketEncryption(bucket) == nil { problems.append("no default encryption") }
            let block = try await clients.s3.getPublicAccessBlock(bucket)
            if !(block.BlockPublicAcls && block.IgnorePublicAcls && block.BlockPublicPolicy && block.RestrictPublicBuckets) { problems.append("public access not fully blocked") }
            if !(try await bucketPolicy(bucket, clients: clients)).contains("aws:SecureTransport") { problems.append("no bucket policy denying non-TLS requests") }
            return DoctorCheck(account: account, name: "artifact bucket \(bucket) is versioned, encrypted, private and TLS-only",
                               status: problems.isEmpty ? .pass : .fail, detail: problems.isEmpty ? "ok" : problems.joined(separator: "; "), fix: .run(.bootstrap))
        })
        checks += await lakeFormationChecks(account: account, accountId: config.central.accountId, roles: roles, clients: clients, crossAccount: true)
        for role in roles { checks.append(await roleCheck(account: account, role: role, clients: clients)) }
        checks.append(await check(account, "portfolio shares accepted", fix: .advice("run the spoke's launch command (it accepts the share)")) {
            guard let portfolioId = try await PortfolioLocator.find(config.portfolio.name, side: .owned, catalog: clients.serviceCatalog, accountId: config.central.accountId) else {
                return DoctorCheck(account: account, name: "portfolio shares accepted", status: .fail, detail: "no portfolio \"\(config.portfolio.name)\"", fix: .run(.publish))
            }
            let shares = try await clients.serviceCatalog.allPortfolioShares(portfolioId: portfolioId, type: "ACCOUNT")
            let pending = config.shares.accounts.filter { id in shares.first { $0.PrincipalId == id }?.Accepted != true }
            return DoctorCheck(account: account, name: "portfolio shares accepted", status: pending.isEmpty ? .pass : .fail,
                               detail: pending.isEmpty ? "every account in vend.yaml accepted" : "not accepted (or not shared): \(pending.joined(separator: ", "))",
                               fix: .run(.share, ", then the launch command in each listed account (it accepts the share)"))
        })
        for (domain, bucketName) in producerBuckets.sorted(by: { $0.key < $1.key }) {
            let name = "producer \(domain) location s3://\(bucketName) registered with a user-defined role"
            checks.append(await check(account, name, fix: .rerun(.launchProducer(domain: domain), " (its central registration registers the location)")) {
                let resources = try await clients.lakeFormation.allResources()
                let match = resources.first { ($0.ResourceArn ?? "").hasPrefix("arn:aws:s3:::\(bucketName)") }
                // Cross-account locations need a user-defined registration role: the service-linked role cannot reach another account's bucket.
                let ok = match != nil && !(match?.RoleArn ?? "").contains("AWSServiceRoleForLakeFormationDataAccess") && match?.RoleArn != nil
                return DoctorCheck(account: account, name: name, status: ok ? .pass : .fail,
                                   detail: match == nil ? "not registered with Lake Formation" : "registered with \(match?.RoleArn ?? "the service-linked role")",
                                   fix: .rerun(.launchProducer(domain: domain)))
            })
        }
        return checks
    }

    /// Producer account: launch role, and the data bucket's policy letting only the central roles read, TLS only.
    /// Returns the checks and the bucket name it found (for the central registration check).
    public static func producer(domain: String, config: MeshConfig, workspace products: [ProductDefinition], clients: AWSServiceClients,
                                checkRoles: Bool = true) async -> ([DoctorCheck], String?) {
        let account = "producer \(domain)"
        var checks: [DoctorCheck] = []
        // The launch roles are the account's, not the domain's: checked with its first domain only.
        for role in launchRoles(products, { $0.launchedIn == .spoke && $0.audience == .producer }) where checkRoles {
            checks.append(await roleCheck(account: account, role: role, clients: clients))
        }
        // producer-<domain>'s own outputs: another domain of the same account has its own bucket.
        let outputs = (try? await clients.launchedOutputs(named: MeshRules.producerName(domain))) ?? [:]
        guard let bucket = outputs["BucketName"] else {
            checks.append(DoctorCheck(account: account, name: "producer bucket policy", status: .skip, detail: "producer onboarding is not launched",
                                      fix: .run(.launchProducer(domain: domain))))
            return (checks, nil)
        }
        let name = "bucket \(bucket) policy lets the central registration and crawler roles read, TLS only"
        checks.append(await check(account, name, fix: .rerun(.launchProducer(domain: domain))) {
            let policy = try await bucketPolicy(bucket, clients: clients)
            let central = config.central.accountId
            let wanted = ["arn:aws:iam::\(central):role/vend-lf-registration-\(domain)", "arn:aws:iam::\(central):role/vend-crawler-\(domain)"]
            let missing = wanted.filter { !policy.contains($0) }
            let tls = policy.contains("aws:SecureTransport")
            return DoctorCheck(account: account, name: name, status: missing.isEmpty && tls ? .pass : .fail,
                               detail: missing.isEmpty ? (tls ? "ok" : "no TLS-only statement") : "missing principals: \(missing.joined(separator: ", "))",
                               fix: .rerun(.launchProducer(domain: domain)))
        })
        return (checks, bucket)
    }

    /// Consumer account: launch role (present, LF admin), no IAM-only defaults, the analyst's grants on link and
    /// target (the seed's known issue), and the Athena output location.
    public static func consumer(domain: String, config: MeshConfig, workspace products: [ProductDefinition], clients: AWSServiceClients) async -> [DoctorCheck] {
        let account = "consumer \(domain)"
        let roles = launchRoles(products) { $0.launchedIn == .spoke && $0.audience == .consumer }
        var checks: [DoctorCheck] = []
        for role in roles { checks.append(await roleCheck(account: account, role: role, clients: clients)) }
        // consumer-onboarding's own outputs: a consumer-link's ResourceLinkName is a subscription's, checked per subscription.
        let outputs = (try? await clients.launchedOutputs(named: MeshRules.consumerName(domain))) ?? [:]
        guard let workGroup = outputs["WorkGroupName"] else {
            checks.append(DoctorCheck(account: account, name: "consumer onboarding launched", status: .skip, detail: "consumer onboarding is not launched",
                                      fix: .run(.launchConsumer(domain: domain, analystRole: "ARN"))))
            return checks
        }
        checks += await lakeFormationChecks(account: account, accountId: consumerId(domain, config), roles: roles, clients: clients, crossAccount: false)
        // consumer-onboarding before 2.0.0 (or 2.0.0 keeping a legacy subscription) holds one link and
        // its analyst's grants; subscriptions made since are checked per subscription.
        if let link = outputs["ResourceLinkName"], !link.isEmpty {
            let grantName = "analyst has DESCRIBE on the link \(link) and SELECT on the target with the central catalog id"
            checks.append(await check(account, grantName, fix: .run(.doctorFix)) {
                let permissions = try await clients.lakeFormation.allPermissions()
                let (onLink, onTarget) = analystGrantHolders(permissions, link: link, centralId: config.central.accountId)
                // The principals the consumer product grants: its analyst (stack parameter) and its probe role (output).
                let declared = ((try? await consumerParameters(domain: domain, clients: clients))?["AnalystRoleArn"].map { [$0] } ?? [])
                    + (outputs["ProbeRoleArn"].map { [$0] } ?? [])
                let both = onLink.intersection(onTarget)
                let lacking = declared.isEmpty ? (both.isEmpty ? ["every principal"] : []) : declared.filter { !both.contains($0) }
                // The seed's known issue: a grant on the link is not a grant on the target table.
                return DoctorCheck(account: account, name: grantName, status: lacking.isEmpty ? .pass : .fail,
                                   detail: lacking.isEmpty ? "granted to \(both.sorted().joined(separator: ", "))" : "\(lacking.joined(separator: ", ")) lack(s) one; link grants: \(onLink.sorted().joined(separator: ", ").nonEmpty ?? "none"); target grants with catalog \(config.central.accountId): \(onTarget.sorted().joined(separator: ", ").nonEmpty ?? "none")",
                                   fix: .run(.doctorFix, " (it re-makes the grants the consumer product declares)"))
            })
        }
        let athenaName = "Athena workgroup \(workGroup) enforces an output location"
        checks.append(await check(account, athenaName, fix: .rerun(.launchConsumer(domain: domain))) {
            let group = try await clients.athena.getWorkGroup(name: workGroup)
            let location = group?.Configuration?.ResultConfiguration?.OutputLocation
            let enforced = group?.Configuration?.EnforceWorkGroupConfiguration == true
            return DoctorCheck(account: account, name: athenaName, status: location != nil && enforced ? .pass : .fail,
                               detail: group == nil ? "no such workgroup" : "output \(location ?? "none"), enforced \(enforced)",
                               fix: .rerun(.launchConsumer(domain: domain)))
        })
        return checks
    }

    /// The launch roles of the products `include` picks, each once (products may share a role), sorted.
    static func launchRoles(_ products: [ProductDefinition], _ include: (ProductDefinition) -> Bool) -> [String] {
        Array(Set(products.filter(include).map(\.launchRole.name))).sorted()
    }

    /// The bucket's policy text, or "" when it has none (S3 answers NoSuchBucketPolicy).
    static func bucketPolicy(_ bucket: String, clients: AWSServiceClients) async throws -> String {
        do {
            return try await clients.s3.getBucketPolicy(bucket)
        } catch where error.isAWS(.notFound) {
            return ""
        }
    }

    /// The parameters consumer-<domain> was launched with (its stack's).
    static func consumerParameters(domain: String, clients: AWSServiceClients) async throws -> [String: String]? {
        guard let product = try await clients.serviceCatalog.allProvisionedProducts().first(where: { $0.Name == MeshRules.consumerName(domain) }) else { return nil }
        return try await MeshRepair.stackParameters(product, clients: clients)
    }

    static func consumerId(_ domain: String, _ config: MeshConfig) -> String {
        config.consumers.first { $0.domain == domain }?.accountId ?? ""
    }
}

extension String {
    /// nil for the empty string.
    var nonEmpty: String? { isEmpty ? nil : self }
}
