import AWSServices

/// One line of `vend doctor`: a known data-mesh failure, checked in one account.
public struct DoctorCheck: Sendable, Codable, Equatable {
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
    public var fix: String

    /// Creates a check result.
    public init(account: String, name: String, status: Status, detail: String, fix: String = "") {
        self.account = account
        self.name = name
        self.status = status
        self.detail = detail
        self.fix = fix
    }
}

/// The clients `vend doctor` reads one account with.
public struct DoctorClients: Sendable {
    /// Service Catalog.
    public var serviceCatalog: any ServiceCatalogClient
    /// IAM.
    public var iam: any IAMClient
    /// S3.
    public var s3: any S3Client
    /// Lake Formation.
    public var lakeFormation: any LakeFormationClient
    /// Athena.
    public var athena: any AthenaClient

    /// Creates the set.
    public init(serviceCatalog: any ServiceCatalogClient, iam: any IAMClient, s3: any S3Client, lakeFormation: any LakeFormationClient, athena: any AthenaClient) {
        self.serviceCatalog = serviceCatalog
        self.iam = iam
        self.s3 = s3
        self.lakeFormation = lakeFormation
        self.athena = athena
    }

    /// Outputs of every provisioned product in the account, merged (later products win on a clash).
    func launchedOutputs() async throws -> [String: String] {
        var outputs: [String: String] = [:]
        for product in try await serviceCatalog.allProvisionedProducts() {
            guard let id = product.Id, product.Status == "AVAILABLE" || product.Status == "TAINTED" else { continue }
            for output in try await serviceCatalog.allOutputs(provisionedProductId: id) {
                if let key = output.OutputKey, let value = output.OutputValue { outputs[key] = value }
            }
        }
        return outputs
    }
}
