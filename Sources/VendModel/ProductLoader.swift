import Foundation

/// Loads one product folder and runs every check on it: schema, files, template parameters,
/// security gate, launch-role policy, TagOptions against the mesh, action documents, changelog.
enum ProductLoader {
    /// Largest file a product may bundle.
    static let maxFileBytes = 1 << 20

    static func load(folder: String, name: String, root: URL, config: MeshConfig?, into collector: inout DiagnosticCollector) -> LoadedProduct? {
        let productFile = "\(folder)/product.yaml"
        let folderURL = root.appendingPathComponent(folder, isDirectory: true)
        let definition: ProductDefinition
        let complete: Bool
        do {
            let node = try YAMLReader.read(folderURL.appendingPathComponent("product.yaml"), displayPath: productFile)
            guard let parsed = ProductParser.parse(node, file: productFile, folderName: name, into: &collector) else { return nil }
            (definition, complete) = parsed
        } catch {
            collector.error(productFile, reading: error)
            return nil
        }

        var files: [String: Data] = [:]
        let references: [(field: String, path: String)] = [("template", definition.template)]
            + definition.serviceActions.enumerated().map { ("serviceActions[\($0.offset)].document", $0.element.document) }
            + (definition.changelog.map { [("changelog", $0)] } ?? [])
        for reference in references {
            if let data = readFile(reference.path, field: reference.field, folder: folder, folderURL: folderURL, productFile: productFile, into: &collector) {
                files[reference.path] = data
            }
        }
        let role = definition.launchRole
        if let data = readPolicy(role, folder: folder, folderURL: folderURL, productFile: productFile, into: &collector) {
            if files[role.bundlePath] != nil {
                collector.error(productFile, "launchRole.policy", "\"\(role.policy)\" would be bundled as \"\(role.bundlePath)\", a path another field names",
                                hint: "rename one of the two files")
            } else {
                files[role.bundlePath] = data
            }
        }
        if let data = try? Data(contentsOf: folderURL.appendingPathComponent("product.yaml")) { files["product.yaml"] = data }

        var template: CloudFormationTemplate?
        if let data = files[definition.template] {
            let templateFile = "\(folder)/\(definition.template)"
            do {
                let node = try YAMLReader.parse(data, displayPath: templateFile)
                template = CloudFormationTemplate.parse(node, file: templateFile, into: &collector)
            } catch {
                collector.error(templateFile, reading: error)
            }
            if let template {
                checkParameters(definition, template: template, productFile: productFile, templateFile: templateFile, into: &collector)
                TemplateSecurity.check(template, file: templateFile, into: &collector)
            }
        }
        if let config { checkTagOptions(definition, config: config, productFile: productFile, into: &collector) }
        var actionServices: Set<String> = []
        for action in definition.serviceActions {
            guard let data = files[action.document] else { continue }
            let documentFile = "\(folder)/\(action.document)"
            do {
                let document = try YAMLReader.parse(data, displayPath: documentFile)
                ActionDocumentCheck.check(document, file: documentFile, into: &collector)
                actionServices.formUnion(ActionDocumentCheck.services(document))
            } catch {
                collector.error(documentFile, reading: error)
            }
        }
        if let data = files[role.bundlePath] {
            LaunchRolePolicyCheck.check(data, file: policyFile(role, folder: folder), template: template, into: &collector)
        }
        if complete, let changelog = definition.changelog, let data = files[changelog] {
            let text = String(decoding: data, as: UTF8.self)
            if !text.split(separator: "\n").contains(where: { $0.hasPrefix("## ") && $0.contains(definition.version.description) }) {
                collector.error("\(folder)/\(changelog)", "", "has no entry for version \(definition.version)", hint: "add a `## \(definition.version)` section saying what changed")
            }
        }
        guard var template else { return nil }
        // The checks are done: keep the template's shape, not every property's YAML tree, so a
        // workspace of hundreds of products stays small in memory during a publish.
        template.resources = template.resources.map { resource in
            var light = resource
            light.properties = nil
            return light
        }
        return LoadedProduct(definition: definition, folder: folder, template: template, files: files, actionServices: actionServices)
    }

    /// The launch-role policy's path from the workspace root (a shared one's in its own folder).
    static func policyFile(_ role: ProductDefinition.LaunchRole, folder: String) -> String {
        guard let shared = role.sharedFrom else { return "\(folder)/\(role.policy)" }
        return "\((folder as NSString).deletingLastPathComponent)/\(shared.product)/\(shared.path)"
    }

    /// Reads the launch-role policy: the product's own file, or `../<product>/<file>`, a file of
    /// a sibling product's folder (products sharing one launch role share one policy document).
    private static func readPolicy(_ role: ProductDefinition.LaunchRole, folder: String, folderURL: URL, productFile: String,
                                   into collector: inout DiagnosticCollector) -> Data? {
        guard role.policy.hasPrefix("../") else {
            return readFile(role.policy, field: "launchRole.policy", folder: folder, folderURL: folderURL, productFile: productFile, into: &collector)
        }
        guard let shared = role.sharedFrom, shared.product.matches(#"^[a-z][a-z0-9-]{1,62}$"#) else {
            collector.error(productFile, "launchRole.policy", "\"\(role.policy)\" leaves the product folder or is not a plain relative path",
                            hint: "name a file inside \(folder)/, or another product's policy as \"../<product>/launch-role-policy.json\"")
            return nil
        }
        let siblingFolder = "\((folder as NSString).deletingLastPathComponent)/\(shared.product)"
        let siblingURL = folderURL.deletingLastPathComponent().appendingPathComponent(shared.product, isDirectory: true)
        return readFile(shared.path, field: "launchRole.policy", folder: siblingFolder, folderURL: siblingURL, productFile: productFile, into: &collector)
    }

    /// Reads a file the product names, refusing paths that leave the product folder.
    private static func readFile(_ path: String, field: String, folder: String, folderURL: URL, productFile: String, into collector: inout DiagnosticCollector) -> Data? {
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !path.hasPrefix("/"), !components.contains(".."), !components.contains(""), !components.contains(".") else {
            collector.error(productFile, field, "\"\(path)\" leaves the product folder or is not a plain relative path", hint: "name a file inside \(folder)/ such as \"template.yaml\"")
            return nil
        }
        let url = folderURL.appendingPathComponent(path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            collector.error(productFile, field, "\"\(path)\" does not exist", hint: "create \(folder)/\(path) or fix the path")
            return nil
        }
        guard !isDirectory.boolValue else {
            collector.error(productFile, field, "\"\(path)\" is a folder, not a file", hint: "name the file itself, such as \"template.yaml\"")
            return nil
        }
        if let attributes = try? FileManager.default.attributesOfItem(atPath: url.path), attributes[.type] as? FileAttributeType == .typeSymbolicLink {
            collector.error(productFile, field, "\"\(path)\" is a symbolic link", hint: "replace it with the file itself; bundles hold regular files only")
            return nil
        }
        guard let data = try? Data(contentsOf: url) else {
            collector.error(productFile, field, "\"\(path)\" cannot be read", hint: "check its permissions")
            return nil
        }
        guard data.count <= maxFileBytes else {
            collector.error(productFile, field, "\"\(path)\" is \(data.count) bytes, over the \(maxFileBytes)-byte limit", hint: "keep product files small; CloudFormation templates are limited to 1 MB")
            return nil
        }
        return data
    }

    /// Product parameters and template parameters must be the same set, with compatible rules.
    private static func checkParameters(_ definition: ProductDefinition, template: CloudFormationTemplate, productFile: String, templateFile: String,
                                        into collector: inout DiagnosticCollector) {
        let declared = Set(definition.parameters.map(\.name))
        for parameter in template.parameters where !declared.contains(parameter.name) {
            collector.error(productFile, "parameters", "template parameter \"\(parameter.name)\" is not listed", hint: "add it to parameters with a description")
        }
        for (index, parameter) in definition.parameters.enumerated() {
            guard let templateParameter = template.parameters.first(where: { $0.name == parameter.name }) else {
                collector.error(productFile, "parameters[\(index)].name", "\"\(parameter.name)\" is not a parameter of \(templateFile)", hint: "remove it or add it to the template's Parameters")
                continue
            }
            if let values = parameter.allowedValues, let templateValues = templateParameter.allowedValues, Set(values) != Set(templateValues) {
                collector.error(productFile, "parameters[\(index)].allowedValues", "differ from the template's AllowedValues for \"\(parameter.name)\"", hint: "make both lists the same")
            }
            if let pattern = parameter.allowedPattern, let fallback = parameter.defaultValue,
               !fallback.matches(pattern) {
                collector.error(productFile, "parameters[\(index)].default", "\"\(fallback)\" does not match allowedPattern \"\(pattern)\"", hint: "fix the default or the pattern")
            }
        }
    }

    /// TagOption keys must be mesh LF tag keys and values among the key's values.
    private static func checkTagOptions(_ definition: ProductDefinition, config: MeshConfig, productFile: String, into collector: inout DiagnosticCollector) {
        for (index, option) in definition.tagOptions.enumerated() {
            guard let allowed = config.tagValues(option.key) else {
                let keys = config.lakeFormationTags.map { "\"\($0.key)\"" }.joined(separator: ", ")
                collector.error(productFile, "tagOptions[\(index)].key", "\"\(option.key)\" is not one of the mesh's tag keys", hint: "use one of \(keys) or add it to lakeFormation.tags in vend.yaml")
                continue
            }
            for value in option.values where !allowed.contains(value) {
                collector.error(productFile, "tagOptions[\(index)].values", "\"\(value)\" is not a value of tag \"\(option.key)\"", hint: "use one of \(allowed.map { "\"\($0)\"" }.joined(separator: ", "))")
            }
        }
    }
}
