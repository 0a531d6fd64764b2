import AWSCore
import AWSServices
import Foundation

/// CloudFormation in one account and region: stacks go *_IN_PROGRESS and reach *_COMPLETE (or,
/// when a test injects a failure, ROLLBACK_COMPLETE / UPDATE_ROLLBACK_COMPLETE) after a describe
/// or two, with an event per change; an update that changes nothing is refused with AWS's
/// ValidationError "No updates are to be performed."
public struct FakeCloudFormation: CloudFormationClient {
    /// Where the client acts.
    public let context: FakeContext

    /// A client of `context`.
    public init(_ context: FakeContext) { self.context = context }

    static func validation(_ message: String) -> AWSServiceError { FakeError.make("ValidationError", message) }

    /// The stack named (or with the id) `name`, not deleted.
    func find(_ name: String, in state: FakeState) -> FakeStack? {
        state.stacks[context.scope]?.values.first { $0.name == name || $0.id == name }
    }

    func addEvent(_ stack: inout FakeStack, resource: String, type: String = "AWS::CloudFormation::Stack", status: String, reason: String? = nil, state: inout FakeState) {
        stack.events.insert(FakeShapes.event(id: state.id("event"), stack: stack.name, resource: resource, type: type, status: status, reason: reason, at: state.now()),
                            at: 0)
    }

    /// CreateStack: CREATE_IN_PROGRESS; a live stack of the name is refused (AlreadyExistsException); same token, same stack.
    public func createStack(_ input: CloudFormation.StackInput) async throws -> String {
        try context.call("CreateStack") { state in
            if let existing = find(input.StackName, in: state) {
                if input.ClientRequestToken != nil && existing.token == input.ClientRequestToken { return existing.id }
                throw FakeError.make("AlreadyExistsException", "Stack [\(input.StackName)] already exists")
            }
            let now = state.now()
            var stack = FakeStack(id: "arn:aws:cloudformation:\(context.region):\(context.account):stack/\(input.StackName)/\(state.id("stack"))",
                                  name: input.StackName, status: "CREATE_IN_PROGRESS", template: input.TemplateBody ?? input.TemplateURL ?? "",
                                  parameters: input.Parameters, tags: input.Tags, outputs: [:], events: [], created: now, pollsLeft: state.polls,
                                  target: "CREATE_COMPLETE", token: input.ClientRequestToken)
            addEvent(&stack, resource: stack.name, status: "CREATE_IN_PROGRESS", reason: "User Initiated", state: &state)
            state.stacks[context.scope, default: [:]][stack.name] = stack
            baselineTags(stack, &state)
            return stack.id
        }
    }

    /// UpdateStack: "No updates are to be performed." when template, parameters and tags are the same; refused while in progress.
    public func updateStack(_ input: CloudFormation.StackInput) async throws -> String {
        try context.call("UpdateStack") { state in
            guard var stack = find(input.StackName, in: state) else { throw Self.validation("Stack [\(input.StackName)] does not exist") }
            if input.ClientRequestToken != nil && stack.token == input.ClientRequestToken { return stack.id }
            if stack.status.hasSuffix("_IN_PROGRESS") || stack.status == "ROLLBACK_COMPLETE" {
                throw Self.validation("Stack:\(stack.id) is in \(stack.status) state and can not be updated.")
            }
            let parameters = input.Parameters.map { parameter in
                parameter.UsePreviousValue == true ? stack.parameters.first { $0.ParameterKey == parameter.ParameterKey } ?? parameter : parameter
            }
            let template = input.TemplateBody ?? input.TemplateURL ?? stack.template
            if template == stack.template && parameters == stack.parameters && input.Tags == stack.tags {
                throw Self.validation("No updates are to be performed.")
            }
            stack.template = template
            stack.parameters = parameters
            stack.tags = input.Tags
            stack.status = "UPDATE_IN_PROGRESS"
            stack.target = "UPDATE_COMPLETE"
            stack.pollsLeft = state.polls
            stack.token = input.ClientRequestToken
            stack.updated = state.now()
            addEvent(&stack, resource: stack.name, status: "UPDATE_IN_PROGRESS", reason: "User Initiated", state: &state)
            state.stacks[context.scope, default: [:]][stack.name] = stack
            baselineTags(stack, &state)
            return stack.id
        }
    }

    /// The central baseline's two `AWS::LakeFormation::Tag` resources (baseline/central-baseline.yaml),
    /// as its stack leaves them: the `domain` and `classification` tags with the parameters' values.
    func baselineTags(_ stack: FakeStack, _ state: inout FakeState) {
        guard stack.name == "vend-central-baseline" else { return }
        func values(_ key: String) -> [String] {
            (stack.parameters.first { $0.ParameterKey == key }?.ParameterValue ?? "").split(separator: ",").map(String.init)
        }
        var lf = state.lakeFormation[context.scope] ?? FakeLakeFormationState()
        // The pessimistic reading of an undocumented case (docs/scale.md §2): the stack adds its new
        // values in one CreateLFTag/UpdateLFTag call, which takes at most 50, so more fail the stack.
        let current = Set(lf.tags.first { $0.TagKey == "domain" }?.TagValues ?? [])
        if values("DomainTagValues").filter({ !current.contains($0) }).count > 50 {
            state.stackBehaviour[stack.name, default: StackBehaviour()].failure =
                "Resource handler returned message: \"1 validation error detected: Value at 'tagValuesToAdd' failed to satisfy constraint: Member must have length less than or equal to 50\""
            return
        }
        lf.tags = [.init(TagKey: "domain", TagValues: values("DomainTagValues")), .init(TagKey: "classification", TagValues: values("ClassificationTagValues"))]
        state.lakeFormation[context.scope] = lf
    }

    /// DeleteStack: DELETE_IN_PROGRESS, then gone (DescribeStacks answers "does not exist").
    public func deleteStack(name: String, clientRequestToken: String?) async throws {
        try context.call("DeleteStack") { state in
            guard var stack = find(name, in: state) else { return }
            stack.status = "DELETE_IN_PROGRESS"
            stack.target = "DELETE_COMPLETE"
            stack.pollsLeft = state.polls
            addEvent(&stack, resource: stack.name, status: "DELETE_IN_PROGRESS", state: &state)
            state.stacks[context.scope, default: [:]][stack.name] = stack
        }
    }

    /// DescribeStacks of one stack (nil when it does not exist); each describe brings a stack in progress nearer its end.
    public func describeStack(name: String) async throws -> CloudFormation.Stack? {
        try context.call("DescribeStacks") { state in
            guard var stack = find(name, in: state) else { return nil }
            if stack.status.hasSuffix("_IN_PROGRESS") {
                stack.pollsLeft -= 1
                if stack.pollsLeft <= 0 { settle(&stack, state: &state) }
                if stack.status == "DELETE_COMPLETE" {
                    state.stacks[context.scope, default: [:]][stack.name] = nil
                    return nil
                }
                state.stacks[context.scope, default: [:]][stack.name] = stack
            }
            return FakeShapes.stack(stack)
        }
    }

    /// Ends a stack's change, as the test asked: outputs, or a failure and its rollback.
    func settle(_ stack: inout FakeStack, state: inout FakeState) {
        let behaviour = state.stackBehaviour[stack.name] ?? StackBehaviour()
        if let failure = behaviour.failure, stack.target != "DELETE_COMPLETE" {
            let creating = stack.target == "CREATE_COMPLETE"
            addEvent(&stack, resource: "Resource", type: "AWS::S3::Bucket", status: creating ? "CREATE_FAILED" : "UPDATE_FAILED", reason: failure, state: &state)
            stack.status = creating ? "ROLLBACK_COMPLETE" : "UPDATE_ROLLBACK_COMPLETE"
            stack.reason = "The following resource(s) failed: [Resource]"
            state.stackBehaviour[stack.name]?.failure = nil
        } else {
            stack.status = stack.target
            stack.reason = nil
            if stack.target != "DELETE_COMPLETE" { stack.outputs = behaviour.outputs }
        }
        addEvent(&stack, resource: stack.name, status: stack.status, state: &state)
    }

    /// DescribeStackEvents, newest first (as AWS answers).
    public func stackEvents(name: String) async throws -> [CloudFormation.StackEvent] {
        try context.call("DescribeStackEvents") { state in
            guard let stack = find(name, in: state) else { throw Self.validation("Stack [\(name)] does not exist") }
            return stack.events
        }
    }

    /// ValidateTemplate: not modelled.
    public func validateTemplate(body: String?, url: String?) async throws -> CloudFormation.TemplateValidation {
        throw FakeError.notModelled("ValidateTemplate")
    }
}

extension FakeStack {
    /// A stack Service Catalog made or updated for a provisioned product: complete, with its parameters and outputs.
    static func complete(name: String, account: String, region: String, parameters: [String: String], outputs: [String: String],
                         previous: FakeStack?, state: inout FakeState) -> FakeStack {
        let now = state.now()
        let status = previous == nil ? "CREATE_COMPLETE" : "UPDATE_COMPLETE"
        var stack = previous ?? FakeStack(id: "arn:aws:cloudformation:\(region):\(account):stack/\(name)/sc", name: name, status: status,
                                          template: "", parameters: [], tags: [], outputs: [:], events: [], created: now, pollsLeft: 0, target: status)
        stack.status = status
        stack.updated = previous == nil ? nil : now
        stack.parameters = parameters.sorted { $0.key < $1.key }.map { CloudFormation.Parameter(ParameterKey: $0.key, ParameterValue: $0.value) }
        stack.outputs = outputs
        stack.events.insert(FakeShapes.event(id: state.id("event"), stack: name, resource: name, type: "AWS::CloudFormation::Stack", status: status,
                                             reason: nil, at: now), at: 0)
        return stack
    }
}
