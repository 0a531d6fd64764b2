import AWSCore
import AWSServices
import Foundation
import VendModel

/// `vend doctor --fix`: re-makes the Lake Formation grants and resource links that vend's
/// provisioned products declare and that are missing from the account, directly (GrantPermissions,
/// Glue CreateDatabase), exactly as the provisioned version's template declares them with its
/// parameters. An unchanged product update would recreate nothing: CloudFormation thinks the
/// resources exist. Nothing else is touched: no other grant, no revoke, no hand-made object.
/// `apply` (the mesh-as-code workflow) calls `repair` the same way.
public enum MeshRepair {
    /// One repair, or one declared object vend left alone and why.
    public struct Repair: Codable, Sendable, Equatable {
        /// The account's label (`central`, `consumer analytics`).
        public var account: String
        /// The provisioned product that declares it.
        public var provisionedProduct: String
        /// The template's logical id.
        public var resource: String
        /// `granted`, `created`, `planned` (not applied), `skipped` or `failed`.
        public var action: String
        /// What was (or would be) made, or why not.
        public var detail: String
    }

    /// Re-makes what is missing in one account (only in provisioned product `only`, when given).
    /// With `apply` false it only says what it would make. `strict` (plan's reads): a product whose
    /// declaration could not be read because of an AWS error fails the call instead of being skipped.
    public static func repair(_ account: AccountContext, workspace: [LoadedProduct], apply: Bool = true, only: String? = nil,
                              strict: Bool = false) async throws -> [Repair] {
        var repairs: [Repair] = []
        var permissions: [LakeFormation.PrincipalResourcePermissions]?
        let products = try await account.clients.serviceCatalog.allProvisionedProducts().compactMap { product -> (String, ServiceCatalog.ProvisionedProductAttribute, LoadedProduct)? in
            guard let name = product.Name, only == nil || only == name, product.Status == "AVAILABLE" || product.Status == "TAINTED",
                  let loaded = workspace.first(where: { $0.definition.name == product.ProductName }) else { return nil }
            return (name, product, loaded)
        }
        // Each product's template and stack parameters are read at once (a mesh's central account
        // holds tens of them); the checks and changes below stay in order.
        let declarations = try await products.concurrentMap { _, product, loaded -> Result<[DeclaredResources.Item], any Error> in
            do { return .success(try await declared(product, loaded, account)) } catch { return .failure(error) }
        }
        for ((name, _, _), declaration) in zip(products, declarations) {
            let items: [DeclaredResources.Item]
            switch declaration {
            case .success(let found): items = found
            case .failure(let error):
                if strict && !(error is DoctorRefusal) { throw error }
                repairs.append(Repair(account: account.label, provisionedProduct: name, resource: "-", action: "skipped", detail: "\(error)"))
                continue
            }
            for item in items {
                switch item {
                case let .unresolved(logicalId, why):
                    repairs.append(Repair(account: account.label, provisionedProduct: name, resource: logicalId, action: "skipped", detail: "not evaluated: \(why)"))
                case let .link(logicalId, request):
                    guard try await !linkExists(request, account) else { continue }
                    let target = request.DatabaseInput.TargetDatabase
                    let what = "resource link \(request.DatabaseInput.Name) → \(target?.CatalogId ?? "?"):\(target?.DatabaseName ?? "?")"
                    repairs.append(await attempt(account, name, logicalId, what, apply: apply, made: "created") {
                        _ = try await account.clients.glue.createDatabase(request)
                    })
                    permissions = nil
                case let .grant(logicalId, request):
                    if permissions == nil { permissions = try await account.clients.lakeFormation.allPermissions() }
                    let missing = Self.missing(request, in: permissions ?? [], defaultCatalog: account.accountId)
                    guard !missing.isEmpty else { continue }
                    let what = "\(request.Permissions.joined(separator: ", ")) on \(describe(request.Resource, defaultCatalog: account.accountId)) to \(request.Principal.DataLakePrincipalIdentifier ?? "?")"
                    repairs.append(await attempt(account, name, logicalId, what + " (missing: \(missing.joined(separator: ", ")))", apply: apply, made: "granted") {
                        try await retryingConcurrentModification(clock: account.clock) {
                            _ = try await account.clients.lakeFormation.grantPermissions(request)
                        }
                    })
                }
            }
        }
        return repairs
    }

    /// Runs a Lake Formation write, retrying `ConcurrentModificationException` with jittered
    /// backoff (up to 6 attempts). Assumption (AWS): Lake Formation refuses a write that races
    /// another on the same resource with ConcurrentModificationException and the write can simply
    /// be retried ("Lake Formation API: Common errors",
    /// https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_GrantPermissions.html#API_GrantPermissions_Errors).
    public static func retryingConcurrentModification(clock: any AWSClock, _ body: () async throws -> Void) async throws {
        var attempt = 0
        while true {
            do {
                return try await body()
            } catch let error as AWSServiceError where error.meaning == .concurrentModification && attempt < 5 {
                attempt += 1
                try await clock.sleep(seconds: Double.random(in: 0.1...0.4) * Double(1 << attempt))
            }
        }
    }

    /// Runs one change (or plans it), as a repair line.
    static func attempt(_ account: AccountContext, _ product: String, _ logicalId: String, _ what: String, apply: Bool, made: String,
                        _ body: () async throws -> Void) async -> Repair {
        guard apply else { return Repair(account: account.label, provisionedProduct: product, resource: logicalId, action: "planned", detail: what) }
        do {
            try await body()
            return Repair(account: account.label, provisionedProduct: product, resource: logicalId, action: made, detail: what)
        } catch {
            return Repair(account: account.label, provisionedProduct: product, resource: logicalId, action: "failed", detail: "\(what): \(error)")
        }
    }

    /// The grants and links the provisioned product's version declares, with its stack's parameters.
    static func declared(_ product: ServiceCatalog.ProvisionedProductAttribute, _ loaded: LoadedProduct, _ account: AccountContext) async throws -> [DeclaredResources.Item] {
        let version = product.ProvisioningArtifactName ?? "?"
        guard version == loaded.definition.version.description, let data = loaded.files[loaded.definition.template] else {
            throw DoctorRefusal(description: "it runs version \(version), but the workspace holds \(loaded.definition.name) \(loaded.definition.version): upgrade it first, so the template vend reads is the one it runs")
        }
        let parameters = try await stackParameters(product, clients: account.clients, accountId: account.accountId)
        let template = try YAMLReader.parse(data, displayPath: "\(loaded.folder)/\(loaded.definition.template)")
        return DeclaredResources.render(template, parameters: parameters, site: .init(accountId: account.accountId, region: account.region))
    }

    /// The provisioned product's parameters, as its CloudFormation stack holds them.
    /// Service Catalog names the stack in `PhysicalId` (its ARN); vend's own name for it is the fallback.
    static func stackParameters(_ product: ServiceCatalog.ProvisionedProductAttribute, clients: AWSServiceClients, accountId: String = "") async throws -> [String: String] {
        guard let stackName = LaunchEnvironment.stackName(of: product, accountId: accountId),
              let stack = try await clients.cloudFormation.describeStack(name: stackName) else {
            throw DoctorRefusal(description: "the stack of \(product.Name ?? "?") is not readable, so its parameters are unknown")
        }
        var parameters: [String: String] = [:]
        for parameter in stack.Parameters { parameters[parameter.ParameterKey] = parameter.ParameterValue ?? "" }
        return parameters
    }

    /// Whether the link's database exists in its catalog.
    static func linkExists(_ request: Glue.CreateDatabaseRequest, _ account: AccountContext) async throws -> Bool {
        do {
            return try await account.clients.glue.getDatabase(.init(CatalogId: request.CatalogId, Name: request.DatabaseInput.Name)).Database != nil
        } catch where error.isAWS(.notFound) {
            return false
        }
    }

    /// The declared permissions no listed grant to the same principal on the same resource holds.
    public static func missing(_ request: LakeFormation.GrantPermissionsRequest, in listed: [LakeFormation.PrincipalResourcePermissions], defaultCatalog: String) -> [String] {
        let key = resourceKey(request.Resource, defaultCatalog: defaultCatalog)
        let held = Set(listed.filter {
            $0.Principal?.DataLakePrincipalIdentifier == request.Principal.DataLakePrincipalIdentifier
                && $0.Resource.map { resourceKey($0, defaultCatalog: defaultCatalog) } == key
        }.flatMap { $0.Permissions ?? [] })
        if held.contains("ALL") { return [] }
        return request.Permissions.filter { !held.contains($0) }
    }

    /// A resource as a comparable key: kind, catalog (the account's when absent) and names; values sorted.
    static func resourceKey(_ resource: LakeFormation.Resource, defaultCatalog: String) -> String {
        func catalog(_ id: String?) -> String { id.flatMap { $0.isEmpty ? nil : $0 } ?? defaultCatalog }
        if let database = resource.Database { return "database|\(catalog(database.CatalogId))|\(database.Name ?? "")" }
        if let table = resource.Table {
            return "table|\(catalog(table.CatalogId))|\(table.DatabaseName ?? "")|\(table.TableWildcard != nil ? "*" : table.Name ?? "")"
        }
        if let policy = resource.LFTagPolicy {
            let expression = (policy.Expression ?? []).map { "\($0.TagKey ?? "")=\(($0.TagValues ?? []).sorted().joined(separator: ","))" }.sorted()
            return "policy|\(catalog(policy.CatalogId))|\(policy.ResourceType ?? "")|\(expression.joined(separator: ";"))"
        }
        if let location = resource.DataLocation { return "location|\(catalog(location.CatalogId))|\(location.ResourceArn ?? "")" }
        if let tag = resource.LFTag { return "tag|\(catalog(tag.CatalogId))|\(tag.TagKey ?? "")|\((tag.TagValues ?? []).sorted().joined(separator: ","))" }
        let data = (try? JSONEncoder.sorted.encode(resource)) ?? Data()
        return "other|" + String(decoding: data, as: UTF8.self)
    }

    /// A resource as a repair line names it.
    static func describe(_ resource: LakeFormation.Resource, defaultCatalog: String) -> String {
        let parts = resourceKey(resource, defaultCatalog: defaultCatalog).split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        switch parts.first {
        case "database": return "database \(parts[2]) (catalog \(parts[1]))"
        case "table": return "table \(parts[2]).\(parts[3]) (catalog \(parts[1]))"
        case "policy": return "\(parts[2]) LF-tag policy \(parts[3]) (catalog \(parts[1]))"
        case "location": return "data location \(parts[2]) (catalog \(parts[1]))"
        case "tag": return "LF-tag \(parts[2])=\(parts[3]) (catalog \(parts[1]))"
        default: return parts.dropFirst().joined(separator: "|")
        }
    }
}

extension JSONEncoder {
    /// Sorted keys: stable text for comparing shapes.
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
