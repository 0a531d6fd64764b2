import AWSCore
import AWSServices

/// The live services one region's publish talks to, and how it reports progress.
public struct PublishEnvironment: Sendable {
    /// The central account's clients in the region (the one client bag).
    public var clients: AWSServiceClients
    /// The URL Service Catalog reads a template from (`LoadTemplateFromURL`).
    public var objectURL: @Sendable (_ bucket: String, _ key: String) -> String
    /// Sleeps between polls.
    public var clock: any AWSClock
    /// One line per step, on stderr.
    public var progress: @Sendable (String) -> Void

    /// Creates an environment.
    public init(clients: AWSServiceClients, objectURL: @escaping @Sendable (String, String) -> String, clock: any AWSClock,
                progress: @escaping @Sendable (String) -> Void) {
        self.clients = clients
        self.objectURL = objectURL
        self.clock = clock
        self.progress = progress
    }

    /// Service Catalog in the central account and region.
    public var serviceCatalog: any ServiceCatalogClient { clients.serviceCatalog }
    /// S3 for the artifact bucket.
    public var s3: any S3Client { clients.s3 }
    /// SSM for the action documents.
    public var ssm: any SSMClient { clients.ssm }
}
