import AWSCore
import AWSServices
import Foundation
import Logging
import Testing

/// Access to the local cloud named by `VEND_LOCALCLOUD_CONFIG_DIR` (a directory holding the
/// `config` and `credentials` that `scripts/localcloud/up` writes). Without it every suite
/// here is skipped.
enum LocalCloudProfiles {
    /// The directory, if the variable is set.
    static let configDirectory: String? = {
        guard let value = ProcessInfo.processInfo.environment["VEND_LOCALCLOUD_CONFIG_DIR"], !value.isEmpty else { return nil }
        return value
    }()

    /// Whether the suites run.
    static var isConfigured: Bool { configDirectory != nil }

    /// Why they are skipped.
    static let skipReason: Comment = "VEND_LOCALCLOUD_CONFIG_DIR is not set: local-cloud tests skipped (scripts/test sets it; or run scripts/localcloud/up and point it at .localcloud/aws)"

    /// The accounts `scripts/localcloud/up` seeds.
    static let accounts = ["central": "111111111111", "producer": "222222222222", "consumer": "333333333333"]

    /// A unique suffix so runs against a long-lived local cloud do not collide.
    static func unique(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// A session for a profile, reading only the local cloud's files (no other environment).
    static func session(_ profile: String, configDirectory override: String? = nil, extraEnvironment: [String: String] = [:],
                        http: any HTTPClient = CurlHTTPClient(), jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) throws -> AWSSession {
        let directory = override ?? configDirectory ?? ""
        let environment = [
            "HOME": NSTemporaryDirectory(),
            "AWS_CONFIG_FILE": "\(directory)/config",
            "AWS_SHARED_CREDENTIALS_FILE": "\(directory)/credentials",
        ].merging(extraEnvironment) { $1 }
        return try AWSSession.resolve(AWSSessionOptions(profile: profile), dependencies: AWSDependencies(
            environment: environment, http: http, logger: Logger(label: "vend.aws.integration") { _ in SwiftLogNoOpLogHandler() },
            userAgent: "vend-integration-tests", jitter: jitter))
    }

    /// All live clients for a profile.
    static func clients(_ profile: String = "central") throws -> AWSServiceClients {
        try AWSServiceClients(session: session(profile))
    }
}
