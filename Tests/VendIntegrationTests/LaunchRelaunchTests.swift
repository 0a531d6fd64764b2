import Foundation
import Testing
@testable import VendCLI
import VendEngine
import VendTestSupport

/// A product terminated outside vend is launched again, not answered with its old record.
@Suite("launch-producer after a termination", .serialized)
struct LaunchRelaunchTests {
    @Test("after producer-<domain> is terminated, the same inputs launch a new provisioned product")
    func relaunch() async throws {
        let harness = try LaunchTests.published()
        defer { harness.stop() }
        try await LaunchTests.publish(harness)
        let first = try await LaunchTests.launchProducer(harness, sampleData: false)
        let oldId = try #require(first.provisionedProducts.first?.id)

        _ = try LaunchTests.aws(harness, "producer", "servicecatalog", "terminate-provisioned-product", "--provisioned-product-id", oldId,
                                "--terminate-token", "test-terminate-1")
        for _ in 0..<40 where try LaunchConvergenceTests.provisioned(harness, "producer").contains("producer-retail") {
            try await Task.sleep(nanoseconds: 250_000_000)
        }
        #expect(try LaunchConvergenceTests.provisioned(harness, "producer").isEmpty, "terminated")
        // The template retains the data bucket on delete (as it should): remove the empty bucket by hand.
        let bucket = try #require(first.provisionedProducts.first?.outputs["BucketName"])
        _ = try LaunchTests.aws(harness, "producer", "s3api", "delete-bucket", "--bucket", bucket)

        let second = try await LaunchTests.launchProducer(harness, sampleData: false)
        #expect(second.provisionedProducts.map(\.action) == ["created", "unchanged"])
        #expect(second.provisionedProducts.first?.id != oldId)
        #expect(try LaunchConvergenceTests.provisioned(harness, "producer") == ["producer-retail"])
    }
}
