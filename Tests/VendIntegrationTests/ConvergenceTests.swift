import Foundation
import Testing
@testable import VendCLI
import VendEngine
import VendTestSupport

/// Publish interrupted by faults or by SIGKILL converges when re-run, with nothing duplicated.
@Suite("publish converges after faults and kills", .serialized)
struct ConvergenceTests {
    /// Counts of what the central catalog holds, read with the AWS CLI.
    static func inventory(_ harness: PublishHarness) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        let portfolios = try harness.aws("servicecatalog", "list-portfolios")["PortfolioDetails"] as? [[String: Any]] ?? []
        counts["portfolios"] = portfolios.count
        let products = try harness.aws("servicecatalog", "search-products-as-admin")["ProductViewDetails"] as? [[String: Any]] ?? []
        counts["products"] = products.count
        var versions = 0
        for product in products {
            guard let id = (product["ProductViewSummary"] as? [String: Any])?["ProductId"] as? String else { continue }
            versions += (try harness.aws("servicecatalog", "list-provisioning-artifacts", "--product-id", id)["ProvisioningArtifactDetails"] as? [Any])?.count ?? 0
        }
        counts["versions"] = versions
        if let portfolioId = portfolios.first?["Id"] as? String {
            counts["constraints"] = (try harness.aws("servicecatalog", "list-constraints-for-portfolio", "--portfolio-id", portfolioId)["ConstraintDetails"] as? [Any])?.count
            counts["shares"] = (try harness.aws("servicecatalog", "describe-portfolio-shares", "--portfolio-id", portfolioId, "--type", "ACCOUNT")["PortfolioShareDetails"] as? [Any])?.count
        }
        counts["actions"] = (try harness.aws("servicecatalog", "list-service-actions")["ServiceActionSummaries"] as? [Any])?.count
        counts["tagOptions"] = (try harness.aws("servicecatalog", "list-tag-options")["TagOptionDetails"] as? [Any])?.count
        return counts
    }

    static let expected = ["portfolios": 1, "products": 6, "versions": 6, "constraints": 6, "shares": 2, "actions": 2, "tagOptions": 1]

    @Test("with 20% of central requests failing (throttling, 500, 503, dropped connections) publish converges without duplicates")
    func faults() async throws {
        let harness = try PublishHarness.start()
        defer { harness.stop() }
        try await harness.bootstrap()
        for kind in ["throttle", "error500", "error503", "drop"] {
            try await harness.cloud.addFault(["account": "111111111111", "kind": kind, "probability": 0.05])
        }
        var runs = 0, failures = 0
        var errors: [String] = []
        while runs < 20 {
            runs += 1
            do {
                _ = try await harness.run(apply: true)
                break
            } catch {
                failures += 1
                errors.append(String("\(error)".prefix(300)))
            }
        }
        try await harness.cloud.clearFaults()
        let faulted = try await harness.cloud.requests().filter { $0.fault != nil }.count
        #expect(faulted > 0, "faults were injected")
        #expect(runs < 20, "publish converged within 20 runs (\(failures) failed: \(errors.joined(separator: " | ")))")
        #expect(try await harness.run(apply: true).first?.plan.isEmpty == true, "nothing is left to do")
        #expect(try Self.inventory(harness) == Self.expected)
    }

    @Test("a publish killed with SIGKILL after the uploads, after product creation and mid-share converges when re-run", arguments: [
        "CreateProduct", "AssociateProductWithPortfolio", "CreatePortfolioShare",
    ])
    func killed(at operation: String) async throws {
        let harness = try PublishHarness.start()
        defer { harness.stop() }
        try await harness.bootstrap()
        try await harness.cloud.clearLog()
        // The named call is held for 3 s on the server, which still completes it: the client dies with the request in flight.
        try await harness.cloud.addFault(["operation": operation, "kind": "delay", "delay_ms": 3000, "count": 1])
        let vend = Golden.repositoryRoot().appendingPathComponent(".build/debug/vend").path
        let pid = try ChildProcess.spawn(vend, ["publish", "--quiet", "--config", harness.fixture.root.appendingPathComponent("vend.yaml").path,
                                                "--out", harness.out.url.path], environment: harness.cloud.environment)
        var seen = false
        for _ in 0..<200 where !seen {
            try await Task.sleep(nanoseconds: 50_000_000)
            seen = try await harness.cloud.requests().contains { $0.operation == operation }
        }
        kill(pid, SIGKILL)
        _ = ChildProcess.wait(pid)
        #expect(seen, "the publish reached \(operation) before it was killed")
        try await Task.sleep(nanoseconds: 3_200_000_000)
        try await harness.cloud.clearFaults()
        _ = try await harness.run(apply: true)
        #expect(try await harness.run(apply: true).first?.plan.isEmpty == true)
        #expect(try Self.inventory(harness) == Self.expected)
    }
}
