import Foundation

/// A plain text table: a header row and left-aligned columns separated by two spaces.
public struct TextTable: Sendable {
    /// Column titles.
    public var header: [String]
    /// Rows of cells; short rows are padded.
    public var rows: [[String]] = []

    /// Creates an empty table with titles.
    public init(_ header: [String]) { self.header = header }

    /// Adds a row.
    public mutating func add(_ row: [String]) { rows.append(row) }

    /// The rendered lines, without trailing spaces.
    public var lines: [String] {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        return all.map { row in
            header.indices.map { column in
                let cell = column < row.count ? row[column] : ""
                return cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
    }

    /// The rendered table.
    public var rendered: String { lines.joined(separator: "\n") }
}
