import Foundation

/// The bad-input corpus under `Tests/Corpus/`: one input file per case with its expectation
/// beside it in `<case>.expect` (see `Tests/Corpus/README.md`).
public enum Corpus {
    /// One text case: its name, its input files by extension, and what vend must answer.
    public struct Case: Sendable, CustomStringConvertible {
        /// `<kind>/<case>`.
        public var name: String
        /// The case's files other than the expectation, by extension (`yaml`, `ini`, `credentials`).
        public var inputs: [String: Data]
        /// The expectation.
        public var expect: Expectation
        /// The name, as test output shows it.
        public var description: String { name }
    }

    /// The `.expect` format: `exit: N`, one `says: fragment` per line, and other `key: value`
    /// settings a test may read (such as `profile:`).
    public struct Expectation: Sendable {
        /// The exit code the user sees (-1 when the file gives none, which fails the case).
        public var exit: Int32 = -1
        /// Fragments the message must contain.
        public var says: [String] = []
        /// Other settings.
        public var values: [String: String] = [:]

        /// Parses the text of an `.expect` file.
        public init(_ text: String) {
            for line in text.split(separator: "\n") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let key = line[..<colon].trimmingCharacters(in: .whitespaces)
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                switch key {
                case "exit": exit = Int32(value) ?? -1
                case "says": says.append(value)
                default: values[key] = value
                }
            }
        }

        /// An expectation written in code (for generated cases).
        public init(exit: Int32, says: [String]) {
            self.exit = exit
            self.says = says
        }
    }

    /// Every case of `Tests/Corpus/<kind>/`, sorted by name.
    public static func cases(_ kind: String) -> [Case] {
        let folder = Golden.repositoryRoot().appendingPathComponent("Tests/Corpus/\(kind)")
        let entries = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
        return entries.filter { $0.hasSuffix(".expect") }.map { expectName in
            let base = String(expectName.dropLast(".expect".count))
            var inputs: [String: Data] = [:]
            for entry in entries where entry.hasPrefix(base + ".") && entry != expectName {
                let suffix = String(entry.dropFirst(base.count + 1))
                guard !suffix.contains(".") else { continue }  // "a.b.yaml" belongs to case "a.b"
                inputs[suffix] = try? Data(contentsOf: folder.appendingPathComponent(entry))
            }
            let text = (try? String(contentsOf: folder.appendingPathComponent(expectName), encoding: .utf8)) ?? ""
            return Case(name: "\(kind)/\(base)", inputs: inputs, expect: Expectation(text))
        }
    }
}
