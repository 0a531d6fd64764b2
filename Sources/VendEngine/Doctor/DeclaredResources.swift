import AWSServices
import Foundation
import VendModel

/// The grants and resource links a provisioned product's template declares, rendered with the
/// provisioned product's parameters exactly as CloudFormation would make them: what `doctor --fix`
/// compares with the live account and re-makes. Pure: no AWS call.
public enum DeclaredResources {
    /// One declared object vend can re-make directly.
    public enum Item: Sendable, Equatable {
        /// `AWS::LakeFormation::PrincipalPermissions`, as the GrantPermissions call that makes it.
        case grant(logicalId: String, LakeFormation.GrantPermissionsRequest)
        /// `AWS::Glue::Database` with a `TargetDatabase` (a resource link), as the CreateDatabase call.
        case link(logicalId: String, Glue.CreateDatabaseRequest)
        /// A declared grant or link that uses what vend cannot evaluate (it is left alone).
        case unresolved(logicalId: String, why: String)
    }

    /// Where the template is evaluated: CloudFormation's pseudo parameters.
    public struct Site: Sendable, Equatable {
        /// `AWS::AccountId`.
        public var accountId: String
        /// `AWS::Region`.
        public var region: String
        /// `AWS::Partition`.
        public var partition: String

        /// Creates a site.
        public init(accountId: String, region: String, partition: String = "aws") {
            self.accountId = accountId
            self.region = region
            self.partition = partition
        }
    }

    /// The grants and links of `template`, with `parameters` (missing ones take the template's defaults).
    public static func render(_ template: YAMLNode, parameters: [String: String], site: Site) -> [Item] {
        var values = ["AWS::AccountId": site.accountId, "AWS::Region": site.region, "AWS::Partition": site.partition, "AWS::URLSuffix": "amazonaws.com"]
        for pair in template["Parameters"]?.pairs ?? [] {
            if let value = parameters[pair.key] ?? pair.value["Default"]?.scalar { values[pair.key] = value }
        }
        let evaluator = Evaluator(values: values, resources: template["Resources"], conditions: template["Conditions"], site: site)
        var items: [Item] = []
        for pair in template["Resources"]?.pairs ?? [] {
            let type = pair.value["Type"]?.scalar
            let isLink = type == "AWS::Glue::Database" && pair.value["Properties"]?["DatabaseInput"]?["TargetDatabase"] != nil
            guard type == "AWS::LakeFormation::PrincipalPermissions" || isLink else { continue }
            // A resource whose Condition is false is not created by CloudFormation: it is not declared.
            if let condition = pair.value["Condition"] {
                do {
                    guard try evaluator.holds(condition.scalar ?? "") else { continue }
                } catch {
                    items.append(.unresolved(logicalId: pair.key, why: "its Condition: \(error)"))
                    continue
                }
            }
            do {
                let properties = try pair.value["Properties"].map(evaluator.value) ?? [String: Any]()
                let data = try JSONSerialization.data(withJSONObject: properties)
                if isLink {
                    items.append(.link(logicalId: pair.key, try JSONDecoder().decode(Glue.CreateDatabaseRequest.self, from: data)))
                } else {
                    // PrincipalPermissions' `Catalog` is the catalog the grant is made in: GrantPermissions' `CatalogId`.
                    var object = properties as? [String: Any] ?? [:]
                    object["CatalogId"] = object.removeValue(forKey: "Catalog")
                    let request = try JSONDecoder().decode(LakeFormation.GrantPermissionsRequest.self, from: try JSONSerialization.data(withJSONObject: object))
                    items.append(.grant(logicalId: pair.key, request))
                }
            } catch {
                items.append(.unresolved(logicalId: pair.key, why: "\(error)"))
            }
        }
        return items
    }

    /// Why a value cannot be evaluated.
    struct Unsupported: Error, CustomStringConvertible {
        var description: String
    }

    /// CloudFormation's intrinsic functions that grants and links use: `Ref`, `Fn::Sub`, `Fn::GetAtt` of a role's `Arn`;
    /// and the condition functions `Fn::Equals`, `Fn::Not`, `Fn::And`, `Fn::Or` and `Condition`.
    struct Evaluator {
        var values: [String: String]
        var resources: YAMLNode?
        var conditions: YAMLNode?
        var site: DeclaredResources.Site

        /// Whether the template's condition `name` holds.
        func holds(_ name: String, depth: Int = 0) throws -> Bool {
            guard depth < 32 else { throw Unsupported(description: "Condition \(name) refers to itself") }
            guard let node = conditions?[name] else { throw Unsupported(description: "no Condition \(name) in Conditions") }
            return try truth(node, depth: depth + 1)
        }

        /// A condition function's value.
        func truth(_ node: YAMLNode, depth: Int) throws -> Bool {
            let function: String, argument: YAMLNode
            if let tag = node.customTag {
                (function, argument) = (String(tag.dropFirst()), node)
            } else if let pairs = node.pairs, pairs.count == 1, let key = pairs.first?.key, key == "Condition" || key.hasPrefix("Fn::") {
                (function, argument) = (key == "Condition" ? key : String(key.dropFirst(4)), pairs[0].value)
            } else {
                throw Unsupported(description: "a condition that is not a condition function")
            }
            let items = argument.items ?? []
            switch function {
            case "Condition":
                return try holds(argument.scalar ?? "", depth: depth)
            case "Equals" where items.count == 2:
                return "\(try value(items[0]))" == "\(try value(items[1]))"
            case "Not" where items.count == 1:
                return !(try truth(items[0], depth: depth))
            case "And" where !items.isEmpty:
                return try items.allSatisfy { try truth($0, depth: depth) }
            case "Or" where !items.isEmpty:
                return try items.contains { try truth($0, depth: depth) }
            default:
                throw Unsupported(description: "Fn::\(function) in a condition")
            }
        }

        /// A node as JSON (strings, arrays, objects), intrinsics evaluated.
        func value(_ node: YAMLNode) throws -> Any {
            if let tag = node.customTag { return try intrinsic(String(tag.dropFirst()), node) }
            switch node.kind {
            case let .scalar(text): return text
            case let .sequence(items): return try items.map(value)
            case let .mapping(pairs):
                if pairs.count == 1, let key = pairs.first?.key, key == "Ref" || key.hasPrefix("Fn::") {
                    return try intrinsic(key == "Ref" ? "Ref" : String(key.dropFirst(4)), pairs[0].value)
                }
                var object: [String: Any] = [:]
                for pair in pairs { object[pair.key] = try value(pair.value) }
                return object
            }
        }

        func intrinsic(_ name: String, _ argument: YAMLNode) throws -> String {
            switch name {
            case "Ref":
                return try reference(argument.scalar ?? "")
            case "Sub":
                guard let text = argument.scalar ?? argument.items?.first?.scalar else { throw Unsupported(description: "Fn::Sub without a string") }
                var local = values
                for pair in argument.items?.dropFirst().first?.pairs ?? [] { local[pair.key] = try value(pair.value) as? String }
                return try substitute(text, local)
            case "GetAtt":
                return try attribute(argument.scalar.map { $0.split(separator: ".", maxSplits: 1).map(String.init) } ?? argument.items?.compactMap(\.scalar) ?? [])
            default:
                throw Unsupported(description: "Fn::\(name)")
            }
        }

        /// `Fn::GetAtt [resource, attribute]`: only a role's `Arn`, from its name and path.
        func attribute(_ parts: [String]) throws -> String {
            guard parts.count == 2, parts[1] == "Arn", resources?[parts[0]]?["Type"]?.scalar == "AWS::IAM::Role" else {
                throw Unsupported(description: "Fn::GetAtt \(parts.joined(separator: ".")) (only a role's Arn is evaluated)")
            }
            let path = resources?[parts[0]]?["Properties"]?["Path"]?.scalar ?? "/"
            return "arn:\(site.partition):iam::\(site.accountId):role\(path)\(try reference(parts[0]))"
        }

        /// A parameter's value, or a resource's physical name where its properties name it.
        func reference(_ name: String) throws -> String {
            if let value = values[name] { return value }
            guard let resource = resources?[name] else { throw Unsupported(description: "Ref \(name): no such parameter or resource") }
            let properties = resource["Properties"]
            let nameNode: YAMLNode?
            switch resource["Type"]?.scalar {
            case "AWS::Glue::Database": nameNode = properties?["DatabaseInput"]?["Name"]
            case "AWS::IAM::Role": nameNode = properties?["RoleName"]
            case "AWS::Athena::WorkGroup": nameNode = properties?["Name"]
            case "AWS::S3::Bucket": nameNode = properties?["BucketName"]
            default: nameNode = nil
            }
            guard let nameNode, let physical = try value(nameNode) as? String else { throw Unsupported(description: "Ref \(name): its physical name is generated") }
            return physical
        }

        /// `${Name}` and `${Resource.Attribute}` replaced; `${!Literal}` kept as `${Literal}`.
        func substitute(_ text: String, _ local: [String: String]) throws -> String {
            var result = ""
            var rest = Substring(text)
            while let open = rest.range(of: "${") {
                result += rest[..<open.lowerBound]
                guard let close = rest[open.upperBound...].firstIndex(of: "}") else { throw Unsupported(description: "Fn::Sub: unclosed ${") }
                let name = String(rest[open.upperBound..<close])
                if name.hasPrefix("!") {
                    result += "${" + name.dropFirst() + "}"
                } else if let value = local[name] {
                    result += value
                } else if name.contains(".") {
                    result += try attribute(name.split(separator: ".", maxSplits: 1).map(String.init))
                } else {
                    result += try reference(name)
                }
                rest = rest[rest.index(after: close)...]
            }
            return result + rest
        }
    }
}
