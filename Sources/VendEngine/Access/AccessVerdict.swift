/// Whether a principal may read one table of the mesh, and why: the chain of grants that allows
/// it, or the first link of that chain that is missing.
public struct AccessVerdict: Sendable, Equatable, Codable {
    /// Allowed (every link present) or denied.
    public var allowed: Bool
    /// The producer domain that owns the table.
    public var domain: String
    /// The consumer domain whose resource link the principal reads through, or the account's label
    /// when it reads the central table without a link (`central`, `producer retail`).
    public var consumer: String
    /// The database as the principal names it: its resource link, or the central database.
    public var database: String
    /// The table.
    public var table: String
    /// The links found, in order (all of them when allowed).
    public var chain: [AccessLink]
    /// The first missing link, when denied.
    public var missing: AccessLink?
    /// The columns it may read, when a column grant limits them (nil: every column).
    public var columns: [String]?

    /// Creates a verdict.
    public init(allowed: Bool, domain: String, consumer: String, database: String, table: String, chain: [AccessLink], missing: AccessLink?,
                columns: [String]? = nil) {
        self.allowed = allowed
        self.domain = domain
        self.consumer = consumer
        self.database = database
        self.table = table
        self.chain = chain
        self.missing = missing
        self.columns = columns
    }
}

/// One link of the chain that lets a principal read a table through Lake Formation.
public struct AccessLink: Sendable, Equatable, Codable {
    /// Which link.
    public enum Kind: String, Sendable, Codable {
        /// DESCRIBE on the resource link in the principal's catalog.
        case link
        /// The owning catalog's grant to the principal's account (cross-account only).
        case account
        /// SELECT on the target table for the principal (grant, tag policy, creator or IAMAllowedPrincipals).
        case target
        /// The table's S3 location registered with Lake Formation in the owning account.
        case location
    }

    /// Which link.
    public var kind: Kind
    /// What was found, or what is missing, in a sentence.
    public var text: String
    /// What would restore it (missing links only); not part of the JSON (the CLI renders it as a command).
    public var nextStep: NextStep?

    /// Creates a link.
    public init(_ kind: Kind, _ text: String, nextStep: NextStep? = nil) {
        self.kind = kind
        self.text = text
        self.nextStep = nextStep
    }

    private enum CodingKeys: String, CodingKey { case kind, text }
}
