import Foundation
import Testing
@testable import VendCLI
import VendEngine
import VendTestSupport

/// The launch commands converge under injected faults, with nothing duplicated.
@Suite("launch commands converge under faults", .serialized)
struct LaunchConvergenceTests {
    /// Runs `body` until it succeeds, at most `limit` times; returns the number of runs.
    static func converge(_ limit: Int, _ body: () async throws -> Void) async -> Int {
        for run in 1...limit {
            do {
                try await body()
                return run
            } catch {
                continue
            }
        }
        return limit + 1
    }

    /// Provisioned products of an account, by name.
    static func provisioned(_ harness: PublishHarness, _ profile: String) throws -> [String] {
        let products = try LaunchTests.aws(harness, profile, "servicecatalog", "search-provisioned-products")["ProvisionedProducts"] as? [[String: Any]] ?? []
        return products.compactMap { $0["Name"] as? String }.sorted()
    }

    @Test("with 20% of Service Catalog, IAM, S3, CloudFormation, STS, Glue and SSM requests failing in every account, each command converges without duplicates")
    func faults() async throws {
        let harness = try LaunchTests.published()
        defer { harness.stop() }
        try await LaunchTests.publish(harness)
        // Glue and SSM included: the AddDataSource automation finds a crawler an earlier, failed run
        // created and waits for it to be idle, so a re-run after any failed step converges.
        for service in ["servicecatalog", "iam", "s3", "cloudformation", "sts", "glue", "ssm"] {
            for kind in ["throttle", "error500", "error503", "drop"] {
                try await harness.cloud.addFault(["service": service, "kind": kind, "probability": 0.05])
            }
        }
        let producerRuns = await Self.converge(15) { _ = try await LaunchTests.launchProducer(harness) }
        let sourceRuns = await Self.converge(15) { _ = try await LaunchTests.addSource(harness) }
        let consumerRuns = await Self.converge(15) { _ = try await LaunchTests.launchConsumer(harness) }
        try await harness.cloud.clearFaults()
        let faulted = try await harness.cloud.requests().filter { $0.fault != nil }.count
        #expect(faulted > 0, "faults were injected")
        #expect(producerRuns <= 15 && sourceRuns <= 15 && consumerRuns <= 15, "converged: \(producerRuns), \(sourceRuns), \(consumerRuns) runs")

        #expect(try Self.provisioned(harness, "producer") == ["producer-retail"])
        #expect(try Self.provisioned(harness, "central") == ["consumer-registration-333333333333-retail", "producer-registration-retail"])
        #expect(try Self.provisioned(harness, "consumer") == ["access-retail-Analyst", "access-retail-vend-probe-analytics", "consumer-analytics", "link-retail"])
        let requests = try LaunchTests.aws(harness, "consumer", "ssm", "get-parameters-by-path", "--path", "/vend/requests", "--recursive")["Parameters"] as? [[String: Any]] ?? []
        #expect(requests.map { $0["Name"] as? String } == ["/vend/requests/analytics/retail"], "one request, however many runs it took")
        let crawlers = try harness.aws("glue", "list-crawlers")["CrawlerNames"] as? [String] ?? []
        #expect(crawlers.filter { $0 == "retail-orders" }.count == 1)

        try await harness.cloud.clearLog()
        #expect(try await LaunchTests.launchProducer(harness).provisionedProducts.map(\.action) == ["unchanged", "unchanged"])
        #expect(try await LaunchTests.addSource(harness).action == "unchanged")
        #expect(try await LaunchTests.launchConsumer(harness).map(\.action) == ["unchanged"], "the subscription is active: nothing to launch")
        #expect(try await harness.mutatingCalls() == [])
    }
}
