import AWSCore
import AWSServices
import Foundation
import VendModel

/// One table as `doctor --probe` reports it: its row count, or why the query gave none. Never a data value.
public struct ProbedTable: Codable, Sendable, Equatable {
    /// The table's name (through the resource link).
    public var table: String
    /// `SELECT count(*)`'s answer when the query succeeded.
    public var rows: Int?
    /// Athena's final state (SUCCEEDED, FAILED, CANCELLED), or `TIMED OUT` (stopped by vend).
    public var state: String
    /// Athena's reason when it did not succeed.
    public var reason: String?
}

/// How long the probe waits for each query, and how often it looks.
public struct ProbeOptions: Sendable, Equatable {
    /// Seconds before a query is stopped (StopQueryExecution) and reported as timed out.
    public var timeoutSeconds: Double
    /// Seconds between GetQueryExecution calls.
    public var pollSeconds: Double

    /// Creates options.
    public init(timeoutSeconds: Double = 60, pollSeconds: Double = 0.25) {
        self.timeoutSeconds = timeoutSeconds
        self.pollSeconds = pollSeconds
    }
}

extension Doctor {
    /// `doctor --probe` for one consumer domain: for each producer domain it reads (`links`: producer
    /// domain → resource link; empty means the link its consumer-onboarding holds, as before
    /// subscriptions), a `SELECT count(*)` per table through the link, in the consumer's workgroup,
    /// as the analyst role (assumed) or, where it cannot be assumed, as the probe role the consumer
    /// product creates with the analyst's grants. One check line per domain: PASS with the tables
    /// and counts, or FAIL with Athena's reason and the missing grant.
    public static func probe(domain: String, links: [String: String], consumer: AccountContext, central: AccountContext?, resolver: any AccountResolving,
                             centralId: String, options: ProbeOptions = .init()) async -> [DoctorCheck] {
        let account = "consumer \(domain)"
        let name = MeshRules.consumerName(domain)
        do {
            guard let product = try await consumer.clients.serviceCatalog.allProvisionedProducts().first(where: { $0.Name == name && $0.Id != nil }) else {
                return [DoctorCheck(account: account, name: "probe", status: .skip, detail: "\(name) is not launched", fix: .run(.launchConsumer(domain: domain, analystRole: "ARN")))]
            }
            var outputs: [String: String] = [:]
            for output in try await consumer.clients.serviceCatalog.allOutputs(provisionedProductId: product.Id ?? "") {
                if let key = output.OutputKey, let value = output.OutputValue { outputs[key] = value }
            }
            let parameters = try await MeshRepair.stackParameters(product, clients: consumer.clients, accountId: consumer.accountId)
            var reads = links
            if let legacy = outputs["ResourceLinkName"], !legacy.isEmpty, let tag = parameters["DomainTagValue"], !tag.isEmpty { reads[tag] = legacy }
            guard let analyst = parameters["AnalystRoleArn"], let workGroup = outputs["WorkGroupName"], !reads.isEmpty else {
                return [DoctorCheck(account: account, name: "probe", status: .fail,
                                    detail: "\(name) has no AnalystRoleArn parameter or WorkGroupName output, or the consumer reads no domain",
                                    fix: .rerun(.launchConsumer(domain: domain, analystRole: "ARN")))]
            }
            let (session, via) = try await principal(analyst: analyst, probeRole: outputs["ProbeRoleArn"], consumer: consumer, resolver: resolver)
            var lines: [DoctorCheck] = []
            for (producerDomain, link) in reads.sorted(by: { $0.key < $1.key }) {
                lines.append(await probe(link: link, producerDomain: producerDomain, workGroup: workGroup, account: account, via: via, session: session,
                                         consumer: consumer, central: central, centralId: centralId, options: options))
            }
            return lines
        } catch {
            return [DoctorCheck(account: account, name: "probe", status: .fail, detail: "could not probe: \(error)", fix: .run(.doctorFix))]
        }
    }

    /// One probe line: every table through one link.
    static func probe(link: String, producerDomain: String, workGroup: String, account: String, via: String, session: AccountContext,
                      consumer: AccountContext, central: AccountContext?, centralId: String, options: ProbeOptions) async -> DoctorCheck {
        let title = "\(via) reads \(link) in workgroup \(workGroup)"
        do {
            let tables = try await session.clients.glue.allTables(databaseName: link).compactMap(\.Name).sorted()
            var results: [ProbedTable] = []
            for table in tables { results.append(await count(table, link: link, workGroup: workGroup, in: session, options: options)) }
            let failed = results.filter { $0.rows == nil }
            if !tables.isEmpty && failed.isEmpty {
                return DoctorCheck(account: account, name: title, status: .pass,
                                   detail: results.map { "\($0.table) \($0.rows ?? 0) rows" }.joined(separator: ", "), tables: results)
            }
            let gaps = await grantGaps(principal: session.callerArn, link: link, domainTag: producerDomain,
                                       consumer: consumer, central: central, centralId: centralId)
            let reasons = tables.isEmpty ? ["no table is visible through \(link)"] : failed.map { "\($0.table): \($0.state) \($0.reason ?? "")" }
            return DoctorCheck(account: account, name: title, status: .fail,
                               detail: reasons.joined(separator: "; ") + "; missing: " + (gaps.isEmpty ? "no grant vend declares (see Athena's reason)" : gaps.joined(separator: "; ")),
                               fix: .run(.doctorFix, " (it re-makes the grants the products declare)"), tables: results)
        } catch {
            return DoctorCheck(account: account, name: title, status: .fail, detail: "could not probe: \(error)", fix: .run(.doctorFix))
        }
    }

    /// The session to query as, and how the line names it: the analyst role assumed, or the probe role
    /// where the analyst cannot be assumed (an IAM Identity Center role trusts only its SAML provider).
    static func principal(analyst: String, probeRole: String?, consumer: AccountContext, resolver: any AccountResolving) async throws -> (AccountContext, String) {
        let roleName = String(analyst.split(separator: "/").last ?? "")
        let role = try? await consumer.clients.iam.getRole(name: roleName)
        let identityCenter = roleName.hasPrefix("AWSReservedSSO_") || role?.Path?.hasPrefix("/aws-reserved/sso.amazonaws.com/") == true
        let session = "vend-doctor-probe"
        if !identityCenter {
            do {
                return (try await resolver.assume(analyst, from: consumer, sessionName: session), "analyst \(analyst) (assumed)")
            } catch where probeRole != nil && error.isAWS(.accessDenied) {
                let probe = try await resolver.assume(probeRole ?? "", from: consumer, sessionName: session)
                return (probe, "probe role \(probeRole ?? "") (the analyst \(analyst) cannot be assumed by the caller: AccessDenied; the probe role has exactly its grants)")
            }
        }
        guard let probeRole else { throw DoctorRefusal(description: "analyst \(analyst) is an IAM Identity Center role, which cannot be assumed, and the consumer product has no ProbeRoleArn output (upgrade it)") }
        return (try await resolver.assume(probeRole, from: consumer, sessionName: session),
                "probe role \(probeRole) (analyst \(analyst) is an IAM Identity Center role; the probe role has exactly its grants)")
    }

    /// One `SELECT count(*)`, bounded in time: stopped with StopQueryExecution when it runs past the timeout.
    static func count(_ table: String, link: String, workGroup: String, in session: AccountContext, options: ProbeOptions) async -> ProbedTable {
        let athena = session.clients.athena
        do {
            // A fresh token per run: a probe must run the query again, not be answered with an earlier run's result.
            let token = "vend-probe-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            let id = try await athena.startQueryExecution(.init(QueryString: "SELECT count(*) FROM \"\(link)\".\"\(table)\"",
                                                                QueryExecutionContext: .init(Database: link, Catalog: "AwsDataCatalog"),
                                                                WorkGroup: workGroup, ClientRequestToken: token))
            let deadline = session.clock.now().addingTimeInterval(options.timeoutSeconds)
            while true {
                let status = try await athena.getQueryExecution(id: id).Status
                switch status?.State ?? "" {
                case "SUCCEEDED":
                    let rows = try await athena.allQueryResults(id: id)
                    let value = rows.dropFirst().first?.Data?.first?.VarCharValue
                    guard let count = value.flatMap(Int.init) else { return ProbedTable(table: table, state: "SUCCEEDED", reason: "the answer holds no count") }
                    return ProbedTable(table: table, rows: count, state: "SUCCEEDED")
                case "FAILED", "CANCELLED":
                    return ProbedTable(table: table, state: status?.State ?? "", reason: status?.StateChangeReason ?? status?.AthenaError?.ErrorMessage)
                default:
                    if session.clock.now() >= deadline {
                        try? await athena.stopQueryExecution(id: id)
                        return ProbedTable(table: table, state: "TIMED OUT", reason: "still \(status?.State ?? "running") after \(Int(options.timeoutSeconds)) s: stopped")
                    }
                    try await session.clock.sleep(seconds: options.pollSeconds)
                }
            }
        } catch {
            return ProbedTable(table: table, state: "ERROR", reason: "\(error)")
        }
    }

    /// The grants vend declares for `principal` that the live accounts lack: DESCRIBE on the link and
    /// SELECT on the target in the consumer account (the same reading as the grant check), and the
    /// central account's grant to the consumer account.
    static func grantGaps(principal: String, link: String, domainTag: String, consumer: AccountContext, central: AccountContext?, centralId: String) async -> [String] {
        var gaps: [String] = []
        if let permissions = try? await consumer.clients.lakeFormation.allPermissions() {
            let holders = analystGrantHolders(permissions, link: link, centralId: centralId)
            if !holders.onLink.contains(principal) { gaps.append("DESCRIBE on the resource link \(link) for \(principal)") }
            if !holders.onTarget.contains(principal) { gaps.append("SELECT on the target (LF-tag policy domain=\(domainTag), catalog \(centralId)) for \(principal)") }
        }
        if let central, let permissions = try? await central.clients.lakeFormation.allPermissions() {
            let granted = permissions.contains {
                $0.Principal?.DataLakePrincipalIdentifier == consumer.accountId && ($0.Permissions ?? []).contains("SELECT")
                    && ($0.Resource?.LFTagPolicy?.Expression ?? []).contains { $0.TagKey == "domain" && ($0.TagValues ?? []).contains(domainTag) }
            }
            if !granted { gaps.append("central's SELECT (LF-tag policy domain=\(domainTag)) to account \(consumer.accountId)") }
        }
        return gaps
    }

    /// Who holds DESCRIBE on the link, and who holds SELECT on the target through a policy with the central catalog id.
    static func analystGrantHolders(_ permissions: [LakeFormation.PrincipalResourcePermissions], link: String, centralId: String) -> (onLink: Set<String>, onTarget: Set<String>) {
        let onLink = Set(permissions.filter { $0.Resource?.Database?.Name == link && ($0.Permissions ?? []).contains("DESCRIBE") }
            .compactMap { $0.Principal?.DataLakePrincipalIdentifier })
        let onTarget = Set(permissions.filter { $0.Resource?.LFTagPolicy?.CatalogId == centralId && ($0.Permissions ?? []).contains("SELECT") }
            .compactMap { $0.Principal?.DataLakePrincipalIdentifier })
        return (onLink, onTarget)
    }
}
