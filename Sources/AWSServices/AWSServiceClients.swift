import AWSCore

/// Every service client vend uses, built for one session (profile + region). Engines take
/// the protocols, so tests can swap any of them for a stub.
public struct AWSServiceClients: Sendable {
    /// STS.
    public var sts: any STSClient
    /// Service Catalog.
    public var serviceCatalog: any ServiceCatalogClient
    /// S3.
    public var s3: any S3Client
    /// CloudFormation.
    public var cloudFormation: any CloudFormationClient
    /// IAM.
    public var iam: any IAMClient
    /// Systems Manager.
    public var ssm: any SSMClient
    /// Glue.
    public var glue: any GlueClient
    /// Lake Formation.
    public var lakeFormation: any LakeFormationClient
    /// Athena.
    public var athena: any AthenaClient

    /// The live clients of a session.
    public init(session: AWSSession) throws {
        sts = try LiveSTSClient(session: session)
        serviceCatalog = try LiveServiceCatalogClient(session: session)
        s3 = try LiveS3Client(session: session)
        cloudFormation = try LiveCloudFormationClient(session: session)
        iam = try LiveIAMClient(session: session)
        ssm = try LiveSSMClient(session: session)
        glue = try LiveGlueClient(session: session)
        lakeFormation = try LiveLakeFormationClient(session: session)
        athena = try LiveAthenaClient(session: session)
    }

    /// Clients from parts (tests).
    public init(sts: any STSClient, serviceCatalog: any ServiceCatalogClient, s3: any S3Client, cloudFormation: any CloudFormationClient,
                iam: any IAMClient, ssm: any SSMClient, glue: any GlueClient, lakeFormation: any LakeFormationClient,
                athena: any AthenaClient) {
        self.sts = sts
        self.serviceCatalog = serviceCatalog
        self.s3 = s3
        self.cloudFormation = cloudFormation
        self.iam = iam
        self.ssm = ssm
        self.glue = glue
        self.lakeFormation = lakeFormation
        self.athena = athena
    }
}
