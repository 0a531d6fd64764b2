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
            central = account(reader.node("central"), path: "accounts.central", kind: .central, file: file, into: &collector)
            if reader.node["central"] == nil { collector.error(file, "accounts.central", "is missing", hint: "add the central account's profile and accountId") }
            producers = reader.list("producers", required: false, into: &collector).compactMap {
                account($0.node, path: $0.path, kind: .producer, file: file, into: &collector)
            }
            consumers = reader.list("consumers", required: false, into: &collector).compactMap {
                account($0.node, path: $0.path, kind: .consumer, file: file, into: &collector)
            }
            reader.finish(into: &collector)
        }
        checkUniqueDomains(producers, kind: "producers", file: file, into: &collector)
        checkUniqueDomains(consumers, kind: "consumers", file: file, into: &collector)
        let producerDomains = Set(producers.compactMap(\.domain))
        for (index, consumer) in consumers.enumerated() where consumer.domain.map(producerDomains.contains) == true {
            collector.error(file, "accounts.consumers[\(index)].domain", "\"\(consumer.domain ?? "")\" is also a producer domain",
                            hint: "a domain name is unique across producers and consumers: rename one")
        }
        for (kind, accounts) in [("producers", producers), ("consumers", consumers)] {
            for (index, account) in accounts.enumerated() where account.region.map({ !regions.contains($0) }) == true {
                collector.error(file, "accounts.\(kind)[\(index)].region", "\"\(account.region ?? "")\" is not one of regions (\(regions.joined(separator: ", ")))",
                                hint: "add it to regions or pick one of those")
            }
        }
        if let central { checkSubscriptionFields(central: central, producers: producers, consumers: consumers, file: file, into: &collector) }

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

        // The `domain` tag's values follow from the declared domains (#22); a listed value is kept
        // (a value still carried by resources must not go), with a notice that the list is not needed.
        let declaredDomains = (producers + consumers).compactMap(\.domain)
        if let index = tags.firstIndex(where: { $0.key == "domain" }) {
            collector.warning(file, "lakeFormation.tags[\(index)]", "lists the domain tag's values, which now follow from the declared domains",
                              hint: "remove the entry: vend derives it from accounts.producers and accounts.consumers (the values listed are kept meanwhile)")
            var values = tags[index].values
            for domain in declaredDomains where !values.contains(domain) { values.append(domain) }
            tags[index].values = values
        } else if !declaredDomains.isEmpty {
            tags.insert(.init(key: "domain", values: declaredDomains), at: 0)
        }

        var versions = MeshConfig.VersionPolicy(keepActive: 3)
        if var reader = FieldReader(top.node("versions"), file: file, path: "versions", required: false, into: &collector) {
            versions.keepActive = reader.int("keepActive", default: 3, into: &collector)
            if versions.keepActive < 1 || versions.keepActive > 100 {
                collector.error(file, "versions.keepActive", "is \(versions.keepActive)", hint: "keep between 1 and 100 versions active (Service Catalog allows 100 per product)")
            }
            reader.finish(into: &collector)
        }
        var apply = MeshConfig.ApplyPolicy.standard
        if var reader = FieldReader(top.node("apply"), file: file, path: "apply", required: false, into: &collector) {
            apply.parallel = reader.int("parallel", default: apply.parallel, into: &collector)
            apply.perAccount = reader.int("perAccount", default: apply.perAccount, into: &collector)
            apply.centralLakeFormation = reader.int("centralLakeFormation", default: apply.centralLakeFormation, into: &collector)
            apply.lockLeaseSeconds = reader.int("lockLeaseSeconds", default: apply.lockLeaseSeconds, into: &collector)
            reader.finish(into: &collector)
            for (field, value, bound) in [("parallel", apply.parallel, 256), ("perAccount", apply.perAccount, 64), ("centralLakeFormation", apply.centralLakeFormation, 16),
                                          ("lockLeaseSeconds", apply.lockLeaseSeconds, 86_400)] where value < 1 || value > bound {
                collector.error(file, "apply.\(field)", "is \(value)", hint: "use a whole number from 1 to \(bound)")
            }
        }
        top.finish(into: &collector)

        // Returned even when some fields had errors (they are recorded), so products can still be
        // checked against it and every problem is reported in one run; loading fails on any error.
        guard let portfolio, let central else { return nil }
        return MeshConfig(portfolio: portfolio, regions: regions, central: central, producers: producers, consumers: consumers,
                          shares: shares, artifacts: artifacts, lakeFormationTags: tags, versions: versions, apply: apply)
    }

    /// Which list of `accounts` an entry comes from: each kind reads its own fields.
    enum AccountKind { case central, producer, consumer }

    /// A principal ARN as IAM writes it (roles and users, with an optional path).
    static let principalPattern = #"^arn:aws[a-z-]*:iam::\d{12}:(role|user)/([\w+=,.@-]+/)*[\w+=,.@-]{1,64}$"#
    /// A role ARN without a path, as Lake Formation matches roles (the products' AnalystRoleArn pattern).
    static let analystRolePattern = #"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@-]{1,64}$"#

    private static func account(_ node: YAMLNode?, path: String, kind: AccountKind, file: String, into collector: inout DiagnosticCollector) -> MeshConfig.Account? {
        guard node != nil, var reader = FieldReader(node, file: file, path: path, into: &collector) else { return nil }
        let domainName = kind != .central ? reader.string("domain", into: &collector) : nil
        let profile = reader.string("profile", into: &collector)
        let accountId = reader.string("accountId", into: &collector)
        var approval = MeshConfig.Approval.owner
        var owners: [String] = []
        var analystRoles: [String] = []
        var subscriptions: [String] = []
        var parameters: [String: String] = [:]
        var versions: [String: String] = [:]
        var sources: [MeshConfig.Source] = []
        let region = kind != .central ? reader.string("region", required: false, into: &collector) : nil
        switch kind {
        case .central:
            break
        case .producer:
            if let text = reader.string("approval", required: false, into: &collector) {
                if let value = MeshConfig.Approval(rawValue: text) {
                    approval = value
                } else {
                    collector.error(file, "\(path).approval", "is \"\(text)\"", hint: "use auto (requests are granted at once) or owner (an owner approves each one)")
                }
            }
            owners = reader.strings("owners", required: false, into: &collector) ?? []
            for (index, owner) in owners.enumerated() where !owner.matches(principalPattern) {
                collector.error(file, "\(path).owners[\(index)]", "\"\(owner)\" is not an IAM role or user ARN", hint: "write arn:aws:iam::<account>:role/<name> or …:user/<name>")
            }
            for (name, value) in reader.textMap("parameters", into: &collector) ?? [] {
                // CloudFormation parameter names are alphanumeric ("Parameters", template anatomy).
                if !name.matches(#"^[A-Za-z0-9]{1,255}$"#) {
                    collector.error(file, "\(path).parameters.\(name)", "is not a CloudFormation parameter name", hint: "use the parameter's name as the product's template declares it (letters and digits)")
                } else {
                    parameters[name] = value
                }
            }
            for (product, version) in reader.textMap("versions", into: &collector) ?? [] {
                if SemanticVersion(version) == nil {
                    collector.error(file, "\(path).versions.\(product)", "\"\(version)\" is not a semantic version", hint: "write MAJOR.MINOR.PATCH, e.g. 1.2.0")
                } else {
                    versions[product] = version
                }
            }
            sources = readSources(&reader, path: path, file: file, into: &collector)
        case .consumer:
            analystRoles = reader.strings("analystRoles", required: false, into: &collector) ?? []
            for (index, role) in analystRoles.enumerated() where !role.matches(analystRolePattern) {
                collector.error(file, "\(path).analystRoles[\(index)]", "\"\(role)\" is not a role ARN without a path",
                                hint: "write arn:aws:iam::<account>:role/<name> (Lake Formation matches roles without their path; for IAM Identity Center use role/AWSReservedSSO_<name>)")
            }
            subscriptions = reader.strings("subscriptions", required: false, into: &collector) ?? []
        }
        reader.finish(into: &collector)
        if let accountId, !accountId.matches(accountIdPattern) {
            collector.error(file, "\(path).accountId", "\"\(accountId)\" is not a 12-digit account id", hint: "quote account ids so YAML keeps leading zeros")
        }
        // The products' DomainName pattern (2–23 characters, so bucket names stay valid).
        if let domainName, !domainName.matches(#"^[a-z][a-z0-9-]{0,21}[a-z0-9]$"#) {
            collector.error(file, "\(path).domain", "\"\(domainName)\" is not a valid domain name",
                            hint: "use 2–23 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen (the products' DomainName pattern)")
        }
        guard let profile, let accountId, kind == .central || domainName != nil else { return nil }
        return .init(domain: domainName, profile: profile, accountId: accountId, approval: approval, owners: owners,
                     analystRoles: analystRoles, subscriptions: subscriptions, region: region, parameters: parameters, versions: versions, sources: sources)
    }

    /// A producer's `sources:`: each a name, a prefix of the domain's bucket and a format, names unique.
    private static func readSources(_ reader: inout FieldReader, path: String, file: String, into collector: inout DiagnosticCollector) -> [MeshConfig.Source] {
        var sources: [MeshConfig.Source] = []
        for item in reader.list("sources", required: false, into: &collector) {
            guard var source = FieldReader(item.node, file: file, path: item.path, into: &collector) else { continue }
            let name = source.string("name", into: &collector)
            let prefix = source.string("prefix", into: &collector)
            let format = source.string("format", required: false, into: &collector) ?? "csv"
            source.finish(into: &collector)
            // The same rules as the AddDataSource action's SourceName, S3Path and Format parameters.
            if let name, !name.matches(#"^[a-z][a-z0-9_-]{0,62}$"#) {
                collector.error(file, "\(item.path).name", "\"\(name)\" is not a source name", hint: "use 1–63 lowercase letters, digits, '_' and '-', starting with a letter")
            }
            if let prefix, !prefix.matches(#"^([A-Za-z0-9_.=-]+/)+$"#) {
                collector.error(file, "\(item.path).prefix", "\"\(prefix)\" is not a bucket prefix", hint: "write folders ending with '/', e.g. customers/")
            }
            if !["csv", "json", "parquet"].contains(format) {
                collector.error(file, "\(item.path).format", "is \"\(format)\"", hint: "use csv, json or parquet")
            }
            if let name, sources.contains(where: { $0.name == name }) {
                collector.error(file, "\(item.path).name", "\"\(name)\" appears twice", hint: "give each source of the domain its own name")
            } else if let name, let prefix {
                sources.append(.init(name: name, prefix: prefix, format: format))
            }
        }
        return sources
    }

    /// The rules that tie the subscription fields to the rest of vend.yaml: an owner is a principal of
    /// the domain's account or of central (so every decision can be read with a profile vend.yaml
    /// names), an analyst role lives in its consumer's account (Lake Formation grants in that
    /// account's catalog), and a subscription names a declared producer domain, once.
    private static func checkSubscriptionFields(central: MeshConfig.Account, producers: [MeshConfig.Account], consumers: [MeshConfig.Account],
                                                file: String, into collector: inout DiagnosticCollector) {
        for (index, producer) in producers.enumerated() {
            for (ownerIndex, owner) in producer.owners.enumerated() where owner.matches(principalPattern) {
                let account = MeshConfig.accountId(ofARN: owner)
                if account != producer.accountId && account != central.accountId {
                    collector.error(file, "accounts.producers[\(index)].owners[\(ownerIndex)]",
                                    "\"\(owner)\" is in account \(account), neither the domain's (\(producer.accountId)) nor central's (\(central.accountId))",
                                    hint: "name a principal of the domain's account or of central, whose decisions vend can read")
                }
            }
        }
        let declared = producers.compactMap(\.domain)
        for (index, consumer) in consumers.enumerated() {
            for (roleIndex, role) in consumer.analystRoles.enumerated() where role.matches(analystRolePattern) {
                let account = MeshConfig.accountId(ofARN: role)
                if account != consumer.accountId {
                    collector.error(file, "accounts.consumers[\(index)].analystRoles[\(roleIndex)]", "\"\(role)\" is in account \(account), not the consumer's (\(consumer.accountId))",
                                    hint: "name a role of the consumer's own account: Lake Formation grants it there")
                }
            }
            var seen: Set<String> = []
            for (subIndex, domain) in consumer.subscriptions.enumerated() {
                if !declared.contains(domain) {
                    let known = declared.isEmpty ? "none are declared" : "declared: \(declared.joined(separator: ", "))"
                    collector.error(file, "accounts.consumers[\(index)].subscriptions[\(subIndex)]", "\"\(domain)\" is not a producer domain (\(known))",
                                    hint: "name a domain of accounts.producers")
                } else if !seen.insert(domain).inserted {
                    collector.error(file, "accounts.consumers[\(index)].subscriptions[\(subIndex)]", "\"\(domain)\" appears twice", hint: "list each domain once")
                }
            }
        }
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
