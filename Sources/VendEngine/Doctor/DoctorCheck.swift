import AWSServices

/// One line of `vend doctor`: a known data-mesh failure, checked in one account.
public struct DoctorCheck: Sendable, Equatable {
    /// pass, fail, or skip (not applicable yet, e.g. nothing launched).
    public enum Status: String, Sendable, Codable { case pass, fail, skip }

    /// The account's role (`central`, `producer retail`, `consumer analytics`).
    public var account: String
    /// What is checked.
    public var name: String
    /// The outcome.
    public var status: Status
    /// What was found.
    public var detail: String
    /// What to do when it fails.
    public var fix: NextStep?
    /// The tables a probe queried, with their row counts (`doctor --probe` lines only).
    public var tables: [ProbedTable]?

    /// Creates a check result.
    public init(account: String, name: String, status: Status, detail: String, fix: NextStep? = nil, tables: [ProbedTable]? = nil) {
        self.account = account
        self.name = name
        self.status = status
        self.detail = detail
        self.fix = fix
        self.tables = tables
    }
}

/// Why a doctor workflow leaves something alone (a probe it cannot run, a product it cannot repair).
struct DoctorRefusal: Error, CustomStringConvertible {
    /// What and why.
    var description: String
}

extension AWSServiceClients {
    /// Outputs of every provisioned product in the account (or only the one named `name`), merged
    /// (later products win on a clash).
    func launchedOutputs(named name: String? = nil) async throws -> [String: String] {
        var outputs: [String: String] = [:]
        for product in try await serviceCatalog.allProvisionedProducts() where name == nil || product.Name == name {
            guard let id = product.Id, product.Status == "AVAILABLE" || product.Status == "TAINTED" else { continue }
            for output in try await serviceCatalog.allOutputs(provisionedProductId: id) {
                if let key = output.OutputKey, let value = output.OutputValue { outputs[key] = value }
            }
        }
        return outputs
    }
}
