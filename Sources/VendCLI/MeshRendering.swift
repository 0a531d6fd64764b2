import AWSServices
import VendEngine

/// How the mesh plan and apply's outcomes are shown.
enum MeshRendering {
    /// The mesh part of a plan: changes by kind (drift marked), then notes, then a count line.
    static func text(_ plan: MeshPlan, resourceChanges: [String: [ServiceCatalog.ResourceChange]]) -> [String] {
        var lines: [String] = ["mesh"]
        let changes = plan.actions.filter { !$0.drift }
        let drift = plan.actions.filter(\.drift)
        if changes.isEmpty && drift.isEmpty { lines.append("  = no changes") }
        for action in changes {
            lines.append("  + [\(action.label)] \(action.summary)")
            for change in resourceChanges[action.id] ?? [] { lines.append("      " + resourceLine(change)) }
        }
        if !drift.isEmpty {
            lines.append("drift")
            for action in drift {
                lines.append("  ~ [\(action.label)] \(action.summary)")
                for change in resourceChanges[action.id] ?? [] { lines.append("      " + resourceLine(change)) }
            }
        }
        for kind in [MeshNote.Kind.notRead, .notChecked, .blocked, .pendingApproval, .waitingForData, .notDeclared, .handMade] {
            let notes = plan.notes.filter { $0.kind == kind }
            guard !notes.isEmpty else { continue }
            lines.append(kind.rawValue)
            lines += notes.map { "  = \($0.detail)" }
        }
        return lines
    }

    /// One resource change of a Service Catalog plan: action, logical id, type, replacement, changed properties.
    static func resourceLine(_ change: ServiceCatalog.ResourceChange) -> String {
        let properties = (change.Details ?? []).compactMap { $0.Target?.Name }.sorted()
        var line = "\(change.Action ?? "?") \(change.LogicalResourceId ?? "?") (\(change.ResourceType ?? "?"))"
        if let replacement = change.Replacement, change.Action == "MODIFY" { line += " replacement: \(replacement)" }
        if !properties.isEmpty { line += " — \(properties.joined(separator: ", "))" }
        return line
    }

    /// The summary table of an apply.
    static func outcomes(_ outcomes: [MeshExecutor.Outcome]) -> [String] {
        var table = TextTable(["STATUS", "ACTION", "DETAIL"])
        for outcome in outcomes { table.add([outcome.status, outcome.summary, outcome.detail]) }
        let counts = Dictionary(grouping: outcomes, by: \.status).mapValues(\.count)
        let summary = ["done", "unchanged", "waiting", "failed", "blocked"].compactMap { status in counts[status].map { "\($0) \(status)" } }
        return table.lines + ["apply: " + (summary.isEmpty ? "nothing to do" : summary.joined(separator: ", "))]
    }

    static func paint(_ line: String, _ console: Console) -> String {
        if line.hasPrefix("  ~ ") { return console.paint(line, .yellow) }
        if line.hasPrefix("failed") || line.hasPrefix("blocked") { return console.paint(line, .red) }
        return PlanRendering.paint(line, console)
    }
}
