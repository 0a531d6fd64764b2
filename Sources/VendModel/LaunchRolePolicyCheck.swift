import Foundation

/// The launch role's policy must be a valid IAM policy, least-privilege, and name only services
/// the template's resources or the product's actions use.
enum LaunchRolePolicyCheck {
    /// Services every launch role needs whatever the template: CloudFormation runs the stack, S3 holds the template,
    /// IAM passes roles to services, STS and Service Catalog are the control plane.
    static let alwaysAllowed: Set<String> = ["cloudformation", "s3", "iam", "sts", "servicecatalog", "ssm"]

    static func check(_ data: Data, file: String, definition: ProductDefinition, template: CloudFormationTemplate?, actionServices: Set<String>,
                      into collector: inout DiagnosticCollector) {
        guard (try? JSONSerialization.jsonObject(with: data)) is [String: Any] else {
            collector.error(file, "", "is not a JSON object", hint: "write the IAM policy document as JSON, as IAM expects")
            return
        }
        let policy: YAMLNode
        do {
            policy = try YAMLReader.parse(data, displayPath: file)
        } catch {
            collector.error(file, reading: error)
            return
        }
        if policy["Version"]?.scalar != "2012-10-17" {
            collector.error(file, "Version", "is \(policy["Version"]?.scalar.map { "\"\($0)\"" } ?? "missing")", hint: "use \"2012-10-17\"")
        }
        PolicyCheck.check(policy, file: file, field: "", into: &collector)
        guard let template else { return }
        let allowed = PolicyCheck.allowedServices(policy)
        let needed = template.servicePrefixes.union(actionServices).union(alwaysAllowed)
        for (service, action, index) in allowed where !needed.contains(service) {
            collector.error(file, "Statement[\(index)].Action", "\"\(action)\" is wider than the template needs: it has no \(service) resources",
                            hint: "remove it, or add the resource to the template")
        }
        // The other way round: a resource type the role may not create fails every launch (and a
        // made-up type such as AWS::Made::Up, which no policy names, is caught here, not at launch).
        let granted = Set(allowed.map(\.service)).union(alwaysAllowed)
        for service in template.servicePrefixes.subtracting(granted).sorted() {
            let types = template.resources.map(\.type).filter { $0.split(separator: "::").dropFirst().first?.lowercased() == service }
            collector.error(file, "Statement", "allows no \(service) action, but the template creates \(Set(types).sorted().map { "\"\($0)\"" }.joined(separator: ", "))",
                            hint: "add the \(service) actions CloudFormation needs to create them, or remove the resources (check the type's spelling)")
        }
    }
}
