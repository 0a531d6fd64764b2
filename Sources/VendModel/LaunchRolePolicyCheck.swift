import Foundation

/// The launch role's policy must be a valid IAM policy, least-privilege, and name only services
/// the templates' resources or the actions of the products using the role need.
enum LaunchRolePolicyCheck {
    /// Services every launch role needs whatever the template: CloudFormation runs the stack, S3 holds the template,
    /// IAM passes roles to services, STS and Service Catalog are the control plane.
    static let alwaysAllowed: Set<String> = ["cloudformation", "s3", "iam", "sts", "servicecatalog", "ssm"]

    /// One product's checks of the policy: the document itself, and that it lets the role create
    /// every resource type of `template`.
    static func check(_ data: Data, file: String, template: CloudFormationTemplate?, into collector: inout DiagnosticCollector) {
        guard let policy = document(data, file: file, into: &collector) else { return }
        PolicyCheck.check(policy, file: file, field: "", into: &collector)
        guard let template else { return }
        // A resource type the role may not create fails every launch (and a made-up type such
        // as AWS::Made::Up, which no policy names, is caught here, not at launch).
        let granted = Set(PolicyCheck.allowedServices(policy).map(\.service)).union(alwaysAllowed)
        for service in template.servicePrefixes.subtracting(granted).sorted() {
            let types = template.resources.map(\.type).filter { $0.split(separator: "::").dropFirst().first?.lowercased() == service }
            collector.error(file, "Statement", "allows no \(service) action, but the template creates \(Set(types).sorted().map { "\"\($0)\"" }.joined(separator: ", "))",
                            hint: "add the \(service) actions CloudFormation needs to create them, or remove the resources (check the type's spelling)")
        }
    }

    /// The checks of a launch role across the products that name it (their `name` in
    /// `launchRole`). They share one IAM role per account, and vend puts the role's policy at every
    /// launch (LaunchPreparer), so their policies must be the same document, or each launch would
    /// put its own back. The policy may name only services that one of them needs. Only roles
    /// used by a product in `selected` are checked.
    static func checkRoles(_ products: [LoadedProduct], reportingFor selected: Set<String>, into collector: inout DiagnosticCollector) {
        let byRole = Dictionary(grouping: products, by: \.definition.launchRole.name)
        for role in byRole.keys.sorted() {
            // Members whose policy could not be read are already reported.
            let members = (byRole[role] ?? []).filter { policyData($0) != nil }.sorted { $0.definition.name < $1.definition.name }
            guard let first = members.first, members.contains(where: { selected.contains($0.definition.name) }) else { continue }
            var same = true
            for other in members.dropFirst() where policyData(other) != policyData(first) {
                same = false
                collector.error("\(other.folder)/product.yaml", "launchRole.policy",
                                "products \"\(first.definition.name)\" and \"\(other.definition.name)\" share launch role \"\(role)\" with different policies",
                                hint: "vend puts the role's policy at every launch, so each would undo the other's: name one file in both, such as \"../\(first.definition.name)/\(first.definition.launchRole.bundlePath)\"")
            }
            // Products with differing policies are each checked against their own needs (the
            // difference is already an error); one shared policy against what any of them needs.
            for group in same ? [members] : members.map({ [$0] }) {
                guard let data = policyData(group[0]), let policy = try? YAMLReader.parse(data, displayPath: "") else { continue }
                let needed = group.reduce(alwaysAllowed) { $0.union($1.template.servicePrefixes).union($1.actionServices) }
                let file = ProductLoader.policyFile(group[0].definition.launchRole, folder: group[0].folder)
                let what = group.count == 1 ? "the template needs" : "the products using it (\(group.map(\.definition.name).joined(separator: ", "))) need"
                for (service, action, index) in PolicyCheck.allowedServices(policy) where !needed.contains(service) {
                    collector.error(file, "Statement[\(index)].Action", "\"\(action)\" is wider than \(what): \(group.count == 1 ? "it has" : "they have") no \(service) resources",
                                    hint: "remove it, or add the resource to the template")
                }
            }
        }
    }

    /// The product's launch-role policy bytes.
    private static func policyData(_ product: LoadedProduct) -> Data? {
        product.files[product.definition.launchRole.bundlePath]
    }

    /// The policy as a YAML tree, after checking it is a JSON object with Version 2012-10-17.
    private static func document(_ data: Data, file: String, into collector: inout DiagnosticCollector) -> YAMLNode? {
        guard (try? JSONSerialization.jsonObject(with: data)) is [String: Any] else {
            collector.error(file, "", "is not a JSON object", hint: "write the IAM policy document as JSON, as IAM expects")
            return nil
        }
        let policy: YAMLNode
        do {
            policy = try YAMLReader.parse(data, displayPath: file)
        } catch {
            collector.error(file, reading: error)
            return nil
        }
        if policy["Version"]?.scalar != "2012-10-17" {
            collector.error(file, "Version", "is \(policy["Version"]?.scalar.map { "\"\($0)\"" } ?? "missing")", hint: "use \"2012-10-17\"")
        }
        return policy
    }
}
