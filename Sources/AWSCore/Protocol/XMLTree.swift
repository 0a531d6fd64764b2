import CVendXML
import Foundation

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

/// Parses XML with libxml2's streaming reader (loaded on first use, see CVendXML): the whole
/// document must be well-formed, with one root element that closes.
public enum XMLTree {
    /// Parses a document into its root element.
    public static func parse(_ data: Data) throws(XMLParseError) -> XMLElementNode {
        // AWS always answers in UTF-8; anything else was damaged on the way or is not from AWS
        // (and libxml2 would carry on reading it as Latin-1). Found by `scripts/fuzz xml`.
        guard String(validating: data, as: UTF8.self) != nil else {
            throw XMLParseError(reason: "the body is not UTF-8 text (AWS answers in UTF-8), so it was damaged on the way or did not come from AWS — check the endpoint URL and retry")
        }
        guard !data.isEmpty else { throw XMLParseError(reason: "empty body") }
        guard data.count <= Int(Int32.max) else { throw XMLParseError(reason: "the body is over 2 GiB") }
        var loadError = [CChar](repeating: 0, count: 512)
        guard vend_xml_load(&loadError, loadError.count) == 0 else {
            throw XMLParseError(reason: "libxml2 could not be loaded (\(Self.string(loadError))) — install it (Debian and Ubuntu: apt-get install libxml2)")
        }
        // Data.withUnsafeBytes rethrows untyped errors: the typed result comes out as a Result.
        let result = data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> Result<XMLElementNode, XMLParseError> in
            Result { () throws(XMLParseError) -> XMLElementNode in try read(bytes) }
        }
        return try result.get()
    }

    private static func read(_ bytes: UnsafeRawBufferPointer) throws(XMLParseError) -> XMLElementNode {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: CChar.self),
              let reader = vend_xml_reader_for_memory(base, Int32(bytes.count)) else {
            throw XMLParseError(reason: "libxml2 could not start reading the body")
        }
        defer { vend_xml_free_reader(reader) }
        var builder = TreeBuilder()
        while true {
            let status = vend_xml_read(reader)
            if status == 0 { break }
            guard status == 1 else {
                let message = vend_xml_last_error().map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) }
                throw XMLParseError(reason: message.map { "not well-formed XML: \($0)" } ?? "not well-formed XML")
            }
            switch Int(vend_xml_node_type(reader)) {
            case Int(VEND_XML_ELEMENT):
                builder.start(vend_xml_local_name(reader).map { String(cString: $0) } ?? "")
                if vend_xml_is_empty_element(reader) == 1 { builder.end() }
            case Int(VEND_XML_END_ELEMENT):
                builder.end()
            case Int(VEND_XML_TEXT), Int(VEND_XML_CDATA), Int(VEND_XML_WHITESPACE), Int(VEND_XML_SIGNIFICANT_WHITESPACE):
                if let value = vend_xml_value(reader) { builder.text(String(cString: value)) }
            default:
                break  // comments, processing instructions, the XML declaration
            }
        }
        guard let root = builder.root, builder.stack.isEmpty else {
            throw XMLParseError(reason: "the document ended before its root element closed")
        }
        return root
    }

    private static func string(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Builds the tree from the reader's events: an element's text is all its text, trimmed when
/// it also has child elements.
private struct TreeBuilder {
    var stack: [XMLElementNode] = []
    var texts: [String] = []
    var root: XMLElementNode?

    mutating func start(_ name: String) {
        stack.append(XMLElementNode(name: name))
        texts.append("")
    }

    mutating func text(_ string: String) {
        if !texts.isEmpty { texts[texts.count - 1] += string }
    }

    mutating func end() {
        guard var node = stack.popLast(), let text = texts.popLast() else { return }
        node.text = node.children.isEmpty ? text : text.trimmingCharacters(in: .whitespacesAndNewlines)
        if stack.isEmpty {
            root = node
        } else {
            stack[stack.count - 1].children.append(node)
        }
    }
}
