/// Builds Query-protocol parameters: flattened lists (`Tags.member.1.Key`) and optionals.
public struct QueryParameters: Sendable {
    /// The flat name → value map sent in the form body.
    public private(set) var values: [String: String] = [:]

    /// Creates empty parameters.
    public init() {}

    /// Sets a value when present.
    public mutating func set(_ name: String, _ value: String?) {
        if let value { values[name] = value }
    }

    /// Sets a number when present.
    public mutating func set(_ name: String, _ value: Int?) {
        if let value { values[name] = String(value) }
    }

    /// Sets a boolean when present (`true`/`false`).
    public mutating func set(_ name: String, _ value: Bool?) {
        if let value { values[name] = value ? "true" : "false" }
    }

    /// A list of strings: `Name.member.1`, `Name.member.2`, …
    public mutating func list(_ name: String, _ items: [String]?) {
        for (index, item) in (items ?? []).enumerated() { values["\(name).member.\(index + 1)"] = item }
    }

    /// A list of structures: `Name.member.N.Field`.
    public mutating func list(_ name: String, _ items: [[String: String]]?) {
        for (index, item) in (items ?? []).enumerated() {
            for (field, value) in item { values["\(name).member.\(index + 1).\(field)"] = value }
        }
    }
}
