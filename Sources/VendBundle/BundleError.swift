/// Why a bundle could not be written, read or verified. Every case names the bundle.
public struct BundleError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of problem it is (tests and callers match on it).
    public enum Kind: String, Sendable {
        case io, archive, unsafePath, link, notRegularFile, duplicate, tooLarge, manifest, mismatch, encoding
    }

    /// The kind of problem.
    public var kind: Kind
    /// The full message: what happened, why, what to do.
    public var description: String

    /// Creates an error.
    public init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
}
