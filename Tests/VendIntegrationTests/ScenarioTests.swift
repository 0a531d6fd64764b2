import AWSCore
import Foundation
import Testing
import VendEngine
import VendModel
import VendTestSupport

/// The scenario the fakes tell in VendEngineTests (WorkflowFakeTests.scenario), told on the local
/// cloud through the live resolver: both must produce `MeshScenario.expected`.
@Suite("The engine's scenario on the local cloud", .serialized)
struct ScenarioTests {
    @Test("the same transcript on the local cloud as on the fakes")
    func scenario() async throws {
        let harness = try PublishHarness.start()
        defer { harness.stop() }
        let cloud = harness.cloud
        let bed = MeshScenario.Bed(
            resolver: LiveAccountResolver(dependencies: harness.dependencies, endpointURL: nil, progress: { _ in }),
            mutatingCalls: { try await cloud.requests().filter(\.isMutating).compactMap(\.operation) },
            clearLog: { try await cloud.clearLog() })
        let workspace = try Workspace.load(root: harness.fixture.root)
        let transcript = try await MeshScenario.run(workspace: workspace, bed: bed, build: harness.out.url)
        #expect(transcript == MeshScenario.expected)
    }
}
