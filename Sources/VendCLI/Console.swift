import Foundation

/// Where a command writes: data to `out` (stdout), progress and errors to `err` (stderr).
/// Tests pass a capturing console; the executable uses `Console.live`.
public struct Console: Sendable {
    /// Writes one chunk of data (stdout).
    public var writeOut: @Sendable (String) -> Void
    /// Writes one chunk of progress or diagnostics (stderr).
    public var writeErr: @Sendable (String) -> Void
    /// Whether stderr is a terminal (colour and live progress are used only then).
    public var isTerminal: Bool

    /// Creates a console from two writers.
    public init(isTerminal: Bool = false, out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void) {
        self.writeOut = out
        self.writeErr = err
        self.isTerminal = isTerminal
    }

    /// The process's own stdout and stderr.
    public static var live: Console {
        Console(
            isTerminal: isatty(STDERR_FILENO) == 1,
            out: { FileHandle.standardOutput.write(Data($0.utf8)) },
            err: { FileHandle.standardError.write(Data($0.utf8)) }
        )
    }

    /// Prints a line of data on stdout.
    public func print(_ line: String) { writeOut(line + "\n") }
    /// Prints a progress line on stderr.
    public func progress(_ line: String) { writeErr(line + "\n") }
    /// Prints an error on stderr.
    public func error(_ text: String) { writeErr("error: " + text + "\n") }
}
