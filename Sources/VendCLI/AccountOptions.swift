import AWSCore
import ArgumentParser

/// `--profile`, `--region`, `--endpoint-url`: where and as whom a command calls AWS, declared and
/// validated once for every command. Profiles resolve exactly as the AWS CLI resolves them.
public struct AccountOptions: ParsableArguments {
    /// `--profile`.
    @Option(name: .long, help: "The AWS profile of the account to act in (default: the account's profile in vend.yaml; for whoami, AWS_PROFILE, then 'default').")
    public var profile: String?

    /// `--region`, repeatable where a command acts in several regions.
    @Option(name: .long, help: "The region (default: vend.yaml's regions — the first one for commands that act in one region; for whoami, AWS_REGION, AWS_DEFAULT_REGION, then the profile's region). Repeat it for publish, bootstrap and share.")
    public var region: [String] = []

    /// `--endpoint-url`.
    @Option(name: .customLong("endpoint-url"), help: "Send every AWS call to this URL (e.g. a local cloud) instead of AWS's endpoints.")
    public var endpointURL: String?

    /// Creates the options (used by ArgumentParser).
    public init() {}

    /// Checks the endpoint URL's shape early.
    public func validate() throws {
        if let endpointURL, !(endpointURL.hasPrefix("http://") || endpointURL.hasPrefix("https://")) {
            throw ValidationError("--endpoint-url \"\(endpointURL)\" needs http:// or https://.")
        }
    }

    /// The one region of a command that acts in one region (nil: vend.yaml's first).
    public func oneRegion() throws -> String? {
        if region.count > 1 { throw ValidationError("--region is given \(region.count) times, but this command acts in one region: give it once.") }
        return region.first
    }

    /// The options as AWSCore takes them (whoami: no vend.yaml involved).
    public var sessionOptions: AWSSessionOptions {
        AWSSessionOptions(profile: profile, region: region.first, endpointURL: endpointURL)
    }
}

/// Options of the commands that launch: the central account's profile and the principal to associate.
public struct LaunchOptions: ParsableArguments {
    /// `--central-profile`.
    @Option(name: .customLong("central-profile"), help: "The central account's AWS profile (default: accounts.central.profile in vend.yaml).")
    public var centralProfile: String?

    /// `--principal`.
    @Option(name: .long, help: "The IAM principal ARN to associate with the imported portfolio in the spoke account (default: the caller).")
    public var principal: String?

    /// Creates the options (used by ArgumentParser).
    public init() {}

    /// Parses `K=V` pairs (every problem at once).
    public static func parameters(_ pairs: [String]) throws -> [String: String] {
        var result: [String: String] = [:]
        var problems: [String] = []
        for pair in pairs {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else { problems.append("--param \"\(pair)\" is not KEY=VALUE"); continue }
            result[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        if !problems.isEmpty { throw ValidationError(problems.joined(separator: "; ") + ".") }
        return result
    }
}
