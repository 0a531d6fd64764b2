import AWSCore
import AWSServices

/// The live services one region's publish talks to, and how it reports progress.
public struct PublishEnvironment: Sendable {
    /// Service Catalog in the central account and region.
    public var serviceCatalog: any ServiceCatalogClient
    /// S3 for the artifact bucket.
    public var s3: any S3Client
    /// SSM for the action documents.
    public var ssm: any SSMClient
    /// The URL Service Catalog reads a template from (`LoadTemplateFromURL`).
    public var objectURL: @Sendable (_ bucket: String, _ key: String) -> String
    /// Sleeps between polls.
    public var clock: any AWSClock
    /// One line per step, on stderr.
    public var progress: @Sendable (String) -> Void

    /// Creates an environment.
    public init(serviceCatalog: any ServiceCatalogClient, s3: any S3Client, ssm: any SSMClient,
                objectURL: @escaping @Sendable (String, String) -> String, clock: any AWSClock,
                progress: @escaping @Sendable (String) -> Void) {
        self.serviceCatalog = serviceCatalog
        self.s3 = s3
        self.ssm = ssm
        self.objectURL = objectURL
        self.clock = clock
        self.progress = progress
    }
}
