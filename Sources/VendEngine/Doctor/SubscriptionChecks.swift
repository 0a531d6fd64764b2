import AWSCore
import AWSServices
import Foundation
import VendModel

/// `vend doctor` per subscription: for each active one, central's grant to the consumer account
/// (tag-based, with the central catalog id, grantable so the consumer's admin can re-grant), the
/// link in the consumer account, and each principal's grants on the link and on the target; an
/// approved one not active yet, and an expired one not revoked yet, fail with what completes them.
extension Doctor {
    /// The checks of every subscription that wants or still holds access.
    static func subscriptions(_ views: [SubscriptionView], mesh: MeshSubscriptions, config: MeshConfig, accounts: OpenedAccounts) async -> [DoctorCheck] {
        var checks: [DoctorCheck] = []
        var permissions: [String: [LakeFormation.PrincipalResourcePermissions]] = [:]
        for view in views {
            let pair = view.subscription
            let account = "consumer \(pair.consumer)"
            switch view.derived.state {
            case .approved:
                checks.append(DoctorCheck(account: account, name: "subscription \(pair) is active", status: .fail,
                                          detail: "approved, not yet active: \(view.keys.filter { !$0.value }.map(\.key.description).sorted().joined(separator: "; "))",
                                          fix: .advice("re-run the approval or the subscription with both the central and the consumer profile at hand")))
                continue
            case .expired where view.derived.revocationPending:
                checks.append(DoctorCheck(account: account, name: "subscription \(pair) is within its expiry", status: .fail,
                                          detail: "expired on \(view.request?.until.map(SubscriptionStore.day) ?? "?"), revocation pending",
                                          fix: .advice("any command that changes subscriptions revokes it; or unsubscribe the pair")))
                continue
            case .active:
                break
            default:
                continue
            }
            guard let consumerAccount = config.consumers.first(where: { $0.domain == pair.consumer })?.accountId,
                  let central = accounts.contexts[config.central.accountId], let spoke = accounts.contexts[consumerAccount] else {
                checks.append(DoctorCheck(account: account, name: "subscription \(pair) can be checked", status: .skip,
                                          detail: "central or the consumer account could not be opened"))
                continue
            }
            let link = MeshRules.linkName(of: pair.domain)
            let expression = "domain=\(pair.domain)"
            let grantName = "central grants \(consumerAccount) read on \(expression) (grantable, catalog \(config.central.accountId))"
            checks.append(await check("central", grantName, fix: .run(.doctorFix)) {
                let all = try await cached(&permissions, config.central.accountId) { try await central.clients.lakeFormation.allPermissions() }
                let granted = all.contains { entry in
                    entry.Principal?.DataLakePrincipalIdentifier == consumerAccount && matches(entry.Resource?.LFTagPolicy, central: config.central.accountId,
                                                                                                domain: pair.domain, type: "TABLE")
                        && (entry.Permissions ?? []).contains("SELECT") && (entry.PermissionsWithGrantOption ?? []).contains("SELECT")
                }
                return DoctorCheck(account: "central", name: grantName, status: granted ? .pass : .fail,
                                   detail: granted ? "granted" : "no grantable SELECT on TABLE \(expression) for \(consumerAccount)", fix: .run(.doctorFix))
            })
            let linkName = "link \(link) in \(consumerAccount) points at the central catalog"
            checks.append(await check(account, linkName, fix: .run(.doctorFix)) {
                let target = try await spoke.clients.glue.getDatabase(.init(Name: link)).Database?.TargetDatabase
                let good = target?.CatalogId == config.central.accountId
                return DoctorCheck(account: account, name: linkName, status: good ? .pass : .fail,
                                   detail: good ? "→ \(target?.CatalogId ?? "")/\(target?.DatabaseName ?? "")" : "not a link to catalog \(config.central.accountId)",
                                   fix: .run(.doctorFix))
            })
            // Grants a legacy consumer-onboarding holds are checked with that product ("analyst has
            // DESCRIBE on the link …"), not twice.
            for principal in mesh.principals[pair.consumer] ?? [] where mesh.keys[.access(principal: principal, domain: pair.domain)]?.isLegacy != true {
                let name = "\(principal) has DESCRIBE on \(link) and SELECT on \(expression) with the central catalog id"
                checks.append(await check(account, name, fix: .run(.doctorFix)) {
                    let all = try await cached(&permissions, consumerAccount) { try await spoke.clients.lakeFormation.allPermissions() }
                    let mine = all.filter { $0.Principal?.DataLakePrincipalIdentifier == principal }
                    let onLink = mine.contains { $0.Resource?.Database?.Name == link && ($0.Permissions ?? []).contains("DESCRIBE") }
                    let onTarget = mine.contains {
                        matches($0.Resource?.LFTagPolicy, central: config.central.accountId, domain: pair.domain, type: "TABLE") && ($0.Permissions ?? []).contains("SELECT")
                    }
                    let missing = [onLink ? nil : "DESCRIBE on the link", onTarget ? nil : "SELECT on the target"].compactMap { $0 }
                    return DoctorCheck(account: account, name: name, status: missing.isEmpty ? .pass : .fail,
                                       detail: missing.isEmpty ? "granted" : "lacks \(missing.joined(separator: " and "))", fix: .run(.doctorFix))
                })
            }
        }
        return checks
    }

    /// Whether an LF-tag policy is `domain=D` on `type` in the central catalog.
    static func matches(_ policy: LakeFormation.LFTagPolicyResource?, central: String, domain: String, type: String) -> Bool {
        guard let policy, policy.CatalogId == central, policy.ResourceType == type else { return false }
        return policy.Expression?.contains { $0.TagKey == "domain" && ($0.TagValues ?? []).contains(domain) } == true
    }

    /// One account's permission listing, read once per doctor run.
    static func cached(_ cache: inout [String: [LakeFormation.PrincipalResourcePermissions]], _ account: String,
                       _ read: () async throws -> [LakeFormation.PrincipalResourcePermissions]) async throws -> [LakeFormation.PrincipalResourcePermissions] {
        if let known = cache[account] { return known }
        let fresh = try await read()
        cache[account] = fresh
        return fresh
    }
}
