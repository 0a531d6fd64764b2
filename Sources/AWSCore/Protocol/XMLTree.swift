import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A parsed XML element: name, text and children, enough to read AWS Query and S3 answers.
public struct XMLElementNode: Sendable, Equatable {
    /// The element's local name.
    public var name: String
    /// Its direct text, whitespace-trimmed.
    public var text: String
    /// Child elements in order.
    public var children: [XMLElementNode]

    /// Creates an element.
    public init(name: String, text: String = "", children: [XMLElementNode] = []) {
        self.name = name
        self.text = text
        self.children = children
    }

    /// The first child with this name.
    public subscript(_ name: String) -> XMLElementNode? { children.first { $0.name == name } }
    /// All children with this name.
    public func all(_ name: String) -> [XMLElementNode] { children.filter { $0.name == name } }
    /// Follows a path of child names.
    public func path(_ names: String...) -> XMLElementNode? {
        var node: XMLElementNode? = self
        for name in names { node = node?[name] }
        return node
    }
    /// The text of a child, nil when absent.
    public func string(_ name: String) -> String? { self[name]?.text }
    /// The first descendant with this name, depth-first.
    public func descendant(_ name: String) -> XMLElementNode? {
        for child in children {
            if child.name == name { return child }
            if let found = child.descendant(name) { return found }
        }
        return nil
    }
}

/// XML that could not be parsed.
public struct XMLParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Why.
    public var reason: String
    /// "what happened: why".
    public var description: String { "unreadable XML response: \(reason)" }
}

/// Parses XML with FoundationXML's `XMLParser`, which reports success on empty or
/// truncated input: the root element must also have closed.
public enum XMLTree {
    /// Parses a document into its root element.
    public static func parse(_ data: Data) throws(XMLParseError) -> XMLElementNode {
        // After a byte that is not UTF-8, libxml2 carries on reading the document as Latin-1 and
        // hands FoundationXML element names that are not UTF-8, which it force-unwraps: the
        // process traps. AWS always answers in UTF-8, so anything else is refused first
        // (found by `scripts/fuzz xml`).
        guard String(validating: data, as: UTF8.self) != nil else {
            throw XMLParseError(reason: "the body is not UTF-8 text (AWS answers in UTF-8), so it was damaged on the way or did not come from AWS — check the endpoint URL and retry")
        }
        let delegate = TreeBuilder()
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.delegate = delegate
        let ok = parser.parse()
        if !ok || parser.parserError != nil {
            throw XMLParseError(reason: parser.parserError.map { "\($0.localizedDescription)" } ?? "parse failed")
        }
        guard let root = delegate.root, delegate.stack.isEmpty else {
            throw XMLParseError(reason: data.isEmpty ? "empty body" : "the document ended before its root element closed")
        }
        return root
    }
}

private final class TreeBuilder: NSObject, XMLParserDelegate {
    var stack: [XMLElementNode] = []
    var texts: [String] = []
    var root: XMLElementNode?

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        stack.append(XMLElementNode(name: elementName))
        texts.append("")
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if !texts.isEmpty { texts[texts.count - 1] += string }
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        if !texts.isEmpty { texts[texts.count - 1] += String(decoding: CDATABlock, as: UTF8.self) }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        guard var node = stack.popLast(), let text = texts.popLast() else { return }
        node.text = node.children.isEmpty ? text : text.trimmingCharacters(in: .whitespacesAndNewlines)
        if stack.isEmpty {
            root = node
        } else {
            stack[stack.count - 1].children.append(node)
        }
    }
}
