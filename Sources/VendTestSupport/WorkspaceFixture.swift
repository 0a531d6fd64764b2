import Foundation

/// A copy of the repository's vend.yaml, products/ and baseline/ in a temporary folder, for
/// tests that break one thing at a time.
public struct WorkspaceFixture: Sendable {
    /// The temporary folder holding the copy.
    public let directory: TemporaryDirectory
    /// The copy's root.
    public var root: URL { directory.url }

    /// Copies the repository's workspace.
    public init() throws {
        directory = try TemporaryDirectory()
        for path in ["vend.yaml", "products", "baseline"] { try directory.copyFromRepository(path) }
    }

    /// Replaces the first occurrence of `old` with `new` in a file; throws if `old` is absent,
    /// so a test cannot silently stop breaking what it means to break.
    public func replace(_ old: String, with new: String, in path: String) throws {
        let text = try directory.read(path)
        guard let range = text.range(of: old) else {
            throw FixtureError("\(path) does not contain \(old.debugDescription)")
        }
        try directory.write(text.replacingCharacters(in: range, with: new), to: path)
    }

    /// Removes the folder.
    public func remove() { directory.remove() }
}

/// A fixture could not be prepared as the test asked.
public struct FixtureError: Error, CustomStringConvertible {
    /// What went wrong.
    public var description: String
    /// Creates an error.
    public init(_ description: String) { self.description = description }
}
