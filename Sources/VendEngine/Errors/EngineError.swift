/// A workflow a next step can point at. The engine names workflows, never command lines:
/// VendCLI's ErrorReport turns each into the command a user types.
public enum Workflow: Sendable, Equatable {
    case validate, build, bootstrap, publish, share, status
    /// Launching one product.
    case launch(product: String)
    /// Onboarding a producer domain (nil: whichever the user meant).
    case launchProducer(domain: String?)
    /// Onboarding a consumer domain (with the analyst role's placeholder when the step needs it).
    case launchConsumer(domain: String?, analystRole: String? = nil)
    /// Adding a data source to a producer domain.
    case addSource(domain: String?)
    /// Checking a profile's credentials and endpoint.
    case whoami(profile: String?)
    /// Re-making the grants and links the provisioned products declare (`doctor --fix`).
    case doctorFix
    /// Planning the mesh (saving the plan to a file when `saving`).
    case plan(saving: Bool)
    /// Converging the mesh to vend.yaml.
    case apply
}

/// What to do about a failure or a failed check.
public enum NextStep: Sendable, Equatable {
    /// Do what the sentence says.
    case advice(String)
    /// "<before> <the workflow's command><after>", e.g. "run `vend bootstrap` first".
    case command(String, Workflow, String)

    /// "run <command><after>".
    public static func run(_ workflow: Workflow, _ after: String = "") -> NextStep { .command("run", workflow, after) }
    /// "re-run <command><after>".
    public static func rerun(_ workflow: Workflow, _ after: String = "") -> NextStep { .command("re-run", workflow, after) }
}

/// Every error the engine throws: `description` says what happened and why; `nextStep` says what
/// to do, rendered by the CLI where the error becomes a message (the engine names no command line).
public protocol EngineFailure: Error, CustomStringConvertible, Sendable {
    /// What to do next, if anything.
    var nextStep: NextStep? { get }
}

/// The kinds of domain vend.yaml declares.
public enum DomainKind: String, Sendable, Equatable {
    case producer, consumer
}

/// Why a workflow stopped, as data. `description` says what happened and why; `nextStep` says
/// what to do, and the CLI renders it where the error becomes a message.
public enum EngineError: EngineFailure, Equatable {
    /// The profile's credentials belong to another account than vend.yaml names.
    case wrongAccount(profile: String, actual: String, expected: String, label: String)
    /// A domain that vend.yaml does not declare.
    case unknownDomain(kind: DomainKind, name: String, known: [String])
    /// No region given and none in vend.yaml.
    case noRegion
    /// The portfolio vend.yaml names does not exist (owned in central, or imported in a spoke).
    case portfolioMissing(name: String, accountId: String, region: String)
    /// Several portfolios carry the name: vend cannot tell which one is the mesh's.
    case duplicatePortfolios(name: String, accountId: String, ids: [String])
    /// A product that is not in products/.
    case productNotInWorkspace(name: String, known: [String])
    /// Launch parameters that no product of the launch declares.
    case unknownParameters(names: [String], known: [String])
    /// A provisioned product lacks an output the next step needs.
    case missingOutput(provisionedProduct: String, output: String, template: String)
    /// A consumer reads a producer domain that has no central registration yet.
    case producerNotRegistered(domain: String, provisionedProduct: String)
    /// `vend launch --profile P` where P is not an account the product may be launched in.
    case profileCannotLaunch(product: String, profile: String, candidates: [String])
    /// `vend launch` without `--profile`, and not exactly one account of vend.yaml fits the product.
    case ambiguousAccount(product: String, candidates: [String])
    /// A profile that no account of vend.yaml uses.
    case profileNotInConfig(profile: String, known: [String])
    /// `upgrade`/`terminate` of a name vend does not derive an account from, without `--profile`.
    case unknownProvisionedName(name: String)
    /// A product's file (template, action document) is not in its loaded files.
    case productFileMissing(product: String, file: String)
    /// A workspace file vend needs is missing or unreadable.
    case missingFile(path: String, why: String)

    /// What happened: why.
    public var description: String {
        switch self {
        case let .wrongAccount(profile, actual, expected, label):
            return "profile '\(profile)' belongs to account \(actual), but vend.yaml names \(expected) as the \(label) account"
        case let .unknownDomain(kind, name, known):
            return "\(kind.rawValue) domain \"\(name)\" is not in vend.yaml: accounts.\(kind.rawValue)s has \(known.isEmpty ? "none" : known.joined(separator: ", "))"
        case .noRegion:
            return "no region to act in: none was given and vend.yaml lists no regions"
        case let .portfolioMissing(name, accountId, region):
            return "portfolio \"\(name)\" does not exist in account \(accountId) (\(region)): nothing was published or shared there yet"
        case let .duplicatePortfolios(name, accountId, ids):
            return "account \(accountId) holds \(ids.count) portfolios named \"\(name)\" (\(ids.joined(separator: ", "))): vend cannot tell which one is the mesh's"
        case let .productNotInWorkspace(name, known):
            return "product \"\(name)\" is not in the workspace: products/ has \(known.joined(separator: ", "))"
        case let .unknownParameters(names, known):
            return "unknown parameter(s) \(names.map { "\"\($0)\"" }.joined(separator: ", ")): the product(s) declare \(known.joined(separator: ", "))"
        case let .missingOutput(provisionedProduct, output, template):
            return "\(provisionedProduct) has no \(output) output: its template did not produce one (\(template))"
        case let .producerNotRegistered(domain, provisionedProduct):
            return "producer domain \"\(domain)\" has no central registration with a DatabaseName (\(provisionedProduct)): the consumer has nothing to read"
        case let .profileCannotLaunch(product, profile, candidates):
            return "profile '\(profile)' is not an account \(product) is launched in: its audience fits \(candidates.isEmpty ? "no account of vend.yaml" : candidates.joined(separator: ", "))"
        case let .ambiguousAccount(product, candidates):
            return candidates.isEmpty
                ? "no account of vend.yaml launches \(product): its audience matches none"
                : "\(product) can be launched in \(candidates.count) accounts of vend.yaml (\(candidates.joined(separator: ", "))): vend cannot tell which one you mean"
        case let .profileNotInConfig(profile, known):
            return "no account of vend.yaml uses profile '\(profile)': its accounts use \(known.joined(separator: ", "))"
        case let .unknownProvisionedName(name):
            return "cannot tell which account holds \"\(name)\": vend names its products producer-<domain>, consumer-<domain>, producer-registration-<domain> and consumer-registration-<domain>"
        case let .productFileMissing(product, file):
            return "product \"\(product)\" has no bytes for \(file)"
        case let .missingFile(path, why):
            return "cannot read \(path): \(why)"
        }
    }

    /// What to do next.
    public var nextStep: NextStep? {
        switch self {
        case .wrongAccount: return .advice("use that account's profile or fix vend.yaml")
        case .unknownDomain: return .advice("add it to vend.yaml or pick one of those")
        case .noRegion: return .advice("name one with --region or in vend.yaml regions")
        case .portfolioMissing: return .run(.publish, " first")
        case .duplicatePortfolios: return .advice("delete the duplicates or rename one in the Service Catalog console")
        case .productNotInWorkspace: return .advice("pick one of those, or run from the repository root")
        case .unknownParameters: return .advice("use one of the declared parameters")
        case .missingOutput: return .advice("check the product's template")
        case let .producerNotRegistered(domain, _): return .run(.launchProducer(domain: domain), " first")
        case .profileCannotLaunch: return .advice("use one of those profiles, or launch a product made for that account")
        case .ambiguousAccount: return .advice("name the account with --profile")
        case .profileNotInConfig: return .advice("use one of those")
        case .unknownProvisionedName: return .advice("pass --profile")
        case .productFileMissing: return .run(.validate)
        case .missingFile: return .advice("restore it from the repository")
        }
    }
}
