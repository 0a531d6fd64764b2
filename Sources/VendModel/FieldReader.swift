import Foundation

/// Reads the fields of one YAML mapping into typed values, recording a diagnostic for each
/// missing, mistyped or unknown field instead of stopping at the first.
struct FieldReader {
    let file: String
    let path: String
    let node: YAMLNode
    private var seen: Set<String> = []

    /// Starts reading `node` (which must be a mapping) found at `path` in `file`.
    init?(_ node: YAMLNode?, file: String, path: String, required: Bool = true, into collector: inout DiagnosticCollector) {
        guard let node, !node.isNull else {
            if required { collector.error(file, path, "is missing", hint: "add the \"\(path.split(separator: ".").last ?? "")\" section") }
            return nil
        }
        guard node.pairs != nil else {
            collector.error(file, path.isEmpty ? "(top level)" : path, "is \(node.kindName), expected a mapping", hint: Self.hint(node, "write it as `key: value` lines"))
            return nil
        }
        self.file = file
        self.path = path
        self.node = node
    }

    func fieldPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The hint for a value of the wrong shape: a CloudFormation tag gets its own.
    static func hint(_ value: YAMLNode, _ fallback: String) -> String {
        guard let tag = value.customTag else { return fallback }
        return "write the value itself: tags such as \(tag) work only in CloudFormation templates"
    }

    /// The raw node for a key (marks it as known).
    mutating func node(_ key: String) -> YAMLNode? {
        seen.insert(key)
        guard let value = node[key], !value.isNull else { return nil }
        return value
    }

    /// A string field.
    mutating func string(_ key: String, required: Bool = true, into collector: inout DiagnosticCollector) -> String? {
        guard let value = node(key) else {
            if required { collector.error(file, fieldPath(key), "is missing", hint: "add `\(key):` with a value") }
            return nil
        }
        guard let text = value.scalar, value.customTag == nil else {
            collector.error(file, fieldPath(key), "is \(value.kindName), expected text", hint: Self.hint(value, "write a single value"))
            return nil
        }
        if required && text.trimmingCharacters(in: .whitespaces).isEmpty {
            collector.error(file, fieldPath(key), "is empty", hint: "give it a value")
            return nil
        }
        return text
    }

    /// A list of strings.
    mutating func strings(_ key: String, required: Bool = true, into collector: inout DiagnosticCollector) -> [String]? {
        guard let value = node(key) else {
            if required { collector.error(file, fieldPath(key), "is missing", hint: "add `\(key):` as a list") }
            return nil
        }
        guard let items = value.items else {
            collector.error(file, fieldPath(key), "is \(value.kindName), expected a list", hint: Self.hint(value, "write it as `[a, b]` or `- a` lines"))
            return nil
        }
        var result: [String] = []
        for (index, item) in items.enumerated() {
            guard let text = item.scalar, item.customTag == nil, !item.isNull else {
                collector.error(file, "\(fieldPath(key))[\(index)]", "is \(item.kindName), expected text", hint: Self.hint(item, "write a single value"))
                continue
            }
            result.append(text)
        }
        return result
    }

    /// A boolean field (`true` / `false`).
    mutating func bool(_ key: String, default fallback: Bool, into collector: inout DiagnosticCollector) -> Bool {
        guard let value = node(key) else { return fallback }
        switch value.scalar {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default:
            collector.error(file, fieldPath(key), "is \(value.scalar.map { "\"\($0)\"" } ?? value.kindName), expected true or false", hint: "write true or false")
            return fallback
        }
    }

    /// A non-negative integer field.
    mutating func int(_ key: String, default fallback: Int, into collector: inout DiagnosticCollector) -> Int {
        guard let value = node(key) else { return fallback }
        guard let text = value.scalar, let number = Int(text), number >= 0 else {
            collector.error(file, fieldPath(key), "is \(value.scalar.map { "\"\($0)\"" } ?? value.kindName), expected a whole number", hint: "write a number such as 3")
            return fallback
        }
        return number
    }

    /// A mapping of text values (`{Key: value}`), in the file's order.
    mutating func textMap(_ key: String, into collector: inout DiagnosticCollector) -> [(key: String, value: String)]? {
        guard let value = node(key) else { return nil }
        guard let pairs = value.pairs else {
            collector.error(file, fieldPath(key), "is \(value.kindName), expected a mapping", hint: Self.hint(value, "write it as `{Name: value}`"))
            return nil
        }
        var result: [(key: String, value: String)] = []
        for pair in pairs {
            guard let text = pair.value.scalar, pair.value.customTag == nil, !pair.value.isNull else {
                collector.error(file, "\(fieldPath(key)).\(pair.key)", "is \(pair.value.kindName), expected text", hint: Self.hint(pair.value, "write a single value"))
                continue
            }
            result.append((pair.key, text))
        }
        return result
    }

    /// Each item of a list of mappings, with its path.
    mutating func list(_ key: String, required: Bool, into collector: inout DiagnosticCollector) -> [(path: String, node: YAMLNode)] {
        guard let value = node(key) else {
            if required { collector.error(file, fieldPath(key), "is missing", hint: "add `\(key):` as a list") }
            return []
        }
        guard let items = value.items else {
            collector.error(file, fieldPath(key), "is \(value.kindName), expected a list", hint: Self.hint(value, "write each entry as a `- ` line"))
            return []
        }
        return items.enumerated().map { ("\(fieldPath(key))[\($0.offset)]", $0.element) }
    }

    /// Records every key that no reader asked for: a typo should not pass silently.
    func finish(into collector: inout DiagnosticCollector, known: [String]? = nil) {
        for pair in node.pairs ?? [] where !seen.contains(pair.key) {
            let names = (known ?? seen.sorted()).map { "\"\($0)\"" }.joined(separator: ", ")
            collector.error(file, fieldPath(pair.key), "is not a known field", hint: "remove it or use one of \(names)")
        }
    }
}
