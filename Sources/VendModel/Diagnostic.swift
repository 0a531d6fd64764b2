/// One problem found in the input: which file, which field, what is wrong, and what to do.
public struct Diagnostic: Hashable, Sendable, Codable, CustomStringConvertible {
    /// How bad it is: errors fail `vend validate`; warnings are printed and do not.
    public enum Severity: String, Sendable, Codable {
        case error, warning
    }

    /// The file, relative to the workspace root (e.g. `products/producer-onboarding/product.yaml`).
    public var file: String
    /// The field as a dotted path (e.g. `parameters[2].name`), or empty for the whole file.
    public var field: String
    /// What is wrong, naming the entity in quotes.
    public var message: String
    /// What to do about it.
    public var hint: String
    /// Error or warning.
    public var severity: Severity

    /// Creates a diagnostic.
    public init(file: String, field: String, message: String, hint: String, severity: Severity = .error) {
        self.file = file
        self.field = field
        self.message = message
        self.hint = hint
        self.severity = severity
    }

    /// `file: field: message — hint`, the line `vend validate` prints.
    public var description: String {
        let place = field.isEmpty ? file : "\(file): \(field)"
        let prefix = severity == .warning ? "warning: " : ""
        return hint.isEmpty ? "\(prefix)\(place): \(message)" : "\(prefix)\(place): \(message) — \(hint)"
    }
}

/// Collects diagnostics while a whole workspace is checked, so every problem is reported at once.
public struct DiagnosticCollector: Sendable {
    /// Everything found so far, in the order found.
    public private(set) var diagnostics: [Diagnostic] = []

    /// Creates an empty collector.
    public init() {}

    /// Records an error.
    public mutating func error(_ file: String, _ field: String, _ message: String, hint: String = "") {
        diagnostics.append(Diagnostic(file: file, field: field, message: message, hint: hint))
    }

    /// Records a warning.
    public mutating func warning(_ file: String, _ field: String, _ message: String, hint: String = "") {
        diagnostics.append(Diagnostic(file: file, field: field, message: message, hint: hint, severity: .warning))
    }

    /// Records an error that stopped reading `file` (a `ModelError` already naming the file):
    /// the file name is not repeated and the "— what to do" part becomes the hint.
    public mutating func error(_ file: String, reading error: any Error) {
        var message = "\(error)"
        if message.hasPrefix(file + ": ") { message.removeFirst(file.count + 2) } else if message.hasPrefix(file + " ") { message.removeFirst(file.count + 1) }
        let parts = message.components(separatedBy: " — ")
        let hint = parts.count > 1 ? parts.dropFirst().joined(separator: " — ") : ""
        self.error(file, "", parts[0], hint: hint)
    }

    /// Appends diagnostics found elsewhere.
    public mutating func append(contentsOf other: [Diagnostic]) {
        diagnostics.append(contentsOf: other)
    }

    /// Whether any error (not warning) was recorded.
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

/// The workspace did not validate; carries every diagnostic.
public struct ValidationFailure: Error, CustomStringConvertible, Sendable {
    /// Every problem found, errors and warnings.
    public var diagnostics: [Diagnostic]

    /// Creates a failure from diagnostics.
    public init(diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

    /// The count of errors.
    public var errorCount: Int { diagnostics.filter { $0.severity == .error }.count }

    /// One line per problem, then a summary with the next step.
    public var description: String {
        let lines = diagnostics.map { "  " + $0.description }.joined(separator: "\n")
        return "the products do not validate: \(errorCount) error(s) — fix each one below and run `vend validate` again\n\(lines)"
    }
}

/// An input problem that stops loading before validation can start (no such file, unreadable).
public struct ModelError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The full message: what happened, why, what to do.
    public var description: String

    /// Creates an error with its message.
    public init(_ description: String) { self.description = description }
}
