import Foundation
import Yams

/// A YAML node as vend reads it: scalars keep their source text, custom tags (`!Ref`, `!Sub`)
/// are kept, aliases are expanded within a budget, and every node knows its line.
public struct YAMLNode: Sendable, Hashable {
    /// The shape of the node.
    public enum Kind: Sendable, Hashable {
        /// A scalar's source text.
        case scalar(String)
        /// A sequence of nodes.
        case sequence([YAMLNode])
        /// A mapping in source order; keys are scalars.
        case mapping([Pair])
    }

    /// One key/value pair of a mapping.
    public struct Pair: Sendable, Hashable {
        /// The key's text.
        public var key: String
        /// The value.
        public var value: YAMLNode
    }

    /// The shape and content.
    public var kind: Kind
    /// A non-standard tag such as `!Ref`; nil for plain YAML.
    public var customTag: String?
    /// Whether a scalar was written without quotes (so `null`, `true` and numbers mean what YAML says).
    public var isPlain: Bool
    /// 1-based line in the source.
    public var line: Int

    /// The scalar text, or nil for collections.
    public var scalar: String? {
        if case let .scalar(text) = kind { return text }
        return nil
    }

    /// The mapping's pairs, or nil.
    public var pairs: [Pair]? {
        if case let .mapping(pairs) = kind { return pairs }
        return nil
    }

    /// The sequence's items, or nil.
    public var items: [YAMLNode]? {
        if case let .sequence(items) = kind { return items }
        return nil
    }

    /// Whether this is YAML's null (`~`, `null`, or an empty plain scalar).
    public var isNull: Bool {
        guard customTag == nil, isPlain, let text = scalar else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(text)
    }

    /// The value for a key of a mapping.
    public subscript(key: String) -> YAMLNode? {
        pairs?.first { $0.key == key }?.value
    }

    /// A short word for the node's kind, for error messages.
    public var kindName: String {
        if let customTag { return "a \(customTag) value" }
        switch kind {
        case .scalar: return isNull ? "null" : "a scalar"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }
}

/// Parses YAML text into `YAMLNode`s, refusing what a configuration file has no business holding.
public enum YAMLReader {
    /// Largest file read (a product file is a few kilobytes; this stops accidents and bombs).
    public static let maxBytes = 1 << 20
    /// Most nodes after alias expansion ("billion laughs" stops here).
    public static let maxNodes = 100_000

    /// Reads and parses a YAML file; errors name the file and line.
    public static func read(_ url: URL, displayPath: String) throws -> YAMLNode {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw ModelError("\(displayPath) is a folder, not a file — replace it with the YAML file")
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ModelError("cannot read \(displayPath): \(error.localizedDescription) — check that the file exists and is readable")
        }
        return try parse(data, displayPath: displayPath)
    }

    /// Parses YAML bytes; `displayPath` names the source in errors.
    public static func parse(_ data: Data, displayPath: String) throws -> YAMLNode {
        guard data.count <= maxBytes else {
            throw ModelError("\(displayPath) is \(data.count) bytes: larger than the \(maxBytes)-byte limit for a YAML file — split it or remove what does not belong")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ModelError("\(displayPath) is not valid UTF-8 — save it as UTF-8")
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            throw ModelError("\(displayPath) is not valid YAML: \(describe(error)) — fix the syntax at that line")
        } catch {
            throw ModelError("\(displayPath) is not valid YAML: \(error) — fix the syntax")
        }
        guard let root else {
            throw ModelError("\(displayPath) is empty — it needs a YAML mapping")
        }
        var budget = maxNodes
        return try convert(root, budget: &budget, displayPath: displayPath)
    }

    private static func describe(_ error: YamlError) -> String {
        switch error {
        case let .duplicatedKeysInMapping(duplicates, context):
            let line = context.mark.line
            return "duplicate key(s) \(duplicates.map { "\"\($0)\"" }.joined(separator: ", ")) in one mapping near line \(line)"
        default:
            return String(describing: error).replacingOccurrences(of: "\n", with: " ")
        }
    }

    private static func convert(_ node: Node, budget: inout Int, displayPath: String) throws -> YAMLNode {
        budget -= 1
        guard budget >= 0 else {
            throw ModelError("\(displayPath) has more than \(maxNodes) YAML nodes once aliases are expanded — write the values out plainly; no vend file needs that many")
        }
        let line = (node.mark?.line ?? 0)
        switch node {
        case let .scalar(scalar):
            // The tag as written, unresolved: resolving every plain scalar runs Yams's regular
            // expressions and was most of the validation time.
            let tag = customTag(scalar.tag.description)
            return YAMLNode(kind: .scalar(scalar.string), customTag: tag, isPlain: scalar.style == .plain, line: line)
        case let .sequence(sequence):
            let tag = customTag(sequence.tag.description)
            var items: [YAMLNode] = []
            for item in sequence { items.append(try convert(item, budget: &budget, displayPath: displayPath)) }
            return YAMLNode(kind: .sequence(items), customTag: tag, isPlain: false, line: line)
        case let .mapping(mapping):
            let tag = customTag(mapping.tag.description)
            var pairs: [YAMLNode.Pair] = []
            for (key, value) in mapping {
                guard case let .scalar(keyScalar) = key else {
                    throw ModelError("\(displayPath): line \(key.mark?.line ?? line): a mapping key is \(key.tag.description), not a plain name — use plain keys")
                }
                // `!Ref name: x` must not quietly read as `name: x`.
                if let tag = customTag(keyScalar.tag.description) {
                    throw ModelError("\(displayPath): line \(key.mark?.line ?? line): the key \"\(keyScalar.string)\" carries the tag \(tag) — write plain keys; tags such as !Ref belong in a template's values")
                }
                pairs.append(.init(key: keyScalar.string, value: try convert(value, budget: &budget, displayPath: displayPath)))
            }
            return YAMLNode(kind: .mapping(pairs), customTag: tag, isPlain: false, line: line)
        case .alias:
            throw ModelError("\(displayPath): line \(line): an unresolved YAML alias — define the anchor before using it")
        }
    }

    /// Keeps only non-standard tags (`!Ref`), dropping YAML's own `tag:yaml.org,2002:*`.
    private static func customTag(_ tag: String) -> String? {
        if tag.hasPrefix("tag:yaml.org,2002:") || tag.isEmpty || tag == "?" || tag == "!" { return nil }
        return tag
    }
}
