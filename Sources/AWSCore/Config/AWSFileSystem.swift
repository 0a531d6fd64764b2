import Foundation

/// Reads files for config, credentials, token files and the SSO cache. Injected so tests
/// use fixture directories or in-memory files.
public protocol AWSFileSystem: Sendable {
    /// The file's bytes, or nil when it does not exist.
    func contents(atPath path: String) -> Data?
    /// Whether the path is a folder (where a file was expected).
    func isDirectory(atPath path: String) -> Bool
}

extension AWSFileSystem {
    /// In-memory file systems hold no folders.
    public func isDirectory(atPath path: String) -> Bool { false }
}

/// The real file system.
public struct LocalFileSystem: AWSFileSystem {
    /// Creates the live file system.
    public init() {}
    /// `FileManager.contents(atPath:)`.
    public func contents(atPath path: String) -> Data? { FileManager.default.contents(atPath: path) }
    /// `FileManager.fileExists(atPath:isDirectory:)`.
    public func isDirectory(atPath path: String) -> Bool {
        var folder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &folder) && folder.boolValue
    }
}

/// Files held in memory, keyed by path.
public struct InMemoryFileSystem: AWSFileSystem {
    /// Path → bytes.
    public var files: [String: Data]
    /// Creates a file system from texts.
    public init(_ files: [String: String] = [:]) { self.files = files.mapValues { Data($0.utf8) } }
    /// The stored bytes.
    public func contents(atPath path: String) -> Data? { files[path] }
}

/// A file system that can also write (the SSO token cache after a refresh).
public protocol AWSWritableFileSystem: AWSFileSystem {
    /// Replaces the file atomically, readable by its owner only.
    func write(_ data: Data, atPath path: String) throws
}

extension LocalFileSystem: AWSWritableFileSystem {
    /// Writes atomically with mode 0600, as the AWS CLI writes its caches.
    public func write(_ data: Data, atPath path: String) throws {
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    }
}
