import Foundation
import VendBundle
import VendModel

/// What the catalog should hold for one product version, derived from its bundle.
public struct DesiredProduct: Sendable {
    /// One service action and the SSM document behind it.
    public struct Action: Sendable, Equatable {
        /// The service action's name (unique per region: prefixed with the product).
        public var name: String
        /// Its description.
        public var description: String
        /// The SSM document name.
        public var documentName: String
        /// The document's YAML, uploaded as it is.
        public var documentContent: String
        /// SHA-256 hex of the content, as SSM reports it in `Hash`.
        public var documentHash: String
        /// The document's TargetType.
        public var targetType: String
        /// `LAUNCH_ROLE` or a role ARN.
        public var assumeRole: String
        /// Document parameters the user supplies when running the action (TEXT_VALUE).
        public var parameters: [String]
    }

    /// The product definition.
    public var definition: ProductDefinition
    /// The bundle digest (`sha256:…`).
    public var digest: String
    /// The template's bytes.
    public var template: Data
    /// The bundle's bytes.
    public var bundle: Data
    /// Key of the template in the artifact bucket (content-addressed).
    public var templateKey: String
    /// Key of the bundle in the artifact bucket (content-addressed).
    public var bundleKey: String
    /// Service actions.
    public var actions: [Action]
    /// TagOptions as key/value pairs, sorted.
    public var tagOptions: [TagOptionPair]

    /// The name of the product.
    public var name: String { definition.name }
    /// The version, as text.
    public var version: String { definition.version.description }

    /// The provisioning artifact description: the digest first, so it can be read back.
    public var artifactDescription: String { "\(digest) — \(definition.description)" }

    /// Builds the desired state from a loaded product and its built bundle.
    public init(product: LoadedProduct, bundle: Data, manifest: BundleManifest, keyPrefix: String) throws {
        let definition = product.definition
        guard let template = product.files[definition.template] else {
            throw EngineError.productFileMissing(product: definition.name, file: definition.template)
        }
        self.definition = definition
        self.digest = manifest.bundleDigest
        self.template = template
        self.bundle = bundle
        let digestHex = manifest.bundleDigest.replacingOccurrences(of: "sha256:", with: "")
        self.templateKey = "\(keyPrefix)templates/\(definition.name)/\(SHA256Hasher.hex(template)).yaml"
        self.bundleKey = "\(keyPrefix)bundles/\(definition.name)/\(definition.version)/\(digestHex).tar.gz"
        self.tagOptions = Self.tagOptionPairs(definition).sorted()
        self.actions = try definition.serviceActions.map { action in
            guard let data = product.files[action.document] else {
                throw EngineError.productFileMissing(product: definition.name, file: action.document)
            }
            let document = try YAMLReader.parse(data, displayPath: "\(product.folder)/\(action.document)")
            let parameters = ActionDocumentCheck.parameterNames(document).filter { $0 != "AutomationAssumeRole" }
            return Action(name: Self.actionName(definition, action), description: action.description,
                          documentName: Self.documentName(definition, action), documentContent: String(decoding: data, as: UTF8.self),
                          documentHash: SHA256Hasher.hex(data), targetType: action.targetType, assumeRole: action.assumeRole, parameters: parameters)
        }
    }
}

extension DesiredProduct {
    /// A service action's name in the catalog: unique per region, so prefixed with the product.
    static func actionName(_ product: ProductDefinition, _ action: ProductDefinition.ServiceAction) -> String {
        "\(product.name)-\(action.name)"
    }

    /// The TagOptions a product's definition asks for, one pair per key and value.
    static func tagOptionPairs(_ product: ProductDefinition) -> [TagOptionPair] {
        product.tagOptions.flatMap { option in option.values.map { TagOptionPair(key: option.key, value: $0) } }
    }

    /// The name of the SSM document behind a service action.
    static func documentName(_ product: ProductDefinition, _ action: ProductDefinition.ServiceAction) -> String {
        "vend-\(product.name)-\(action.name)"
    }
}

/// A TagOption key/value pair.
public struct TagOptionPair: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The key.
    public var key: String
    /// The value.
    public var value: String

    /// Creates a pair.
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    /// `key=value`.
    public var description: String { "\(key)=\(value)" }

    /// Ordered by key, then value.
    public static func < (lhs: TagOptionPair, rhs: TagOptionPair) -> Bool { (lhs.key, lhs.value) < (rhs.key, rhs.value) }
}
