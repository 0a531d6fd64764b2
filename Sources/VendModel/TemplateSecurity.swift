/// Security gate for templates: no public buckets, encryption on, TLS-only bucket policies,
/// no wildcard principals, no over-wide IAM grants.
enum TemplateSecurity {
    static func check(_ template: CloudFormationTemplate, file: String, into collector: inout DiagnosticCollector) {
        let policies = template.resources(ofType: "AWS::S3::BucketPolicy")
        for bucket in template.resources(ofType: "AWS::S3::Bucket") {
            let place = "Resources.\(bucket.logicalId)"
            let properties = bucket.properties
            let encryption = properties?["BucketEncryption"]?["ServerSideEncryptionConfiguration"]?.items ?? []
            if encryption.isEmpty {
                collector.error(file, "\(place).Properties.BucketEncryption", "bucket \"\(bucket.logicalId)\" is not encrypted", hint: "add BucketEncryption with SSE-S3 (AES256) or aws:kms")
            }
            let block = properties?["PublicAccessBlockConfiguration"]
            for setting in ["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"] where block?[setting]?.scalar != "true" {
                collector.error(file, "\(place).Properties.PublicAccessBlockConfiguration.\(setting)", "bucket \"\(bucket.logicalId)\" does not block public access", hint: "set \(setting): true")
            }
            if let acl = properties?["AccessControl"]?.scalar, ["PublicRead", "PublicReadWrite", "AuthenticatedRead"].contains(acl) {
                collector.error(file, "\(place).Properties.AccessControl", "bucket \"\(bucket.logicalId)\" is \(acl)", hint: "remove AccessControl; grant access through a bucket policy")
            }
            let own = policies.filter { refersTo($0.properties?["Bucket"], bucket.logicalId) }
            if own.isEmpty {
                collector.error(file, place, "bucket \"\(bucket.logicalId)\" has no bucket policy denying non-TLS requests", hint: "add an AWS::S3::BucketPolicy with a Deny on aws:SecureTransport false")
            } else if !own.contains(where: { denyInsecureTransport($0.properties?["PolicyDocument"]) }) {
                collector.error(file, "Resources.\(own[0].logicalId).Properties.PolicyDocument", "the policy of bucket \"\(bucket.logicalId)\" does not deny non-TLS requests", hint: "add a Deny statement with Condition Bool aws:SecureTransport \"false\"")
            }
        }
        for resource in template.resources {
            let place = "Resources.\(resource.logicalId).Properties"
            switch resource.type {
            case "AWS::S3::BucketPolicy", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy":
                if let document = resource.properties?["PolicyDocument"] {
                    PolicyCheck.check(document, file: file, field: "\(place).PolicyDocument", into: &collector)
                }
            case "AWS::IAM::Role":
                if let trust = resource.properties?["AssumeRolePolicyDocument"] {
                    for (index, statement) in PolicyCheck.statements(trust) where statement["Effect"]?.scalar == "Allow" && PolicyCheck.isWildcardPrincipal(statement["Principal"]) {
                        collector.error(file, "\(place).AssumeRolePolicyDocument.Statement[\(index)].Principal", "role \"\(resource.logicalId)\" can be assumed by anyone", hint: "trust only the service or accounts that need it")
                    }
                }
                for (index, policy) in (resource.properties?["Policies"]?.items ?? []).enumerated() {
                    if let document = policy["PolicyDocument"] {
                        PolicyCheck.check(document, file: file, field: "\(place).Policies[\(index)].PolicyDocument", into: &collector)
                    }
                }
            default:
                break
            }
        }
    }

    /// Whether a node is `!Ref name` or `{Ref: name}`.
    static func refersTo(_ node: YAMLNode?, _ logicalId: String) -> Bool {
        guard let node else { return false }
        if node.customTag == "!Ref", node.scalar == logicalId { return true }
        return node["Ref"]?.scalar == logicalId
    }

    /// Whether a bucket policy has `Deny` with `Bool: {aws:SecureTransport: false}`.
    static func denyInsecureTransport(_ policy: YAMLNode?) -> Bool {
        guard let policy else { return false }
        return PolicyCheck.statements(policy).contains { _, statement in
            statement["Effect"]?.scalar == "Deny" && statement["Condition"]?["Bool"]?["aws:SecureTransport"]?.scalar?.lowercased() == "false"
        }
    }
}
