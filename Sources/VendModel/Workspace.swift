import Foundation

/// A product as loaded from its folder: its definition, its parsed template, and its files.
public struct LoadedProduct: Sendable {
    /// The parsed `product.yaml`.
    public var definition: ProductDefinition
    /// The folder, e.g. `products/producer-onboarding`, relative to the workspace root.
    public var folder: String
    /// The parsed template.
    public var template: CloudFormationTemplate
    /// Every bundled file's bytes, keyed by its path relative to the folder (a shared launch-role
    /// policy by its `bundlePath`).
    public var files: [String: Data]
    /// IAM service prefixes the product's service-action documents call (their steps' `Service`).
    public var actionServices: Set<String>
}

/// vend.yaml plus every product under `products/`, loaded and validated.
public struct Workspace: Sendable {
    /// The workspace root (the repository).
    public var root: URL
    /// vend.yaml.
    public var config: MeshConfig
    /// Products sorted by name.
    public var products: [LoadedProduct]
    /// Warnings found while loading (errors make loading fail).
    public var warnings: [Diagnostic]

    /// Folder holding one sub-folder per product.
    public static let productsFolder = "products"
    /// The central baseline template deployed by `vend bootstrap`.
    public static let baselineTemplate = "baseline/central-baseline.yaml"

    /// Loads and validates everything; throws `ValidationFailure` with every problem if any is an error.
    /// `only` restricts loading to the named products (after checking they exist).
    public static func load(root: URL, configFile: String = "vend.yaml", only: [String] = []) throws -> Workspace {
        let (workspace, diagnostics) = inspect(root: root, configFile: configFile, only: only)
        guard let workspace, !diagnostics.contains(where: { $0.severity == .error }) else {
            throw ValidationFailure(diagnostics: diagnostics)
        }
        return workspace
    }

    /// Loads and validates, returning whatever could be loaded and every diagnostic.
    /// With `only`, every product is still read, because products that share a launch role are
    /// checked together, but only the named ones are returned and only their problems reported.
    public static func inspect(root: URL, configFile: String = "vend.yaml", only: [String] = []) -> (Workspace?, [Diagnostic]) {
        var collector = DiagnosticCollector()
        let configURL = URL(fileURLWithPath: configFile, relativeTo: root).standardizedFileURL
        var config: MeshConfig?
        do {
            let node = try YAMLReader.read(configURL, displayPath: configFile)
            config = MeshConfigParser.parse(node, file: configFile, into: &collector)
        } catch {
            collector.error(configFile, reading: error)
        }

        let productsURL = root.appendingPathComponent(productsFolder, isDirectory: true)
        let names = productFolderNames(productsURL)
        if names.isEmpty {
            collector.error(productsFolder, "", "holds no product folders", hint: "add products/<name>/product.yaml")
        }
        for name in only where !names.contains(name) {
            collector.error(productsFolder, "", "there is no product \"\(name)\"", hint: "use one of \(names.map { "\"\($0)\"" }.joined(separator: ", "))")
        }
        let selected = Set(only.isEmpty ? names : names.filter(only.contains))
        // Products are read and checked on every core at once, each with its own collector;
        // their diagnostics are then taken in name order, as if read one after another.
        let meshConfig = config
        let loaded = Parallel.map(names.count) { index in
            var own = DiagnosticCollector()
            let product = ProductLoader.load(folder: "\(productsFolder)/\(names[index])", name: names[index], root: root, config: meshConfig, into: &own)
            return (product, own.diagnostics)
        }
        var products: [LoadedProduct] = []
        var reported = Set<Diagnostic>()
        for (index, (product, diagnostics)) in loaded.enumerated() where selected.contains(names[index]) {
            // A policy file shared by several products is read by each: its problems are reported once.
            for diagnostic in diagnostics where reported.insert(diagnostic).inserted { collector.append(contentsOf: [diagnostic]) }
            if let product { products.append(product) }
        }
        LaunchRolePolicyCheck.checkRoles(loaded.compactMap(\.0), reportingFor: selected, into: &collector)
        BaselineCheck.check(root: root, into: &collector)
        if let config, only.isEmpty {
            DeclarationCheck.check(config, products: loaded.compactMap(\.0).map(\.definition), file: configFile, into: &collector)
        }
        let diagnostics = collector.diagnostics
        guard let config else { return (nil, diagnostics) }
        let warnings = diagnostics.filter { $0.severity == .warning }
        return (Workspace(root: root, config: config, products: products, warnings: warnings), diagnostics)
    }

    /// Sub-folders of `products/` that hold a product.yaml, sorted.
    static func productFolderNames(_ url: URL) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return entries.filter { entry in
            !entry.hasPrefix(".") && FileManager.default.fileExists(atPath: url.appendingPathComponent(entry).appendingPathComponent("product.yaml").path)
        }.sorted()
    }
}

/// What a producer declares must exist in products/: each pinned version's product, and each
/// parameter in one of the producer products' templates, with a value they allow and not one vend
/// derives itself.
enum DeclarationCheck {
    static func check(_ config: MeshConfig, products: [ProductDefinition], file: String, into collector: inout DiagnosticCollector) {
        let names = products.map(\.name).sorted()
        let declaring = products.filter { $0.audience == .producer }
        let producerParameters = Set(declaring.flatMap { $0.parameters.map(\.name) })
        let settable = producerParameters.subtracting(MeshConfig.derivedProducerParameters).sorted()
        for (index, producer) in config.producers.enumerated() {
            for product in producer.versions.keys.sorted() where !names.contains(product) {
                collector.error(file, "accounts.producers[\(index)].versions.\(product)", "there is no product \"\(product)\"",
                                hint: "use one of \(names.map { "\"\($0)\"" }.joined(separator: ", "))")
            }
            for (parameter, value) in producer.parameters.sorted(by: { $0.key < $1.key }) {
                let path = "accounts.producers[\(index)].parameters.\(parameter)"
                if MeshConfig.derivedProducerParameters.contains(parameter) {
                    collector.error(file, path, "vend sets it for every producer (from the domain, its accounts and its bucket)",
                                    hint: "remove it; the parameters a domain may set are \(settable.joined(separator: ", "))")
                } else if !producerParameters.contains(parameter) {
                    collector.error(file, path, "no producer product declares it", hint: "use one of \(settable.joined(separator: ", "))")
                } else {
                    for product in declaring {
                        guard let allowed = product.parameters.first(where: { $0.name == parameter })?.allowedValues, !allowed.contains(value) else { continue }
                        collector.error(file, path, "is \"\(value)\", which \(product.name)'s template does not allow", hint: "use one of \(allowed.joined(separator: ", "))")
                    }
                }
            }
        }
    }
}

/// The central baseline template is not a product but gets the same parse and security gate.
enum BaselineCheck {
    static func check(root: URL, into collector: inout DiagnosticCollector) {
        let url = root.appendingPathComponent(Workspace.baselineTemplate)
        guard FileManager.default.fileExists(atPath: url.path) else { return }
        do {
            let node = try YAMLReader.read(url, displayPath: Workspace.baselineTemplate)
            if let template = CloudFormationTemplate.parse(node, file: Workspace.baselineTemplate, into: &collector) {
                TemplateSecurity.check(template, file: Workspace.baselineTemplate, into: &collector)
            }
        } catch {
            collector.error(Workspace.baselineTemplate, reading: error)
        }
    }
}
