import AWSCore
import Foundation
import Testing
@testable import VendCLI
import VendEngine
import VendTestSupport

@Suite("vend status against the local cloud", .serialized)
struct StatusTests {
    @Test("status shows versions and pending shares in central, and the imported portfolio once a spoke accepts; it only reads")
    func statusPerAccount() async throws {
        let harness = try PublishHarness.start()
        defer { harness.stop() }
        try await harness.bootstrap()
        let published = try await harness.run(apply: true)
        let portfolioId = try #require(try harness.aws("servicecatalog", "list-portfolios")["PortfolioDetails"] as? [[String: Any]]).first?["Id"] as? String
        _ = try harness.cloud.awsCLI(["servicecatalog", "accept-portfolio-share", "--portfolio-id", portfolioId ?? "", "--profile", "producer"])

        try await harness.cloud.clearLog()
        let accounts = try await StatusCommand.perform(global: try harness.global, accounts: try AccountOptions.parse([]),
                                                       currentDirectory: harness.fixture.root, dependencies: harness.dependencies)
        #expect(try await harness.mutatingCalls() == [])
        #expect(accounts.map(\.role) == ["central", "producer retail", "consumer analytics"])
        let central = try #require(accounts.first)
        #expect(central.products.map(\.name) == published.first?.products.map(\.product))
        #expect(central.products.allSatisfy { $0.versions.map(\.state) == ["active"] && $0.versions.first?.digest?.hasPrefix("sha256:") == true })
        #expect(Dictionary(uniqueKeysWithValues: central.shares.map { ($0.principal, $0.state) }) == ["222222222222": "accepted", "333333333333": "pending"])
        #expect(accounts[1].portfolioId == portfolioId, "the producer sees the imported portfolio after accepting")
        #expect(accounts[2].portfolioId == nil, "the consumer has not accepted")
        #expect(accounts.allSatisfy { $0.error == nil })

        let one = try await StatusCommand.perform(global: try harness.global, accounts: try AccountOptions.parse(["--profile", "consumer"]),
                                                  currentDirectory: harness.fixture.root, dependencies: harness.dependencies)
        #expect(one.map(\.role) == ["consumer analytics"])
        try IAMPolicyCoverage.check(try await harness.cloud.requests())
        await #expect(throws: EngineError.profileNotInConfig(profile: "nobody", known: ["central", "consumer", "producer"])) {
            _ = try await StatusCommand.perform(global: try harness.global, accounts: try AccountOptions.parse(["--profile", "nobody"]),
                                                currentDirectory: harness.fixture.root, dependencies: harness.dependencies)
        }
    }
}
