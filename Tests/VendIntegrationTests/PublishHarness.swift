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

    static func start() throws -> PublishHarness {
        let cloud = try LocalCloud.start()
        return PublishHarness(cloud: cloud, fixture: try WorkspaceFixture(), out: try TemporaryDirectory())
    }

    func stop() {
        cloud.stop()
        fixture.remove()
        out.remove()
    }

    var dependencies: AWSDependencies {
        AWSDependencies(environment: cloud.environment, http: URLSessionHTTPClient(), clock: SystemClock())
    }

    /// Creates the artifact bucket as `vend bootstrap` would.
    func createBucket() async throws {
        let session = try AWSSession.resolve(.init(profile: "central"), dependencies: dependencies)
        try await LiveS3Client(session: session).createBucket("vend-artifacts-111111111111-us-east-1")
    }

    /// Runs plan (apply false) or publish (apply true) in process.
    func run(apply: Bool) async throws -> [Publisher.RegionResult] {
        let global = try GlobalOptions.parse(["--config", fixture.root.appendingPathComponent("vend.yaml").path, "--quiet"])
        return try await PublishCommand.run(global: global, central: try CentralOptions.parse([]), out: out.url.path,
                                            currentDirectory: fixture.root, dependencies: dependencies,
                                            console: Console(out: { _ in }, err: { _ in }), apply: apply)
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
