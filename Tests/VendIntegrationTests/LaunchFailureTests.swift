import Foundation
import Testing
@testable import VendCLI
import VendEngine
import VendTestSupport

/// Failed actions, updates with new inputs, and progress on stderr.
@Suite("add-source reports a failing action; launch-producer updates on new inputs", .serialized)
struct LaunchFailureTests {
    @Test("an action whose CreateCrawler step fails, or whose prefix holds no data, is reported with the failing step and exit 1; new parameters update the registration; progress goes to stderr")
    func failureAndUpdate() async throws {
        let harness = try LaunchTests.published()
        defer { harness.stop() }
        try await LaunchTests.publish(harness)
        _ = try await LaunchTests.launchProducer(harness)

        // The local crawler (like Glue) crawls an empty prefix successfully, so the failure is injected:
        // the automation's CreateCrawler call (made as the launch role in central) answers 500.
        try await harness.cloud.addFault(["service": "glue", "operation": "CreateCrawler", "account": "111111111111", "kind": "error500", "count": 50])
        do {
            _ = try await LaunchTests.addSource(harness, source: "broken", prefix: "orders/")
            Issue.record("add-source should fail when its CreateCrawler step fails")
        } catch let error as LaunchError {
            #expect(error.description.contains("failed"))
            #expect(error.description.contains("CreateCrawler"), "names the failing step: \(error.description)")
            #expect(ErrorReport(error)?.exitCode == .failure)
        }
        try await harness.cloud.clearFaults()
        let retried = try await LaunchTests.addSource(harness, source: "broken", prefix: "orders/")
        #expect(retried.action == "added", "after a failed execution the same inputs run a new attempt")

        do {
            _ = try await LaunchTests.addSource(harness, source: "missing", prefix: "does-not-exist/")
            Issue.record("add-source on a prefix without data should fail")
        } catch let error as LaunchError {
            #expect(error.description.contains("WaitForCrawler") && error.description.contains("does-not-exist/"), "\(error.description)")
            #expect(ErrorReport(error)?.exitCode == .failure)
        }

        let actionLines = LockedLines()
        let source = try AddSourceCommand.parse(["--config", harness.fixture.root.appendingPathComponent("vend.yaml").path,
                                                 "--domain", "retail", "--source", "customers", "--prefix", "customers/"])
        _ = try await source.perform(currentDirectory: harness.fixture.root, dependencies: harness.dependencies,
                                     console: Console(out: { _ in }, err: { actionLines.append($0) }))
        #expect(actionLines.all.contains { $0.contains("last event: step ") }, "action progress names the automation's step: \(actionLines.all)")

        let lines = LockedLines()
        let console = Console(out: { _ in }, err: { lines.append($0) })
        let command = try LaunchProducerCommand.parse(["--config", harness.fixture.root.appendingPathComponent("vend.yaml").path,
                                                       "--domain", "retail", "--param", "Classification=confidential"])
        let report = try await command.perform(currentDirectory: harness.fixture.root, dependencies: harness.dependencies, console: console)
        #expect(report.provisionedProducts.map(\.action) == ["unchanged", "updated"])
        #expect(lines.all.contains { $0.contains("producer-registration-retail: SUCCEEDED") && $0.contains("s)") }, "progress with status and elapsed time")

        let unknown = try LaunchProducerCommand.parse(["--config", harness.fixture.root.appendingPathComponent("vend.yaml").path, "--quiet",
                                                       "--domain", "retail", "--param", "Nope=1"])
        await #expect(throws: EngineError.unknownParameters(names: ["Nope"], known: ["CentralAccountId", "Classification", "DatabaseName", "DomainName", "ProducerAccountId", "ProducerBucketName"])) {
            _ = try await unknown.perform(currentDirectory: harness.fixture.root, dependencies: harness.dependencies, console: LaunchTests.silent)
        }
    }
}

/// Lines written from several tasks.
final class LockedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    /// Adds a line.
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    /// Every line so far.
    var all: [String] { lock.withLock { lines } }
}
