import ArgumentParser
import Foundation

/// Where a command writes: data to `out` (stdout), progress and errors to `err` (stderr).
/// Tests pass a capturing console; the executable uses `Console.live`.
public struct Console: Sendable {
    /// Writes one chunk of data (stdout).
    public var writeOut: @Sendable (String) -> Void
    /// Writes one chunk of progress or diagnostics (stderr).
    public var writeErr: @Sendable (String) -> Void
    /// Whether stderr is a terminal (live progress is used only then).
    public var isTerminal: Bool
    /// Whether text written to stdout may carry colour.
    public var colorOut: Bool
    /// Whether text written to stderr may carry colour.
    public var colorErr: Bool

    /// Creates a console from two writers.
    public init(isTerminal: Bool = false, colorOut: Bool = false, colorErr: Bool = false,
                out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void) {
        self.writeOut = out
        self.writeErr = err
        self.isTerminal = isTerminal
        self.colorOut = colorOut
        self.colorErr = colorErr
    }

    /// The process's own stdout and stderr, coloured as `--color` says.
    public static func live(color: ColorChoice = .auto) -> Console {
        let environment = ProcessInfo.processInfo.environment
        return Console(
            isTerminal: isatty(STDERR_FILENO) == 1,
            colorOut: color.enabled(isTerminal: isatty(STDOUT_FILENO) == 1, environment: environment),
            colorErr: color.enabled(isTerminal: isatty(STDERR_FILENO) == 1, environment: environment),
            out: { FileHandle.standardOutput.write(Data($0.utf8)) },
            err: { FileHandle.standardError.write(Data($0.utf8)) }
        )
    }

    /// A text colour (ANSI SGR).
    public enum Style: String, Sendable {
        case red = "31", green = "32", yellow = "33", dim = "2", bold = "1"
    }

    /// `text` in `style` when the stream it goes to (`stderr` or stdout) may carry colour; as is otherwise.
    public func paint(_ text: String, _ style: Style, stderr: Bool = false) -> String {
        guard stderr ? colorErr : colorOut else { return text }
        return "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m"
    }

    /// Prints a line of data on stdout.
    public func print(_ line: String) { writeOut(line + "\n") }
    /// Prints a progress line on stderr.
    public func progress(_ line: String) { writeErr(line + "\n") }
    /// Prints an error on stderr.
    public func error(_ text: String) { writeErr(paint("error:", .red, stderr: true) + " " + text + "\n") }
    /// Prints a warning on stderr.
    public func warning(_ text: String) { writeErr(paint("warning:", .yellow, stderr: true) + " " + text + "\n") }
}

/// `--color`: whether output carries ANSI colour.
public enum ColorChoice: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// Only on a terminal, and never when `NO_COLOR` is set (https://no-color.org) or `TERM=dumb`.
    case auto
    /// Always, even into a pipe or file.
    case always
    /// Never.
    case never

    /// Whether a stream gets colour.
    public func enabled(isTerminal: Bool, environment: [String: String]) -> Bool {
        switch self {
        case .always: return true
        case .never: return false
        case .auto:
            if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
            return isTerminal && environment["TERM"] != "dumb"
        }
    }

    /// The choice in raw arguments (for errors reported before or without parsing): the last
    /// `--color X` / `--color=X`, or `auto`.
    public static func scan(_ arguments: [String]) -> ColorChoice {
        var choice = ColorChoice.auto
        for (index, argument) in arguments.enumerated() {
            if argument.hasPrefix("--color=") {
                choice = ColorChoice(rawValue: String(argument.dropFirst("--color=".count))) ?? choice
            } else if argument == "--color", index + 1 < arguments.count {
                choice = ColorChoice(rawValue: arguments[index + 1]) ?? choice
            }
        }
        return choice
    }
}
