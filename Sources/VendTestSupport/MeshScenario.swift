import Foundation
import VendEngine
import VendModel

/// One story the engine must tell the same way on the in-memory fakes (VendEngineTests) and on
/// the local cloud (VendIntegrationTests): bootstrap, publish, launch a producer and a consumer,
/// re-run each, read the status, plan an upgrade. It returns a transcript of what a user would
/// observe; both suites assert the same `expected` transcript, so a fake that drifts from the
/// local cloud (or the other way round) fails one of them.
public enum MeshScenario {
    /// What differs between the two beds.
    public struct Bed: Sendable {
        /// The resolver the workflows reach accounts through.
        public var resolver: any AccountResolving
        /// Runs after bootstrap (the fakes' CloudFormation runs no template, so the bed makes the
        /// artifact bucket and launch outputs its templates would).
        public var afterBootstrap: @Sendable () async throws -> Void
        /// The mutating calls logged since the last `clearLog`, in every account.
        public var mutatingCalls: @Sendable () async throws -> [String]
        /// Empties the call log.
        public var clearLog: @Sendable () async throws -> Void

        /// Creates a bed.
        public init(resolver: any AccountResolving, afterBootstrap: @escaping @Sendable () async throws -> Void = {},
                    mutatingCalls: @escaping @Sendable () async throws -> [String], clearLog: @escaping @Sendable () async throws -> Void) {
            self.resolver = resolver
            self.afterBootstrap = afterBootstrap
            self.mutatingCalls = mutatingCalls
            self.clearLog = clearLog
        }
    }

    /// The analyst role the consumer is launched with.
    public static let analyst = "arn:aws:iam::333333333333:role/Analyst"

    /// The transcript both beds must produce.
    public static let expected = [
        "bootstrap: created",
        "publish: changes made",
        "publish again: 0 changes, 0 mutating calls",
        "launch-producer retail: producer-retail created, producer-registration-retail created",
        "launch-producer retail again: producer-retail unchanged, producer-registration-retail unchanged, 0 mutating calls",
        "launch-consumer analytics: consumer-analytics created, consumer-registration-333333333333-retail created, link-retail created, "
            + "access-retail-Analyst created, access-retail-vend-probe-analytics created; analytics → retail active",
        "launch-consumer analytics again: consumer-analytics unchanged; analytics → retail active, 0 mutating calls",
        "status: central portfolio with analyst-access, consumer-link, consumer-onboarding, consumer-registration, producer-onboarding, producer-registration",
        "status: producer retail has producer-retail AVAILABLE",
        "status: consumer analytics has access-retail-Analyst AVAILABLE, access-retail-vend-probe-analytics AVAILABLE, consumer-analytics AVAILABLE, link-retail AVAILABLE; reads retail active",
        "upgrade producer-retail: unchanged",
        "launch-consumer of an unknown domain: refused, 0 mutating calls",
    ]

    /// Runs the story on `bed` with `workspace` (vend.yaml's three accounts), bundles built into `build`.
    public static func run(workspace: Workspace, bed: Bed, build: URL) async throws -> [String] {
        var transcript: [String] = []
        let region = workspace.config.regions.first ?? "us-east-1"
        let central = CentralWorkflows(workspace: workspace, resolver: bed.resolver)
        let launching = Launching(workspace: workspace, resolver: bed.resolver, region: region)
        let options = CentralWorkflows.BuildOptions(directory: build, toolVersion: "scenario", mtime: 0)

        transcript.append("bootstrap: " + (try await central.bootstrap().map(\.action).joined(separator: ",")))
        try await bed.afterBootstrap()
        let published = try await central.publish(build: options, apply: true)
        transcript.append("publish: " + (published.allSatisfy { $0.plan.allSteps.isEmpty } ? "nothing to do" : "changes made"))
        try await bed.clearLog()
        let again = try await central.publish(build: options, apply: true)
        let steps = again.reduce(0) { $0 + $1.plan.allSteps.count }
        transcript.append("publish again: \(steps) changes, \(try await bed.mutatingCalls().count) mutating calls")

        transcript.append("launch-producer retail: " + describe(try await launching.launchProducer(domain: "retail", profile: nil, parameters: [:], version: nil, sampleData: nil)))
        try await bed.clearLog()
        let producerAgain = try await launching.launchProducer(domain: "retail", profile: nil, parameters: [:], version: nil, sampleData: nil)
        transcript.append("launch-producer retail again: \(describe(producerAgain)), \(try await bed.mutatingCalls().count) mutating calls")

        transcript.append("launch-consumer analytics: " + describe(try await launching.launchConsumer(domain: "analytics", profile: nil, analystRole: analyst, reads: nil, version: nil)))
        try await bed.clearLog()
        let consumerAgain = try await launching.launchConsumer(domain: "analytics", profile: nil, analystRole: analyst, reads: nil, version: nil)
        transcript.append("launch-consumer analytics again: \(describe(consumerAgain)), \(try await bed.mutatingCalls().count) mutating calls")

        let reads = try ReadWorkflows(workspace: workspace, resolver: bed.resolver, region: region)
        for account in try await reads.status(profile: nil, describe: { "\($0)" }) {
            if let error = account.error { transcript.append("status: \(account.role) unreadable: \(error)"); continue }
            if account.role == "central" {
                transcript.append("status: central portfolio with " + account.products.map(\.name).sorted().joined(separator: ", "))
            } else {
                transcript.append("status: \(account.role) has " + account.provisioned.map { "\($0.name) \($0.status)" }.sorted().joined(separator: ", ")
                                  + (account.subscriptions.map { "; reads " + $0.map { "\($0.domain) \($0.label)" }.joined(separator: ", ") } ?? ""))
            }
        }
        let upgrade = try await AccountWorkflows(workspace: workspace, resolver: bed.resolver, region: region)
            .upgrade(name: "producer-retail", profile: nil, version: nil, apply: true)
        transcript.append("upgrade producer-retail: \(upgrade.action)")

        try await bed.clearLog()
        do {
            _ = try await launching.launchConsumer(domain: "nobody", profile: nil, analystRole: analyst, reads: nil, version: nil)
            transcript.append("launch-consumer of an unknown domain: launched")
        } catch EngineError.unknownDomain {
            transcript.append("launch-consumer of an unknown domain: refused, \(try await bed.mutatingCalls().count) mutating calls")
        }
        return transcript
    }

    /// "name action, name action[; consumer → domain state]".
    static func describe(_ report: Launching.Report) -> String {
        report.provisionedProducts.map { "\($0.name) \($0.action)" }.joined(separator: ", ")
            + (report.subscription.map { "; \($0.consumer) → \($0.domain) \($0.label)" } ?? "")
    }
}
