import Foundation

/// The parts of a CloudFormation template vend checks: parameters, resources and outputs.
/// The template's bytes are uploaded as they are; this model is only read, never re-emitted.
public struct CloudFormationTemplate: Sendable {
    /// A template parameter.
    public struct Parameter: Sendable, Equatable {
        /// Logical name.
        public var name: String
        /// `Type` (String, Number, CommaDelimitedList, …).
        public var type: String
        /// `AllowedValues`, if any.
        public var allowedValues: [String]?
        /// `AllowedPattern`, if any.
        public var allowedPattern: String?
        /// `Default`, if any.
        public var defaultValue: String?
    }

    /// A resource: its logical id, type and properties.
    public struct Resource: Sendable {
        /// Logical id.
        public var logicalId: String
        /// `Type`, e.g. `AWS::S3::Bucket`.
        public var type: String
        /// `Properties`, or nil (also nil once the workspace loader has checked them).
        public var properties: YAMLNode?
    }

    /// Parameters in template order.
    public var parameters: [Parameter]
    /// Resources in template order.
    public var resources: [Resource]
    /// Output names.
    public var outputs: [String]

    /// The resources of a type.
    public func resources(ofType type: String) -> [Resource] { resources.filter { $0.type == type } }

    /// IAM service prefixes of the resource types (`AWS::Glue::Crawler` → `glue`).
    public var servicePrefixes: Set<String> {
        Set(resources.compactMap { resource in
            let parts = resource.type.split(separator: "::")
            guard parts.count == 3, parts[0] == "AWS" else { return nil }
            return parts[1].lowercased()
        })
    }

    /// Reads a template (YAML or JSON; short-form tags kept); problems go to the collector.
    public static func parse(_ root: YAMLNode, file: String, into collector: inout DiagnosticCollector) -> CloudFormationTemplate? {
        guard root.pairs != nil else {
            collector.error(file, "", "is \(root.kindName), expected a CloudFormation template mapping", hint: "start with AWSTemplateFormatVersion and Resources")
            return nil
        }
        var parameters: [Parameter] = []
        for pair in root["Parameters"]?.pairs ?? [] {
            let node = pair.value
            parameters.append(Parameter(
                name: pair.key,
                type: node["Type"]?.scalar ?? "",
                allowedValues: node["AllowedValues"]?.items?.compactMap(\.scalar),
                allowedPattern: node["AllowedPattern"]?.scalar,
                defaultValue: node["Default"]?.scalar
            ))
            if node["Type"]?.scalar == nil {
                collector.error(file, "Parameters.\(pair.key).Type", "is missing", hint: "give the parameter a Type such as String")
            }
        }
        if let node = root["Resources"], !node.isNull, node.pairs == nil {
            collector.error(file, "Resources", "is \(node.kindName), expected a mapping of logical ids to resources", hint: "write `LogicalId: {Type: AWS::S3::Bucket, Properties: …}` entries")
            return nil
        }
        guard let resourcePairs = root["Resources"]?.pairs, !resourcePairs.isEmpty else {
            collector.error(file, "Resources", "is missing or empty", hint: "a template needs at least one resource")
            return nil
        }
        var resources: [Resource] = []
        for pair in resourcePairs {
            guard let typeNode = pair.value["Type"], !typeNode.isNull else {
                collector.error(file, "Resources.\(pair.key).Type", "is missing", hint: "give the resource a Type such as AWS::S3::Bucket")
                continue
            }
            guard let type = typeNode.scalar, typeNode.customTag == nil else {
                collector.error(file, "Resources.\(pair.key).Type", "is \(typeNode.kindName), expected a resource type such as AWS::S3::Bucket", hint: "write the type as plain text")
                continue
            }
            guard type.matches(#"^(AWS|Alexa)::[A-Za-z0-9]+::[A-Za-z0-9]+$|^Custom::[A-Za-z0-9_@-]{1,60}$|^[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+::MODULE$"#) else {
                collector.error(file, "Resources.\(pair.key).Type", "\"\(type)\" is not a resource type", hint: "use a CloudFormation type such as AWS::S3::Bucket (Service::Resource after AWS::)")
                continue
            }
            resources.append(Resource(logicalId: pair.key, type: type, properties: pair.value["Properties"]))
        }
        let outputs = root["Outputs"]?.pairs?.map(\.key) ?? []
        return CloudFormationTemplate(parameters: parameters, resources: resources, outputs: outputs)
    }
}
