import AWSCore
import ArgumentParser
import Foundation
import Logging

/// `--profile`, `--region`, `--endpoint-url`: where and as whom a command calls AWS,
/// resolved exactly as the AWS CLI resolves them.
public struct AWSOptions: ParsableArguments {
    /// `--profile`.
    @Option(name: .long, help: "The AWS profile (default: AWS_PROFILE, then 'default'). Environment keys are ignored when given.")
    public var profile: String?

    /// `--region`.
    @Option(name: .long, help: "The AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, then the profile's region).")
    public var region: String?

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

    /// The options as AWSCore takes them.
    public var sessionOptions: AWSSessionOptions {
        AWSSessionOptions(profile: profile, region: region, endpointURL: endpointURL)
    }

    /// The live dependencies: the process environment, files, libcurl, the system clock,
    /// and a log on stderr that is silent unless `--verbose`.
    public static func liveDependencies(verbose: Bool, console: Console) -> AWSDependencies {
        AWSDependencies(environment: ProcessInfo.processInfo.environment, http: CurlHTTPClient(),
                        logger: logger(verbose: verbose, console: console), userAgent: "vend/\(VendVersion.semantic)")
    }

    /// A logger writing `--verbose` lines to the console's stderr.
    public static func logger(verbose: Bool, console: Console) -> Logger {
        ClosureLogHandler.logger(level: verbose ? .debug : .critical) { console.writeErr("verbose: \($0)\n") }
    }
}
