import AWSCore
import Foundation
import Testing
@testable import VendCLI
import VendEngine
import VendModel
import VendTestSupport

@Suite("vend share against the local cloud", .serialized)
struct ShareTests {
    @Test("unshare removes one account, share puts it back, and sharing again changes nothing")
    func shareUnshareIdempotent() async throws {
        let harness = try PublishHarness.start()
        defer { harness.stop() }
        try await harness.bootstrap()
        _ = try await harness.run(apply: true, share: false)
        let portfolioId = (try harness.aws("servicecatalog", "list-portfolios")["PortfolioDetails"] as? [[String: Any]])?.first?["Id"] as? String ?? ""
        let none = try harness.aws("servicecatalog", "describe-portfolio-shares", "--portfolio-id", portfolioId, "--type", "ACCOUNT")["PortfolioShareDetails"] as? [Any]
        #expect(none?.isEmpty == true, "publish --no-share leaves shares alone")
        _ = try await harness.run(apply: true)
        let workspace = try Workspace.load(root: harness.fixture.root)
        let environment = try AWSSessionFactory.centralEnvironment(harness)
        var only = workspace.config.shares
        only.accounts = ["333333333333"]

        let afterUnshare = try await ShareManager.apply(config: workspace.config, shares: only, unshare: true, region: "us-east-1", environment: environment)
        #expect(afterUnshare.map(\.principal) == ["222222222222"])
        let afterShare = try await ShareManager.apply(config: workspace.config, shares: workspace.config.shares, unshare: false, region: "us-east-1", environment: environment)
        #expect(Set(afterShare.map(\.principal)) == ["222222222222", "333333333333"])
        try IAMPolicyCoverage.check(try await harness.cloud.requests())
        try await harness.cloud.clearLog()
        _ = try await ShareManager.apply(config: workspace.config, shares: workspace.config.shares, unshare: false, region: "us-east-1", environment: environment)
        #expect(try await harness.mutatingCalls() == [], "existing shares are not shared again")
    }

    @Test("--unshare without --yes, or without targets, is a usage error")
    func unshareNeedsConfirmation() {
        #expect(throws: (any Error).self) { _ = try ShareCommand.parse(["--unshare", "--account", "333333333333"]) }
        #expect(throws: (any Error).self) { _ = try ShareCommand.parse(["--unshare", "--yes"]) }
        #expect(throws: (any Error).self) { _ = try ShareCommand.parse(["--account", "12345"]) }
        #expect(throws: Never.self) { _ = try ShareCommand.parse(["--unshare", "--yes", "--account", "333333333333"]) }
    }
}

/// Sessions for the harness's cloud.
enum AWSSessionFactory {
    static func central(_ harness: PublishHarness) throws -> AWSSession {
        try AWSSession.resolve(.init(profile: "central", region: "us-east-1"), dependencies: harness.dependencies)
    }

    /// The central account's publish environment, opened through the engine's one resolver.
    static func centralEnvironment(_ harness: PublishHarness) throws -> PublishEnvironment {
        try LiveAccountResolver(dependencies: harness.dependencies, endpointURL: nil, progress: { _ in })
            .open(.init(label: "central", profile: "central", region: "us-east-1", expectedAccountId: nil)).publishEnvironment
    }
}

@Suite("vend verify s3:// against the local cloud", .serialized)
struct RemoteVerifyTests {
    @Test("a published bundle verifies against its live version; another bundle under the same version does not")
    func remoteVerify() async throws {
        let harness = try PublishHarness.start()
        defer { harness.stop() }
        try await harness.bootstrap()
        let results = try await harness.run(apply: true)
        let product = try #require(results.first?.products.first { $0.product == "producer-onboarding" })
        let hex = product.digest.replacingOccurrences(of: "sha256:", with: "")
        let url = "s3://vend-artifacts-111111111111-us-east-1/vend/bundles/producer-onboarding/1.1.0/\(hex).tar.gz"
        let environment = try AWSSessionFactory.centralEnvironment(harness)
        let verified = try await RemoteBundle.verify(url, environment: environment)
        #expect(verified.manifest.bundleDigest == product.digest && verified.versionId == product.versionId)

        // A bundle of the same product and version with other content, uploaded beside it, is caught.
        try harness.fixture.replace("Outputs:", with: "# other content\nOutputs:", in: "products/producer-onboarding/template.yaml")
        let other = try TemporaryDirectory()
        defer { other.remove() }
        let workspace = try Workspace.load(root: harness.fixture.root, only: ["producer-onboarding"])
        let built = try #require(try ProductBundler.build(workspace, into: other.url, toolVersion: "t").first)
        _ = try harness.aws("s3api", "put-object", "--bucket", "vend-artifacts-111111111111-us-east-1", "--key", "tampered.tar.gz", "--body", built.path)
        await #expect(throws: PublishError.self) {
            _ = try await RemoteBundle.verify("s3://vend-artifacts-111111111111-us-east-1/tampered.tar.gz", environment: environment)
        }
        #expect(RemoteBundle.parse("s3://bucket") == nil && RemoteBundle.parse("https://x/y") == nil)
    }
}

@Suite("organization unit shares against the local cloud", .serialized)
struct OrganizationShareTests {
    @Test("an OU share is created and polled to completion; changed flags update it instead of sharing twice")
    func ouShare() async throws {
        let harness = try PublishHarness.start()
        defer { harness.stop() }
        try await harness.bootstrap()
        _ = try await harness.run(apply: true)
        _ = try harness.aws("organizations", "create-organization", "--feature-set", "ALL")
        let root = (try harness.aws("organizations", "list-roots")["Roots"] as? [[String: Any]])?.first?["Id"] as? String ?? ""
        let ou = (try harness.aws("organizations", "create-organizational-unit", "--parent-id", root, "--name", "data")["OrganizationalUnit"] as? [String: Any])?["Id"] as? String ?? ""
        _ = try harness.aws("servicecatalog", "enable-aws-organizations-access")
        let workspace = try Workspace.load(root: harness.fixture.root)
        let environment = try AWSSessionFactory.centralEnvironment(harness)
        var shares = MeshConfig.Shares(accounts: [], organizationalUnits: [ou], organization: nil, sharePrincipals: true, shareTagOptions: true)

        try await harness.cloud.clearLog()
        let after = try await ShareManager.apply(config: workspace.config, shares: shares, unshare: false, region: "us-east-1", environment: environment)
        #expect(after.contains { $0.type == "ORGANIZATIONAL_UNIT" && $0.principal == ou && $0.sharePrincipals })
        let operations = try await harness.cloud.requests().compactMap(\.operation)
        #expect(operations.contains("CreatePortfolioShare") && operations.contains("DescribePortfolioShareStatus"), "the asynchronous share was polled")

        shares.sharePrincipals = false
        try await harness.cloud.clearLog()
        let updated = try await ShareManager.apply(config: workspace.config, shares: shares, unshare: false, region: "us-east-1", environment: environment)
        #expect(try await harness.mutatingCalls() == ["UpdatePortfolioShare"])
        #expect(updated.filter { $0.type == "ORGANIZATIONAL_UNIT" }.map(\.sharePrincipals) == [false])
    }
}
