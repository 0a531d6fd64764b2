import Foundation
import Testing
@testable import VendCLI
import VendEngine
import VendTestSupport

/// The engine speaks typed errors and names no command line; the CLI turns each into the
/// message users read: what happened: why — what to do, with the command to run.
@Suite("Typed errors become messages")
struct ErrorMessageTests {
    @Test("a next step that is a workflow is rendered as the command to type")
    func rendersCommands() {
        #expect(ErrorReport(EngineError.portfolioMissing(name: "data-mesh", accountId: "111111111111", region: "us-east-1"))?.text
            == "portfolio \"data-mesh\" does not exist in account 111111111111 (us-east-1): nothing was published or shared there yet — run `vend publish` first")
        #expect(ErrorReport(PublishError.artifactBucketMissing(bucket: "b", region: "us-east-1"))?.text
            == "the artifact bucket b does not exist in us-east-1: it holds the templates Service Catalog reads — run `vend bootstrap` first")
        #expect(ErrorReport(EngineError.producerNotRegistered(domain: "retail", provisionedProduct: "producer-registration-retail"))?.text.hasSuffix(
            "— run `vend launch-producer --domain retail` first") == true)
        #expect(ErrorReport(LaunchError.firstLaunchFailed(name: "producer-retail", id: "pp-1", message: "boom"))?.text
            == "producer-retail (pp-1) is in ERROR: its first launch failed (boom) and it cannot be updated — terminate it, then re-run")
        #expect(ErrorReport(LaunchError.failedAfterSuccess(name: "producer-retail", id: "pp-1", message: "boom", lastSuccessfulRecordId: "rec-1"))?.text
            == "producer-retail (pp-1) is in ERROR (boom): it cannot be updated, and since it once succeeded (record rec-1) its resources may hold data, so it is not replaced"
            + " — repair its stack (its events in the CloudFormation console say why; e.g. continue the update rollback), or terminate it if nothing in it must be kept, then re-run")
        #expect(ErrorReport.render(.rerun(.launchConsumer(domain: "analytics", analystRole: "ARN"), " (it grants both)"))
            == "re-run `vend launch-consumer --domain analytics --analyst-role ARN` (it grants both)")
    }

    @Test("exit codes: a refusal is 2, unknown launch parameters are usage (64), the rest 1")
    func exitCodes() {
        #expect(ErrorReport(PublishError.refused([]))?.exitCode == .refused)
        #expect(ErrorReport(EngineError.unknownParameters(names: ["X"], known: ["Y"]))?.exitCode == .usage)
        #expect(ErrorReport(BootstrapError.stackTimedOut(stack: "s"))?.exitCode == .failure)
        #expect(ErrorReport(LaunchError.noRecordId(label: "x"))?.exitCode == .failure)
        // Subscriptions: not an owner and an expiry already over are refusals; unknown names and a pair never subscribed fail.
        let notOwner = SubscriptionError.notAnOwner(caller: "arn:aws:iam::222222222222:user/bob", domain: "sales", owners: [], domainAccount: "222222222222", central: "111111111111")
        #expect(ErrorReport(notOwner)?.exitCode == .refused)
        #expect(ErrorReport(notOwner)?.text.hasSuffix("— ask an owner to decide, or run it with an owner's profile (--profile)") == true)
        #expect(ErrorReport(SubscriptionError.expiryInPast(day: "2025-01-01", today: "2026-12-07"))?.exitCode == .refused)
        #expect(ErrorReport(SubscriptionError.neverSubscribed(consumer: "analytics", domain: "hr"))?.exitCode == .failure)
        #expect(ErrorReport(EngineError.unknownDomain(kind: .consumer, name: "x", known: ["analytics"]))?.text
            == "consumer domain \"x\" is not in vend.yaml: accounts.consumers has analytics — add it to vend.yaml or pick one of those")
        // The apply lock: another run holding it is a refusal, named with what to do; a lost lock fails.
        let since = Date(timeIntervalSince1970: 1_767_323_045)
        let held = ApplyLockError.held(holder: "arn:aws:iam::111111111111:role/alice", runId: "run-1", since: since, leaseUntil: since + 900,
                                       key: "vend/locks/apply.json", bucket: "vend-artifacts")
        #expect(ErrorReport(held)?.exitCode == .refused)
        #expect(ErrorReport(held)?.text == "another vend apply holds the mesh lock: arn:aws:iam::111111111111:role/alice since 2026-01-02T03:04:05Z (run run-1), "
            + "lease until 2026-01-02T03:19:05Z — wait for it to finish, then run again; if that run died, a run after 2026-01-02T03:19:05Z takes the lock over, "
            + "or remove s3://vend-artifacts/vend/locks/apply.json once you are sure it is not running")
        #expect(ErrorReport(ApplyLockError.lost(runId: "run-1", holder: nil, key: "k", bucket: "b"))?.exitCode == .failure)
    }

    @Test("the engine and AWSCore name no command line: next steps are workflows the CLI renders")
    func noCommandLinesBelowTheCLI() throws {
        let root = Golden.repositoryRoot()
        var offenders: [String] = []
        for module in ["Sources/VendEngine", "Sources/AWSCore"] {
            let folder = root.appendingPathComponent(module)
            let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
            for file in files where file.pathExtension == "swift" {
                let text = try String(contentsOf: file, encoding: .utf8)
                for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
                where line.contains("`vend ") && !line.trimmingCharacters(in: .whitespaces).hasPrefix("///") && !line.trimmingCharacters(in: .whitespaces).hasPrefix("//") {
                    offenders.append("\(module)/\(file.lastPathComponent):\(number + 1)")
                }
            }
        }
        #expect(offenders.isEmpty, "command lines below the CLI: \(offenders)")
    }
}
