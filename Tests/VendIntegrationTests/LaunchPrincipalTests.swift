import Foundation
import Testing
@testable import VendCLI
import VendEngine
import VendTestSupport

@Suite("launch-producer --principal", .serialized)
struct LaunchPrincipalTests {
    @Test("--principal is the principal vend associates with the imported portfolio in the spoke (not the caller)")
    func explicitPrincipal() async throws {
        let harness = try LaunchTests.published()
        defer { harness.stop() }
        try await LaunchTests.publish(harness)
        let portfolioId = (try harness.aws("servicecatalog", "list-portfolios")["PortfolioDetails"] as? [[String: Any]])?.first?["Id"] as? String ?? ""
        let caller = try LaunchTests.aws(harness, "producer", "sts", "get-caller-identity")["Arn"] as? String ?? ""
        // The caller is associated by hand, so it can launch; vend must add the named principal.
        _ = try LaunchTests.aws(harness, "producer", "servicecatalog", "accept-portfolio-share", "--portfolio-id", portfolioId)
        _ = try LaunchTests.aws(harness, "producer", "servicecatalog", "associate-principal-with-portfolio", "--portfolio-id", portfolioId,
                                "--principal-arn", caller, "--principal-type", "IAM")
        let analysts = "arn:aws:iam::222222222222:role/DomainEngineers"
        let command = try LaunchProducerCommand.parse(["--config", harness.fixture.root.appendingPathComponent("vend.yaml").path, "--quiet",
                                                       "--domain", "retail", "--principal", analysts])
        let report = try await command.perform(currentDirectory: harness.fixture.root, dependencies: harness.dependencies, console: LaunchTests.silent)
        #expect(report.provisionedProducts.map(\.action) == ["created", "created"])
        let principals = (try LaunchTests.aws(harness, "producer", "servicecatalog", "list-principals-for-portfolio", "--portfolio-id", portfolioId)["Principals"]
            as? [[String: Any]] ?? []).compactMap { $0["PrincipalARN"] as? String }
        #expect(Set(principals) == [caller, analysts])
    }
}
