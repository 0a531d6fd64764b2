import AWSCore
import AWSServices
import Foundation
import VendModel

/// `vend doctor`: one check per known data-mesh failure (the seed's manual steps and its
/// known issue), each a pass/fail line with what to do. Read calls only.
public enum Doctor {
    /// Runs `body`; an error becomes a failed check naming it.
    static func check(_ account: String, _ name: String, fix: NextStep?, _ body: () async throws -> DoctorCheck) async -> DoctorCheck {
        do {
            return try await body()
        } catch {
            return DoctorCheck(account: account, name: name, status: .fail, detail: "could not check: \(error)", fix: fix)
        }
    }

    /// Lake Formation admins and defaults, shared by central and consumer checks.
    static func lakeFormationChecks(account: String, accountId: String, roles: [String], clients: AWSServiceClients, crossAccount: Bool) async -> [DoctorCheck] {
        var checks: [DoctorCheck] = []
        let settings: LakeFormation.DataLakeSettings?
        do {
            settings = try await clients.lakeFormation.getDataLakeSettings(.init()).DataLakeSettings
        } catch {
            return [DoctorCheck(account: account, name: "Lake Formation settings readable", status: .fail, detail: "\(error)", fix: .advice("check the profile's lakeformation:GetDataLakeSettings permission"))]
        }
        let admins = Set(settings?.DataLakeAdmins?.compactMap(\.DataLakePrincipalIdentifier) ?? [])
        for role in roles {
            let arn = "arn:aws:iam::\(accountId):role/\(role)"
            checks.append(DoctorCheck(account: account, name: "launch role \(role) is a Lake Formation admin", status: admins.contains(arn) ? .pass : .fail,
                                      detail: admins.contains(arn) ? "admin" : "admins are \(admins.sorted().joined(separator: ", "))",
                                      fix: account == "central" ? .run(.bootstrap, " (it merges the launch roles into the admins)") : .advice("re-run the launch for this account (its template makes the launch role an admin)")))
        }
        let defaults = (settings?.CreateDatabaseDefaultPermissions ?? []) + (settings?.CreateTableDefaultPermissions ?? [])
        let iamOnly = defaults.contains { $0.Principal?.DataLakePrincipalIdentifier == "IAM_ALLOWED_PRINCIPALS" }
        checks.append(DoctorCheck(account: account, name: "no IAM-only default permissions", status: iamOnly ? .fail : .pass,
                                  detail: iamOnly ? "new databases and tables grant ALL to IAM_ALLOWED_PRINCIPALS, so Lake Formation grants are bypassed" : "Lake Formation permissions govern new databases and tables",
                                  fix: account == "central" ? .run(.bootstrap) : .advice("re-run the launch for this account")))
        if crossAccount {
            let version = Int(settings?.Parameters?["CROSS_ACCOUNT_VERSION"] ?? "") ?? 1
            checks.append(DoctorCheck(account: account, name: "cross-account version ≥ 3", status: version >= 3 ? .pass : .fail,
                                      detail: "CROSS_ACCOUNT_VERSION is \(version)", fix: .run(.bootstrap, " (sets version 4, so no Glue resource policy is needed)")))
        }
        return checks
    }

    /// Whether an IAM role exists.
    static func roleCheck(account: String, role: String, clients: AWSServiceClients) async -> DoctorCheck {
        await check(account, "launch role \(role) present", fix: .advice("re-run the launch for this account (it creates the role)")) {
            let exists = try await clients.iam.getRole(name: role) != nil
            return DoctorCheck(account: account, name: "launch role \(role) present", status: exists ? .pass : .fail,
                               detail: exists ? "exists" : "no such role: Service Catalog cannot launch with LocalRoleName \(role)",
                               fix: .advice("run the launch command for this account (it creates the role from the bundle's policy)"))
        }
    }
}
