/// Checks IAM policy documents (in templates and launch-role policies) for grants wider than
/// least privilege: every action, a whole service on every resource, `s3:*`, wildcard principals.
enum PolicyCheck {
    /// Values of a field that may be a string or a list of strings; intrinsic functions are skipped.
    static func strings(_ node: YAMLNode?) -> [String] {
        guard let node else { return [] }
        if let text = node.scalar, node.customTag == nil { return [text] }
        return node.items?.compactMap { $0.customTag == nil ? $0.scalar : nil } ?? []
    }

    /// The statements of a policy document (a single mapping or a list).
    static func statements(_ policy: YAMLNode) -> [(index: Int, node: YAMLNode)] {
        guard let statement = policy["Statement"] else { return [] }
        if statement.pairs != nil { return [(0, statement)] }
        return (statement.items ?? []).enumerated().map { ($0.offset, $0.element) }
    }

    /// Whether a principal is `*` (bare, or under `AWS`).
    static func isWildcardPrincipal(_ principal: YAMLNode?) -> Bool {
        guard let principal else { return false }
        if principal.scalar == "*" { return true }
        return strings(principal["AWS"]).contains("*")
    }

    /// Records a diagnostic for every over-wide Allow statement of `policy` found at `field` in `file`.
    static func check(_ policy: YAMLNode, file: String, field: String, into collector: inout DiagnosticCollector) {
        let all = statements(policy)
        if all.isEmpty {
            collector.error(file, field, "has no Statement", hint: "add at least one statement")
        }
        for (index, statement) in all {
            let place = field.isEmpty ? "Statement[\(index)]" : "\(field).Statement[\(index)]"
            guard statement["Effect"]?.scalar == "Allow" else { continue }
            if statement["NotAction"] != nil {
                collector.error(file, "\(place).NotAction", "allows everything except a list", hint: "list the actions needed with Action instead")
            }
            if statement["NotResource"] != nil {
                collector.error(file, "\(place).NotResource", "allows every resource except a list", hint: "list the resources with Resource instead")
            }
            if isWildcardPrincipal(statement["Principal"]) {
                collector.error(file, "\(place).Principal", "allows any principal (\"*\")", hint: "name the accounts or roles that need access")
            }
            let actions = strings(statement["Action"])
            let resources = strings(statement["Resource"])
            for action in actions {
                let lower = action.lowercased()
                if lower == "*" || lower == "*:*" {
                    collector.error(file, "\(place).Action", "\"\(action)\" allows every action", hint: "list the actions the role needs")
                } else if lower == "s3:*" {
                    collector.error(file, "\(place).Action", "\"\(action)\" allows every S3 action", hint: "list the S3 actions needed, e.g. s3:GetObject")
                } else if lower.hasSuffix(":*") && resources.contains("*") {
                    collector.error(file, "\(place).Action", "\"\(action)\" on Resource \"*\" allows a whole service everywhere", hint: "list the actions needed or scope the resources")
                }
            }
        }
    }

    /// Service prefixes of a policy's Allow actions (`glue:GetTable` → `glue`), with the action that named each.
    static func allowedServices(_ policy: YAMLNode) -> [(service: String, action: String, index: Int)] {
        statements(policy).flatMap { index, statement -> [(String, String, Int)] in
            guard statement["Effect"]?.scalar == "Allow" else { return [] }
            return strings(statement["Action"]).compactMap { action in
                guard let colon = action.firstIndex(of: ":") else { return nil }
                return (String(action[..<colon]).lowercased(), action, index)
            }
        }
    }
}
