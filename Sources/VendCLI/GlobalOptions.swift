import Foundation
import ArgumentParser

/// Output format for commands that read: a table for people or JSON for programs.
public enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, json
}

/// Options every command takes.
public struct GlobalOptions: ParsableArguments {
    /// `--output text|json`.
    @Option(name: [.long, .customShort("o")], help: "Output format: text (a table) or json.")
    public var output: OutputFormat = .text

    /// `--verbose`.
    @Flag(name: .long, help: "Log each decision on stderr (never a secret).")
    public var verbose = false

    /// `--quiet`.
    @Flag(name: [.long, .customShort("q")], help: "Print only data and errors, no progress.")
    public var quiet = false

    /// `--color auto|always|never`.
    @Option(name: .long, help: "Colour: auto (on a terminal, unless NO_COLOR is set), always, or never.")
    public var color: ColorChoice = .auto

    /// `--config FILE`.
    @Option(name: .long, help: "The mesh configuration file.")
    public var config: String = "vend.yaml"

    /// Creates the options with their defaults (used by ArgumentParser).
    public init() {}

    /// Checks flags that exclude each other.
    public func validate() throws {
        if verbose && quiet { throw ValidationError("--verbose and --quiet exclude each other: pick one.") }
    }
}

extension GlobalOptions {
    /// The workspace root (the folder holding the config file) and the config file's name in it.
    public func workspace(currentDirectory: URL) -> (root: URL, configFile: String) {
        let url = URL(fileURLWithPath: config, relativeTo: currentDirectory).standardizedFileURL
        return (url.deletingLastPathComponent(), url.lastPathComponent)
    }
}
