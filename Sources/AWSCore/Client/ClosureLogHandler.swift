import Logging

/// A swift-log handler that hands each formatted line to a closure (the CLI's stderr, or a
/// test's capture) without touching the global logging bootstrap.
public struct ClosureLogHandler: LogHandler {
    /// Receives `message` lines.
    public let write: @Sendable (String) -> Void
    /// The minimum level written.
    public var logLevel: Logger.Level
    /// Metadata (unused in the output).
    public var metadata: Logger.Metadata = [:]

    /// Creates a handler.
    public init(level: Logger.Level, write: @escaping @Sendable (String) -> Void) {
        self.logLevel = level
        self.write = write
    }

    /// Metadata by key.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes the event's message.
    public func log(event: LogEvent) {
        write("\(event.message)")
    }

    /// A logger writing lines through `write` at `level`.
    public static func logger(label: String = "vend.aws", level: Logger.Level, write: @escaping @Sendable (String) -> Void) -> Logger {
        Logger(label: label) { _ in ClosureLogHandler(level: level, write: write) }
    }
}
