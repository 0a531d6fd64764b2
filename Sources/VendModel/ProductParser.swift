import Foundation

/// Builds `ProductDefinition` from the YAML of a `product.yaml`, reporting every problem.
enum ProductParser {
    /// The definition, and whether it is complete (no field needed a placeholder).
    static func parse(_ root: YAMLNode, file: String, folderName: String, into collector: inout DiagnosticCollector) -> (ProductDefinition, complete: Bool)? {
        guard var top = FieldReader(root, file: file, path: "", into: &collector) else { return nil }
        let before = collector.diagnostics.count

        let name = top.string("name", into: &collector)
        if let name, name != folderName {
            collector.error(file, "name", "\"\(name)\" differs from its folder \"\(folderName)\"", hint: "rename the folder or the product so they match")
        }
        if let name, !name.matches(#"^[a-z][a-z0-9-]{1,62}$"#) {
            collector.error(file, "name", "\"\(name)\" is not a valid product name", hint: "use lowercase letters, digits and hyphens, starting with a letter")
        }
        let versionText = top.string("version", into: &collector)
        let version = versionText.flatMap(SemanticVersion.init)
        if let versionText, version == nil {
            collector.error(file, "version", "\"\(versionText)\" is not a semantic version", hint: "use MAJOR.MINOR.PATCH, e.g. \"1.0.0\"")
        }
        let owner = top.string("owner", into: &collector)
        let description = top.string("description", into: &collector)
        let distributor = top.string("distributor", required: false, into: &collector)
        let supportEmail = top.string("supportEmail", required: false, into: &collector)
        if let supportEmail, !supportEmail.matches(#"^[^@\s]+@[^@\s]+\.[^@\s]+$"#) {
            collector.error(file, "supportEmail", "\"\(supportEmail)\" is not an e-mail address", hint: "write it as name@example.com")
        }
        let supportUrl = top.string("supportUrl", required: false, into: &collector)
        if let supportUrl, !(supportUrl.hasPrefix("https://") || supportUrl.hasPrefix("http://")) {
            collector.error(file, "supportUrl", "\"\(supportUrl)\" is not a web address", hint: "start it with https://")
        }
        let audience = enumField("audience", ProductDefinition.Audience.self, reader: &top, file: file, into: &collector)
        let launchedIn = enumField("launchedIn", ProductDefinition.LaunchSite.self, reader: &top, file: file, into: &collector)
        let template = top.string("template", into: &collector)

        var parameters: [ProductDefinition.Parameter] = []
        for item in top.list("parameters", required: false, into: &collector) {
            if let parameter = self.parameter(item.node, path: item.path, file: file, into: &collector) {
                if parameters.contains(where: { $0.name == parameter.name }) {
                    collector.error(file, "\(item.path).name", "\"\(parameter.name)\" is listed twice", hint: "keep one entry per parameter")
                }
                parameters.append(parameter)
            }
        }

        var launchRole: ProductDefinition.LaunchRole?
        if var reader = FieldReader(top.node("launchRole"), file: file, path: "launchRole", into: &collector) {
            let roleName = reader.string("name", into: &collector)
            let policy = reader.string("policy", into: &collector)
            reader.finish(into: &collector)
            if let roleName, !roleName.matches(#"^[\w+=,.@-]{1,64}$"#) {
                collector.error(file, "launchRole.name", "\"\(roleName)\" is not a valid IAM role name", hint: "use up to 64 letters, digits and +=,.@_-")
            }
            if let roleName, let policy { launchRole = .init(name: roleName, policy: policy) }
        }

        var tagOptions: [ProductDefinition.TagOption] = []
        for item in top.list("tagOptions", required: false, into: &collector) {
            guard var reader = FieldReader(item.node, file: file, path: item.path, into: &collector) else { continue }
            let key = reader.string("key", into: &collector)
            let values = reader.strings("values", into: &collector)
            reader.finish(into: &collector)
            if let key, let values { tagOptions.append(.init(key: key, values: values)) }
        }

        var actions: [ProductDefinition.ServiceAction] = []
        for item in top.list("serviceActions", required: false, into: &collector) {
            guard var reader = FieldReader(item.node, file: file, path: item.path, into: &collector) else { continue }
            let actionName = reader.string("name", into: &collector)
            let actionDescription = reader.string("description", into: &collector)
            let document = reader.string("document", into: &collector)
            let targetType = reader.string("targetType", into: &collector)
            let assumeRole = reader.string("assumeRole", required: false, into: &collector) ?? "LAUNCH_ROLE"
            reader.finish(into: &collector)
            if let actionName, !actionName.matches(#"^[a-zA-Z0-9_\-.]{3,128}$"#) {
                collector.error(file, "\(item.path).name", "\"\(actionName)\" is not a valid action or SSM document name", hint: "use 3–128 letters, digits, _ - and .")
            }
            if let targetType, !targetType.matches(#"^\/[\w.\-:\/]*$"#) {
                collector.error(file, "\(item.path).targetType", "\"\(targetType)\" is not an SSM document TargetType", hint: "use \"/\" or a resource type such as \"/AWS::Glue::Crawler\"")
            }
            if let actionName, actions.contains(where: { $0.name == actionName }) {
                collector.error(file, "\(item.path).name", "\"\(actionName)\" is listed twice", hint: "give each action its own name")
            }
            if let document {
                actions.append(.init(name: actionName ?? "", description: actionDescription ?? "", document: document, targetType: targetType ?? "", assumeRole: assumeRole))
            }
        }
        if actions.count > 25 {
            collector.error(file, "serviceActions", "lists \(actions.count) actions", hint: "Service Catalog associates at most 25 actions with a version; drop some")
        }
        let changelog = top.string("changelog", required: false, into: &collector)
        top.finish(into: &collector)

        // A definition with placeholders for fields that had errors (already recorded) lets the
        // template, policy and action checks run too, so one run reports every problem.
        guard let template, let launchRole else { return nil }
        let complete = collector.diagnostics.count == before
        return (ProductDefinition(name: name ?? folderName, version: version ?? SemanticVersion(0, 0, 0, prerelease: ["invalid"]),
                                 owner: owner ?? "", description: description ?? "", distributor: distributor,
                                 supportEmail: supportEmail, supportUrl: supportUrl, audience: audience ?? .producer, launchedIn: launchedIn ?? .spoke,
                                 template: template, parameters: parameters, launchRole: launchRole, tagOptions: tagOptions,
                                 serviceActions: actions, changelog: changelog), complete)
    }

    private static func parameter(_ node: YAMLNode, path: String, file: String, into collector: inout DiagnosticCollector) -> ProductDefinition.Parameter? {
        guard var reader = FieldReader(node, file: file, path: path, into: &collector) else { return nil }
        let name = reader.string("name", into: &collector)
        let description = reader.string("description", into: &collector)
        let pattern = reader.string("allowedPattern", required: false, into: &collector)
        let values = reader.strings("allowedValues", required: false, into: &collector)
        let fallback = reader.string("default", required: false, into: &collector)
        reader.finish(into: &collector)
        if let pattern, (try? NSRegularExpression(pattern: pattern)) == nil {
            collector.error(file, "\(path).allowedPattern", "\"\(pattern)\" is not a valid regular expression", hint: "fix the pattern")
        }
        if let fallback, let values, !values.contains(fallback) {
            collector.error(file, "\(path).default", "\"\(fallback)\" is not among allowedValues", hint: "make the default one of the allowed values")
        }
        guard let name, let description else { return nil }
        return .init(name: name, description: description, allowedPattern: pattern, allowedValues: values, defaultValue: fallback)
    }

    private static func enumField<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type, reader: inout FieldReader, file: String,
                                                                      into collector: inout DiagnosticCollector) -> T? where T.RawValue == String {
        guard let text = reader.string(key, into: &collector) else { return nil }
        guard let value = T(rawValue: text) else {
            let allowed = T.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: " or ")
            collector.error(file, key, "\"\(text)\" is not allowed", hint: "use \(allowed)")
            return nil
        }
        return value
    }
}
