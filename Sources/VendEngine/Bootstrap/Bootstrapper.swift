import AWSCore
import AWSServices
import Foundation
import VendBundle
import VendModel

/// `vend bootstrap`: deploys the central baseline stack (artifact bucket, Lake Formation
/// settings, the mesh's LF tags) in one region, merging Lake Formation admins with what is
/// there, and changing nothing when nothing changed.
public struct Bootstrapper: Sendable {
    /// The stack's name in every region.
    public static let stackName = "vend-central-baseline"
    /// The tag carrying the template's SHA-256, so an unchanged template is recognised.
    static let templateTag = "vend:template-sha256"
    /// The baseline template's LF tag keys (it defines exactly these two).
    static let tagKeys = ["domain", "classification"]
    /// Lake Formation admins the template can hold.
    static let maxAdmins = 10
    /// New `domain` values one stack operation adds at most. Assumption (Lake Formation):
    /// CreateLFTag and UpdateLFTag take 1–50 values per call
    /// (https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_CreateLFTag.html), and
    /// whether CloudFormation splits more over several calls is not documented (docs/scale.md §2),
    /// so a bootstrap that adds more deploys in steps of at most this many.
    public static let newDomainValuesPerDeployment = 50

    /// CloudFormation in the central account and region.
    public var cloudFormation: any CloudFormationClient
    /// Lake Formation, to read the current admins.
    public var lakeFormation: any LakeFormationClient
    /// Sleeps between polls.
    public var clock: any AWSClock
    /// One line per stack event.
    public var progress: @Sendable (String) -> Void

    /// Creates a bootstrapper.
    public init(cloudFormation: any CloudFormationClient, lakeFormation: any LakeFormationClient, clock: any AWSClock,
                progress: @escaping @Sendable (String) -> Void) {
        self.cloudFormation = cloudFormation
        self.lakeFormation = lakeFormation
        self.clock = clock
        self.progress = progress
    }

    /// What bootstrap did in a region.
    public struct Result: Sendable, Codable, Equatable {
        /// The region.
        public var region: String
        /// `created`, `updated` or `unchanged`.
        public var action: String
        /// The final stack status.
        public var status: String
        /// The Lake Formation admins after the run.
        public var admins: [String]
        /// Stack outputs.
        public var outputs: [String: String]
    }

    /// The parameters the baseline stack gets. `domainValues` are the `domain` tag's values this
    /// deployment sets (default: vend.yaml's); `run` passes them with every live value kept (a
    /// value still carried by resources cannot be removed, and vend never removes one).
    public static func parameters(config: MeshConfig, region: String, admins: [String], domainValues staged: [String]? = nil) throws -> [CloudFormation.Parameter] {
        let keys = config.lakeFormationTags.map(\.key)
        guard Set(keys) == Set(tagKeys) else {
            throw BootstrapError.tagKeysMismatch(keys: keys, template: tagKeys)
        }
        guard admins.count <= maxAdmins else {
            throw BootstrapError.tooManyAdmins(admins: admins, max: maxAdmins)
        }
        return [
            .init(ParameterKey: "AdminRoleArns", ParameterValue: admins.joined(separator: ",")),
            .init(ParameterKey: "ArtifactBucketName", ParameterValue: config.artifacts.bucketName(accountId: config.central.accountId, region: region)),
            .init(ParameterKey: "DomainTagValues", ParameterValue: (staged ?? domainValues(config: config, live: [])).joined(separator: ",")),
            .init(ParameterKey: "ClassificationTagValues", ParameterValue: (config.tagValues("classification") ?? []).joined(separator: ",")),
        ]
    }

    /// vend.yaml's domain values, then the live ones it no longer names.
    static func domainValues(config: MeshConfig, live: [String]) -> [String] {
        var values = config.tagValues("domain") ?? []
        for value in live where !values.contains(value) { values.append(value) }
        return values
    }

    /// The `domain` values of each deployment: `wanted`, reached from `live` by at most
    /// `newDomainValuesPerDeployment` new values per step (one step when few are new).
    static func stages(wanted: [String], live: [String]) -> [[String]] {
        let present = Set(live)
        let new = wanted.filter { !present.contains($0) }
        guard new.count > newDomainValuesPerDeployment else { return [wanted] }
        var added: Set<String> = []
        return stride(from: 0, to: new.count, by: newDomainValuesPerDeployment).map { start in
            added.formUnion(new[start..<min(start + newDomainValuesPerDeployment, new.count)])
            return wanted.filter { present.contains($0) || added.contains($0) }
        }
    }

    /// The caller as an IAM principal Lake Formation accepts: an assumed-role session becomes its role.
    public static func principal(fromCallerArn arn: String) -> String {
        // arn:aws:sts::111122223333:assumed-role/Name/session → arn:aws:iam::111122223333:role/Name
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[2] == "sts", parts[5].hasPrefix("assumed-role/") else { return arn }
        let role = parts[5].split(separator: "/")[1]
        return "arn:\(parts[1]):iam::\(parts[4]):role/\(role)"
    }

    /// Deploys or updates the baseline; waits, reporting stack events.
    public func run(template: Data, config: MeshConfig, region: String, callerArn: String, centralLaunchRoles: [String]) async throws -> Result {
        // PutDataLakeSettings replaces the admin list: read, merge, write — never drop an existing admin.
        let current = try await lakeFormation.getDataLakeSettings(.init()).DataLakeSettings?.DataLakeAdmins?.compactMap(\.DataLakePrincipalIdentifier) ?? []
        let ours = [Self.principal(fromCallerArn: callerArn)] + centralLaunchRoles.map { "arn:aws:iam::\(config.central.accountId):role/\($0)" }
        let admins = Array(Set(current + ours)).sorted()
        let liveValues: [String]
        do {
            liveValues = try await lakeFormation.allLFTags().first { $0.TagKey == "domain" }?.TagValues ?? []
        } catch let error as AWSServiceError where error.meaning == .notFound {
            liveValues = []
        }
        let stages = Self.stages(wanted: Self.domainValues(config: config, live: liveValues), live: liveValues)
        var results: [Result] = []
        for (index, values) in stages.enumerated() {
            if stages.count > 1 {
                progress("\(Self.stackName): step \(index + 1) of \(stages.count): \(values.count) domain tag values (Lake Formation adds at most \(Self.newDomainValuesPerDeployment) per call)")
            }
            let parameters = try Self.parameters(config: config, region: region, admins: admins, domainValues: values)
            results.append(try await deploy(template: template, parameters: parameters, config: config, region: region, admins: admins))
        }
        guard var result = results.last else { throw BootstrapError.stackDisappeared(stack: Self.stackName) }
        result.action = results.first { $0.action != "unchanged" }?.action ?? "unchanged"
        return result
    }

    /// One stack operation (or none when nothing changed) with `parameters`.
    func deploy(template: Data, parameters: [CloudFormation.Parameter], config: MeshConfig, region: String, admins: [String]) async throws -> Result {
        let templateHash = SHA256Hasher.hex(template)
        guard let body = String(data: template, encoding: .utf8) else { throw BootstrapError.templateNotUTF8(path: Workspace.baselineTemplate) }
        let input = CloudFormation.StackInput(StackName: Self.stackName, TemplateBody: body, Parameters: parameters,
                                              Tags: [.init(Key: Self.templateTag, Value: templateHash), .init(Key: "vend:managed", Value: "true")],
                                              ClientRequestToken: IdempotencyToken.make("bootstrap", config.central.accountId, region, templateHash,
                                                                                        parameters.map { $0.ParameterValue ?? "" }.joined(separator: "|")))
        var existing = try await cloudFormation.describeStack(name: Self.stackName)
        if existing?.StackStatus == "ROLLBACK_COMPLETE" {
            // A first create that rolled back leaves a stack that can only be deleted.
            progress("\(Self.stackName): ROLLBACK_COMPLETE from an earlier failed create — deleting it before creating again")
            try await cloudFormation.deleteStack(name: Self.stackName, clientRequestToken: nil)
            _ = try await wait(until: ["DELETE_COMPLETE"], since: Date.distantPast, allowMissing: true)
            existing = nil
        }
        if let stack = existing, stack.StackStatus.hasSuffix("_IN_PROGRESS") {
            throw BootstrapError.stackBusy(stack: Self.stackName, status: stack.StackStatus)
        }
        let action: String
        let started = clock.now()
        if let stack = existing {
            let sameTemplate = stack.Tags.contains { $0.Key == Self.templateTag && $0.Value == templateHash }
            let sameParameters = Set(stack.Parameters.map { "\($0.ParameterKey)=\($0.ParameterValue ?? "")" }) == Set(parameters.map { "\($0.ParameterKey)=\($0.ParameterValue ?? "")" })
            if sameTemplate && sameParameters {
                progress("\(Self.stackName): up to date (\(stack.StackStatus))")
                return Result(region: region, action: "unchanged", status: stack.StackStatus, admins: admins, outputs: outputs(stack))
            }
            progress("\(Self.stackName): updating")
            do {
                _ = try await cloudFormation.updateStack(input)
            } catch let error as AWSServiceError where error.meaning == .noUpdates {
                return Result(region: region, action: "unchanged", status: stack.StackStatus, admins: admins, outputs: outputs(stack))
            }
            action = "updated"
        } else {
            progress("\(Self.stackName): creating")
            _ = try await cloudFormation.createStack(input)
            action = "created"
        }
        let final = try await wait(until: ["CREATE_COMPLETE", "UPDATE_COMPLETE"], since: started, allowMissing: false)
        return Result(region: region, action: action, status: final?.StackStatus ?? "", admins: admins, outputs: final.map(outputs) ?? [:])
    }

    private func outputs(_ stack: CloudFormation.Stack) -> [String: String] {
        Dictionary(stack.Outputs.compactMap { output in output.OutputKey.map { ($0, output.OutputValue ?? "") } }, uniquingKeysWith: { first, _ in first })
    }

    /// Polls until the stack reaches a terminal status, printing each new event; throws on failure.
    private func wait(until success: Set<String>, since: Date, allowMissing: Bool) async throws -> CloudFormation.Stack? {
        var seen: Set<String> = []
        var delay = 0.5
        for _ in 0..<720 {
            let stack = try await cloudFormation.describeStack(name: Self.stackName)
            let events = (try? await cloudFormation.stackEvents(name: Self.stackName)) ?? []
            for event in events.reversed() where !seen.contains(event.EventId ?? "") && (event.Timestamp ?? .distantFuture) >= since.addingTimeInterval(-1) {
                seen.insert(event.EventId ?? "")
                let reason = event.ResourceStatusReason.map { " — \($0)" } ?? ""
                progress("\(Self.stackName): \(event.LogicalResourceId ?? "?") \(event.ResourceType ?? "") \(event.ResourceStatus ?? "")\(reason)")
            }
            guard let stack else {
                if allowMissing { return nil }
                throw BootstrapError.stackDisappeared(stack: Self.stackName)
            }
            if success.contains(stack.StackStatus) { return stack }
            if !stack.StackStatus.hasSuffix("_IN_PROGRESS") {
                let failures = events.filter { ($0.ResourceStatus ?? "").hasSuffix("_FAILED") }.compactMap { event in
                    event.ResourceStatusReason.map { "\(event.LogicalResourceId ?? "?"): \($0)" }
                }
                throw BootstrapError.stackFailed(stack: Self.stackName, status: stack.StackStatus, reason: stack.StackStatusReason, failures: failures)
            }
            try await clock.sleep(seconds: delay)
            delay = min(delay * 1.5, 5)
        }
        throw BootstrapError.stackTimedOut(stack: Self.stackName)
    }
}
