import Foundation

/// Builds `MeshConfig` from the YAML of `vend.yaml`, reporting every problem.
enum MeshConfigParser {
    static let accountIdPattern = #"^\d{12}$"#

    static func parse(_ root: YAMLNode, file: String, into collector: inout DiagnosticCollector) -> MeshConfig? {
        guard var top = FieldReader(root, file: file, path: "", into: &collector) else { return nil }

        var portfolio: MeshConfig.Portfolio?
        if var reader = FieldReader(top.node("portfolio"), file: file, path: "portfolio", into: &collector) {
            let name = reader.string("name", into: &collector)
            let provider = reader.string("providerName", into: &collector)
            let description = reader.string("description", required: false, into: &collector) ?? ""
            reader.finish(into: &collector)
            if let name, let provider { portfolio = .init(name: name, providerName: provider, description: description) }
        }

        let regions = top.strings("regions", into: &collector) ?? []
        if top.node["regions"]?.items?.isEmpty == true {
            collector.error(file, "regions", "is empty", hint: "name at least one region, e.g. [us-east-1]")
        }
        for (index, region) in regions.enumerated() where !region.matches(#"^[a-z]{2}(-[a-z]+)+-\d$"#) {
            collector.error(file, "regions[\(index)]", "\"\(region)\" is not an AWS region name", hint: "use a name such as \"us-east-1\"")
        }

        var central: MeshConfig.Account?
        var producers: [MeshConfig.Account] = []
        var consumers: [MeshConfig.Account] = []
        if var reader = FieldReader(top.node("accounts"), file: file, path: "accounts", into: &collector) {
            central = account(reader.node("central"), path: "accounts.central", domain: false, file: file, into: &collector)
            if reader.node["central"] == nil { collector.error(file, "accounts.central", "is missing", hint: "add the central account's profile and accountId") }
            producers = reader.list("producers", required: false, into: &collector).compactMap {
                account($0.node, path: $0.path, domain: true, file: file, into: &collector)
            }
            consumers = reader.list("consumers", required: false, into: &collector).compactMap {
                account($0.node, path: $0.path, domain: true, file: file, into: &collector)
            }
            reader.finish(into: &collector)
        }
        checkUniqueDomains(producers, kind: "producers", file: file, into: &collector)
        checkUniqueDomains(consumers, kind: "consumers", file: file, into: &collector)

        var shares = MeshConfig.Shares(accounts: [], organizationalUnits: [], organization: nil, sharePrincipals: false, shareTagOptions: true)
        if var reader = FieldReader(top.node("shares"), file: file, path: "shares", required: false, into: &collector) {
            shares.accounts = reader.strings("accounts", required: false, into: &collector) ?? []
            for (index, id) in shares.accounts.enumerated() where !id.matches(accountIdPattern) {
                collector.error(file, "shares.accounts[\(index)]", "\"\(id)\" is not a 12-digit account id", hint: "quote account ids so YAML keeps leading zeros")
            }
            shares.organizationalUnits = reader.strings("organizationalUnits", required: false, into: &collector) ?? []
            for (index, ou) in shares.organizationalUnits.enumerated() where !ou.matches(#"^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$"#) {
                collector.error(file, "shares.organizationalUnits[\(index)]", "\"\(ou)\" is not an OU id", hint: "use an id such as \"ou-ab12-cdef3456\"")
            }
            shares.organization = reader.string("organization", required: false, into: &collector)
            if let org = shares.organization, !org.matches(#"^o-[a-z0-9]{10,32}$"#) {
                collector.error(file, "shares.organization", "\"\(org)\" is not an organization id", hint: "use an id such as \"o-a1b2c3d4e5\" or null")
            }
            shares.sharePrincipals = reader.bool("sharePrincipals", default: false, into: &collector)
            shares.shareTagOptions = reader.bool("shareTagOptions", default: true, into: &collector)
            reader.finish(into: &collector)
        }

        var artifacts = MeshConfig.Artifacts(bucket: "vend-artifacts-{accountId}-{region}", prefix: "vend/")
        if var reader = FieldReader(top.node("artifacts"), file: file, path: "artifacts", required: false, into: &collector) {
            artifacts.bucket = reader.string("bucket", into: &collector) ?? artifacts.bucket
            artifacts.prefix = reader.string("prefix", required: false, into: &collector) ?? artifacts.prefix
            reader.finish(into: &collector)
            let sample = artifacts.bucketName(accountId: "111111111111", region: "us-east-1")
            if !sample.matches(#"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"#) {
                collector.error(file, "artifacts.bucket", "\"\(artifacts.bucket)\" does not make a valid S3 bucket name (gives \"\(sample)\")", hint: "use 3–63 lowercase letters, digits, dots and hyphens; {accountId} and {region} are substituted")
            }
        }

        var tags: [MeshConfig.LFTag] = []
        if var reader = FieldReader(top.node("lakeFormation"), file: file, path: "lakeFormation", into: &collector) {
            for item in reader.list("tags", required: true, into: &collector) {
                guard var tagReader = FieldReader(item.node, file: file, path: item.path, into: &collector) else { continue }
                let key = tagReader.string("key", into: &collector)
                let values = tagReader.strings("values", into: &collector)
                tagReader.finish(into: &collector)
                if let values, values.isEmpty { collector.error(file, "\(item.path).values", "is empty", hint: "list the values the tag may take") }
                if let key, tags.contains(where: { $0.key == key }) {
                    collector.error(file, "\(item.path).key", "\"\(key)\" is defined twice", hint: "merge the two entries")
                } else if let key, let values { tags.append(.init(key: key, values: values)) }
            }
            reader.finish(into: &collector)
        }

        var versions = MeshConfig.VersionPolicy(keepActive: 3)
        if var reader = FieldReader(top.node("versions"), file: file, path: "versions", required: false, into: &collector) {
            versions.keepActive = reader.int("keepActive", default: 3, into: &collector)
            if versions.keepActive < 1 || versions.keepActive > 100 {
                collector.error(file, "versions.keepActive", "is \(versions.keepActive)", hint: "keep between 1 and 100 versions active (Service Catalog allows 100 per product)")
            }
            reader.finish(into: &collector)
        }
        top.finish(into: &collector)

        // Returned even when some fields had errors (they are recorded), so products can still be
        // checked against it and every problem is reported in one run; loading fails on any error.
        guard let portfolio, let central else { return nil }
        return MeshConfig(portfolio: portfolio, regions: regions, central: central, producers: producers, consumers: consumers,
                          shares: shares, artifacts: artifacts, lakeFormationTags: tags, versions: versions)
    }

    private static func account(_ node: YAMLNode?, path: String, domain: Bool, file: String, into collector: inout DiagnosticCollector) -> MeshConfig.Account? {
        guard node != nil, var reader = FieldReader(node, file: file, path: path, into: &collector) else { return nil }
        let domainName = domain ? reader.string("domain", into: &collector) : nil
        let profile = reader.string("profile", into: &collector)
        let accountId = reader.string("accountId", into: &collector)
        reader.finish(into: &collector)
        if let accountId, !accountId.matches(accountIdPattern) {
            collector.error(file, "\(path).accountId", "\"\(accountId)\" is not a 12-digit account id", hint: "quote account ids so YAML keeps leading zeros")
        }
        if let domainName, !domainName.matches(#"^[a-z][a-z0-9-]{1,30}$"#) {
            collector.error(file, "\(path).domain", "\"\(domainName)\" is not a valid domain name", hint: "use 2–31 lowercase letters, digits and hyphens, starting with a letter")
        }
        guard let profile, let accountId, !domain || domainName != nil else { return nil }
        return .init(domain: domainName, profile: profile, accountId: accountId)
    }

    private static func checkUniqueDomains(_ accounts: [MeshConfig.Account], kind: String, file: String, into collector: inout DiagnosticCollector) {
        var seen: Set<String> = []
        for (index, account) in accounts.enumerated() {
            guard let domain = account.domain else { continue }
            if !seen.insert(domain).inserted {
                collector.error(file, "accounts.\(kind)[\(index)].domain", "\"\(domain)\" appears twice", hint: "give each domain one entry")
            }
        }
    }
}
