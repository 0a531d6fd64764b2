import Foundation

/// A parsed AWS config or credentials file: sections of keys, where a key may hold a
/// nested block (`s3 =` followed by indented `key = value` lines), as botocore reads them.
public struct INIFile: Sendable, Equatable {
    /// One section, by its name as written between brackets (trimmed).
    public var sections: [String: INISection]

    /// Creates a file from sections.
    public init(sections: [String: INISection] = [:]) { self.sections = sections }
}

/// The keys of one section.
public struct INISection: Sendable, Equatable {
    /// Plain `key = value` pairs.
    public var values: [String: String]
    /// Nested blocks: `s3 =` then indented `endpoint_url = …`.
    public var nested: [String: [String: String]]

    /// Creates a section.
    public init(values: [String: String] = [:], nested: [String: [String: String]] = [:]) {
        self.values = values
        self.nested = nested
    }
}

/// A line the parser could not read.
public struct INIParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file's path.
    public var path: String
    /// 1-based line number.
    public var line: Int
    /// What is wrong.
    public var reason: String

    /// "what happened: why — what to do". Line 0 is the file as a whole.
    public var description: String {
        let place = line > 0 ? "\(path) line \(line)" : path
        return "cannot read AWS config file \(place): \(reason) — fix \(line > 0 ? "the line" : "the file") or point AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE elsewhere"
    }

    /// The text of a file's bytes, or an error naming the first line that is not UTF-8.
    public static func text(_ data: Data, path: String) throws(INIParseError) -> String {
        if let text = String(data: data, encoding: .utf8) { return text }
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let bad = lines.firstIndex { String(data: Data($0), encoding: .utf8) == nil } ?? 0
        throw INIParseError(path: path, line: bad + 1, reason: "the line is not UTF-8 (save the file as UTF-8)")
    }
}

/// Parses AWS's INI dialect: `#` and `;` start comment lines, keys are case-sensitive,
/// values are trimmed, later duplicates win, indented lines continue a nested block.
public enum INIParser {
    /// Parses the text of one file; `path` is only used in errors.
    public static func parse(_ text: String, path: String) throws(INIParseError) -> INIFile {
        var file = INIFile()
        var current: String?
        var nestedKey: String?
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            let indented = line.first == " " || line.first == "\t"
            if trimmed.hasPrefix("[") {
                guard let close = trimmed.lastIndex(of: "]") else {
                    throw INIParseError(path: path, line: index + 1, reason: "a section header needs a closing \"]\"")
                }
                let name = trimmed[trimmed.index(after: trimmed.startIndex)..<close].trimmingCharacters(in: .whitespaces)
                current = name
                nestedKey = nil
                if file.sections[name] == nil { file.sections[name] = INISection() }
                continue
            }
            guard let section = current else {
                throw INIParseError(path: path, line: index + 1, reason: "a setting appears before any [section]")
            }
            guard let equals = trimmed.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw INIParseError(path: path, line: index + 1, reason: "expected \"key = value\"")
            }
            let key = trimmed[..<equals].trimmingCharacters(in: .whitespaces)
            let value = trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if indented, let parent = nestedKey {
                file.sections[section]?.nested[parent, default: [:]][key] = value
            } else if value.isEmpty {
                nestedKey = key
                if file.sections[section]?.nested[key] == nil { file.sections[section]?.nested[key] = [:] }
                file.sections[section]?.values[key] = ""
            } else {
                nestedKey = nil
                file.sections[section]?.values[key] = value
            }
        }
        return file
    }
}
