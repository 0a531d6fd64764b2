/// The wire protocol a service speaks.
public enum AWSWireProtocol: Sendable, Equatable {
    /// `POST /` with `X-Amz-Target: <prefix>.<Operation>` and a JSON body.
    case json(version: String, targetPrefix: String)
    /// REST paths with JSON bodies.
    case restJSON
    /// `POST /` with a form body `Action=…&Version=…`, XML responses.
    case query(apiVersion: String)
    /// REST paths with XML bodies (S3).
    case restXML
}

/// What vend needs to know about one AWS service to call it.
public struct AWSServiceInfo: Sendable, Equatable {
    /// The SDK id, e.g. `Service Catalog`; names `AWS_ENDPOINT_URL_SERVICE_CATALOG` and the
    /// `service_catalog` key of a `[services]` section.
    public var sdkId: String
    /// The host prefix, e.g. `servicecatalog` in `servicecatalog.us-east-1.amazonaws.com`.
    public var endpointPrefix: String
    /// The SigV4 signing name.
    public var signingName: String
    /// The wire protocol.
    public var wireProtocol: AWSWireProtocol
    /// Global services (IAM) have one endpoint per partition, signed for its home region.
    public var isGlobal: Bool

    /// Creates a service description.
    public init(sdkId: String, endpointPrefix: String, signingName: String? = nil, wireProtocol: AWSWireProtocol, isGlobal: Bool = false) {
        self.sdkId = sdkId
        self.endpointPrefix = endpointPrefix
        self.signingName = signingName ?? endpointPrefix
        self.wireProtocol = wireProtocol
        self.isGlobal = isGlobal
    }

    /// `SERVICE_CATALOG`: the suffix of `AWS_ENDPOINT_URL_<SERVICE>`.
    public var environmentSuffix: String { sdkId.uppercased().replacingOccurrences(of: " ", with: "_") }
    /// `service_catalog`: the key in a `[services]` section.
    public var configKey: String { sdkId.lowercased().replacingOccurrences(of: " ", with: "_") }

    /// Service Catalog (JSON 1.1).
    public static let serviceCatalog = AWSServiceInfo(
        sdkId: "Service Catalog", endpointPrefix: "servicecatalog",
        wireProtocol: .json(version: "1.1", targetPrefix: "AWS242ServiceCatalogService"))
    /// Systems Manager (JSON 1.1).
    public static let ssm = AWSServiceInfo(sdkId: "SSM", endpointPrefix: "ssm", wireProtocol: .json(version: "1.1", targetPrefix: "AmazonSSM"))
    /// Glue (JSON 1.1).
    public static let glue = AWSServiceInfo(sdkId: "Glue", endpointPrefix: "glue", wireProtocol: .json(version: "1.1", targetPrefix: "AWSGlue"))
    /// Lake Formation (REST-JSON).
    public static let lakeFormation = AWSServiceInfo(sdkId: "LakeFormation", endpointPrefix: "lakeformation", wireProtocol: .restJSON)
    /// STS (Query).
    public static let sts = AWSServiceInfo(sdkId: "STS", endpointPrefix: "sts", wireProtocol: .query(apiVersion: "2011-06-15"))
    /// IAM (Query, global).
    public static let iam = AWSServiceInfo(sdkId: "IAM", endpointPrefix: "iam", wireProtocol: .query(apiVersion: "2010-05-08"), isGlobal: true)
    /// CloudFormation (Query).
    public static let cloudFormation = AWSServiceInfo(sdkId: "CloudFormation", endpointPrefix: "cloudformation", wireProtocol: .query(apiVersion: "2010-05-15"))
    /// S3 (REST-XML).
    public static let s3 = AWSServiceInfo(sdkId: "S3", endpointPrefix: "s3", wireProtocol: .restXML)
    /// Athena (JSON 1.1).
    public static let athena = AWSServiceInfo(sdkId: "Athena", endpointPrefix: "athena", wireProtocol: .json(version: "1.1", targetPrefix: "AmazonAthena"))
    /// IAM Identity Center's OIDC service (REST-JSON, unsigned), used to refresh SSO tokens.
    public static let ssoOIDC = AWSServiceInfo(sdkId: "SSO OIDC", endpointPrefix: "oidc", signingName: "sso-oauth", wireProtocol: .restJSON)
    /// IAM Identity Center's portal (REST-JSON, unsigned), used for SSO credentials.
    public static let sso = AWSServiceInfo(sdkId: "SSO", endpointPrefix: "portal.sso", signingName: "awsssoportal", wireProtocol: .restJSON)
}
