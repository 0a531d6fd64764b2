import AWSCore
import AWSServices
import Foundation
@testable import VendCLI
import VendEngine
import VendTestSupport

/// A workspace copy and a private local cloud, with vend.yaml pointed at nothing but that cloud.
struct PublishHarness {
    let cloud: LocalCloud
    let fixture: WorkspaceFixture
    let out: TemporaryDirectory

    static func start(_ cloudArguments: [String] = []) throws -> PublishHarness {
        let cloud = try LocalCloud.start(cloudArguments)
        return PublishHarness(cloud: cloud, fixture: try WorkspaceFixture(), out: try TemporaryDirectory())
    }

    func stop() {
        cloud.stop()
        fixture.remove()
        out.remove()
    }

    var dependencies: AWSDependencies {
        AWSDependencies(environment: cloud.environment, http: CurlHTTPClient(), clock: SystemClock())
    }

    var global: GlobalOptions {
        get throws { try GlobalOptions.parse(["--config", fixture.root.appendingPathComponent("vend.yaml").path, "--quiet"]) }
    }

    /// Runs `vend bootstrap` in process (creates the artifact bucket among the rest).
    @discardableResult
    func bootstrap() async throws -> [Bootstrapper.Result] {
        try await BootstrapCommand.perform(global: try global, accounts: try AccountOptions.parse([]), currentDirectory: fixture.root,
                                           dependencies: dependencies, console: Console(out: { _ in }, err: { _ in }))
    }

    /// Runs plan (apply false) or publish (apply true) in process.
    func run(apply: Bool, share: Bool = true) async throws -> [Publisher.RegionResult] {
        try await PublishCommand.run(global: try global, accounts: try AccountOptions.parse([]), out: out.url.path,
                                            currentDirectory: fixture.root, dependencies: dependencies,
                                            console: Console(out: { _ in }, err: { _ in }), apply: apply, share: share)
    }

    /// Mutating requests in the log since it was last cleared.
    func mutatingCalls() async throws -> [String] {
        try await cloud.requests().filter(\.isMutating).compactMap(\.operation)
    }

    /// Runs the AWS CLI as the central account.
    func aws(_ arguments: String...) throws -> [String: Any] {
        (try cloud.awsCLI(arguments + ["--profile", "central"]) as? [String: Any]) ?? [:]
    }
}
