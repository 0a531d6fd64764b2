import AWSCore
import AWSServices
import Foundation

/// Provisioning: ProvisionProduct, UpdateProvisionedProduct, TerminateProvisionedProduct and
/// ExecuteProvisionedProductServiceAction make records IN_PROGRESS (the product UNDER_CHANGE)
/// that end after a DescribeRecord or two — SUCCEEDED (AVAILABLE, outputs from the test's
/// closure, a CloudFormation stack `SC-<account>-<pp id>` in the launching account) or, when
/// injected, FAILED (ERROR after a first launch, TAINTED after an update).
extension FakeServiceCatalog {
    func recordDetail(_ record: FakeCatalog.Record) -> ServiceCatalog.RecordDetail {
        .init(RecordId: record.id, ProvisionedProductName: record.provisionedProductName, Status: record.status, CreatedTime: record.created,
              UpdatedTime: record.updated, ProvisionedProductType: "CFN_STACK", RecordType: record.type, ProvisionedProductId: record.provisionedProductId,
              ProductId: record.productId, ProvisioningArtifactId: record.artifactId, PathId: record.pathId, RecordErrors: record.errors)
    }

    /// Takes a failure injected for `product`, if any.
    func takeLaunchFailure(_ product: String, state: inout FakeState) -> String? {
        guard let failing = state.catalogBehaviour.failingLaunches[product], failing.remaining > 0 else { return nil }
        state.catalogBehaviour.failingLaunches[product]?.remaining -= 1
        return failing.message
    }

    /// A new record of `type` for `product`, IN_PROGRESS; the product goes UNDER_CHANGE.
    func startRecord(_ type: String, product: inout FakeCatalog.Provisioned, artifact: (id: String, name: String), parameters: [String: String],
                     failure: String?, catalog: inout FakeCatalog, state: inout FakeState) -> FakeCatalog.Record {
        let now = state.now()
        let record = FakeCatalog.Record(id: state.id("rec"), type: type, status: "IN_PROGRESS", provisionedProductId: product.id,
                                        provisionedProductName: product.name, productId: product.productId, artifactId: artifact.id,
                                        artifactName: artifact.name, pathId: product.pathId, created: now, updated: now, pollsLeft: state.polls,
                                        failure: failure, parameters: parameters)
        catalog.records[record.id] = record
        product.status = "UNDER_CHANGE"
        product.lastRecordId = record.id
        if type != "EXECUTE_PROVISIONED_PRODUCT_SERVICE_ACTION" { product.lastProvisioningRecordId = record.id }
        catalog.provisioned[product.id] = product
        return record
    }

    /// ProvisionProduct: needs the caller's launch path, an active AVAILABLE version that is not
    /// deprecated, a free name, and the LAUNCH constraint's local role in this account. Same token, same record.
    public func provisionProduct(_ input: ServiceCatalog.ProvisionProductInput) async throws -> ServiceCatalog.ProvisionProductOutput {
        try call("ProvisionProduct") { catalog, state in
            let key = "ProvisionProduct/\(input.ProvisionToken)"
            if let id = catalog.tokens[key], let record = catalog.records[id] { return .init(RecordDetail: recordDetail(record)) }
            guard let path = paths(state, where: { $0.id == input.ProductId }).first(where: { input.PathId == nil || $0.id == input.PathId }) else {
                throw FakeError.invalidParameters("No launch path \(input.PathId ?? "") for product \(input.ProductId ?? "") for \(context.caller)")
            }
            guard let artifact = path.product.artifacts.first(where: { $0.id == input.ProvisioningArtifactId }), artifact.active, artifact.status == "AVAILABLE" else {
                throw FakeError.invalidParameters("Provisioning artifact \(input.ProvisioningArtifactId ?? "") of \(path.product.id) is not available")
            }
            if artifact.guidance == "DEPRECATED" {
                throw FakeError.invalidParameters("Provisioning artifact \(artifact.id) is deprecated: new launches are not allowed")
            }
            if catalog.provisioned.values.contains(where: { $0.name == input.ProvisionedProductName && !$0.terminated }) {
                throw FakeError.duplicate("A provisioned product named \(input.ProvisionedProductName) already exists")
            }
            try requireLaunchRole(path, state: state)
            var product = FakeCatalog.Provisioned(
                id: state.id("pp"), name: input.ProvisionedProductName, productId: path.product.id, productName: path.product.name,
                artifactId: artifact.id, artifactName: artifact.name, pathId: path.id, status: "UNDER_CHANGE", created: state.now(),
                lastRecordId: "", lastProvisioningRecordId: "", parameters: [:])
            let parameters = Dictionary((input.ProvisioningParameters ?? []).compactMap { p in p.Key.map { ($0, p.Value ?? "") } }, uniquingKeysWith: { $1 })
            let record = startRecord("PROVISION_PRODUCT", product: &product, artifact: (artifact.id, artifact.name), parameters: parameters,
                                     failure: takeLaunchFailure(path.product.name, state: &state), catalog: &catalog, state: &state)
            catalog.tokens[key] = record.id
            return .init(RecordDetail: recordDetail(record))
        }
    }

    /// Throws unless the LAUNCH constraint's LocalRoleName exists in this account.
    func requireLaunchRole(_ path: Path, state: FakeState) throws {
        let owner = state[catalog: path.owner]
        guard let constraint = owner.constraints.values.first(where: { $0.type == "LAUNCH" && $0.portfolioId == path.portfolio.id && $0.productId == path.product.id }),
              let data = constraint.parameters.data(using: .utf8),
              let role = (try? JSONSerialization.jsonObject(with: data) as? [String: Any])?["LocalRoleName"] as? String else { return }
        if state.roles[scope.account]?[role] == nil {
            throw FakeError.invalidParameters("Service Catalog was unable to assume the role arn:aws:iam::\(scope.account):role/\(role) (LocalRoleName \(role))")
        }
    }

    /// The account's provisioned product by id or name (terminated ones are gone).
    func provisioned(id: String?, name: String?, in catalog: FakeCatalog) throws -> FakeCatalog.Provisioned {
        guard let found = catalog.provisioned.values.first(where: { !$0.terminated && ($0.id == id || (id == nil && $0.name == name)) }) else {
            throw FakeError.notFound("Provisioned product \(id ?? name ?? "") not found")
        }
        return found
    }

    /// UpdateProvisionedProduct: refused while UNDER_CHANGE or in ERROR; parameters with UsePreviousValue (or left out) keep their value.
    public func updateProvisionedProduct(_ input: ServiceCatalog.UpdateProvisionedProductInput) async throws -> ServiceCatalog.UpdateProvisionedProductOutput {
        try call("UpdateProvisionedProduct") { catalog, state in
            let key = "UpdateProvisionedProduct/\(input.UpdateToken)"
            if let id = catalog.tokens[key], let record = catalog.records[id] { return .init(RecordDetail: recordDetail(record)) }
            var product = try provisioned(id: input.ProvisionedProductId, name: input.ProvisionedProductName, in: catalog)
            guard !["UNDER_CHANGE", "PLAN_IN_PROGRESS", "ERROR"].contains(product.status) else {
                throw FakeError.invalidState("Provisioned product \(product.id) is \(product.status) and cannot be updated")
            }
            let productId = input.ProductId ?? product.productId
            guard let path = paths(state, where: { $0.id == productId }).first(where: { input.PathId == nil || $0.id == input.PathId }) else {
                throw FakeError.invalidParameters("No launch path \(input.PathId ?? "") for product \(productId) for \(context.caller)")
            }
            let artifactId = input.ProvisioningArtifactId ?? product.artifactId
            guard let artifact = path.product.artifacts.first(where: { $0.id == artifactId }), artifact.status == "AVAILABLE" else {
                throw FakeError.invalidParameters("Provisioning artifact \(artifactId) of \(productId) is not available")
            }
            try requireLaunchRole(path, state: state)
            var parameters = product.parameters
            for parameter in input.ProvisioningParameters ?? [] {
                guard let name = parameter.Key else { continue }
                if parameter.UsePreviousValue != true { parameters[name] = parameter.Value ?? "" }
            }
            let record = startRecord("UPDATE_PROVISIONED_PRODUCT", product: &product, artifact: (artifact.id, artifact.name), parameters: parameters,
                                     failure: takeLaunchFailure(path.product.name, state: &state), catalog: &catalog, state: &state)
            catalog.tokens[key] = record.id
            return .init(RecordDetail: recordDetail(record))
        }
    }

    /// TerminateProvisionedProduct: refused while UNDER_CHANGE; same token, same record.
    public func terminateProvisionedProduct(_ input: ServiceCatalog.TerminateProvisionedProductInput) async throws -> ServiceCatalog.TerminateProvisionedProductOutput {
        try call("TerminateProvisionedProduct") { catalog, state in
            let key = "TerminateProvisionedProduct/\(input.TerminateToken)"
            if let id = catalog.tokens[key], let record = catalog.records[id] { return .init(RecordDetail: recordDetail(record)) }
            var product = try provisioned(id: input.ProvisionedProductId, name: input.ProvisionedProductName, in: catalog)
            guard product.status != "UNDER_CHANGE" else { throw FakeError.invalidState("Provisioned product \(product.id) is UNDER_CHANGE") }
            var record = startRecord("TERMINATE_PROVISIONED_PRODUCT", product: &product, artifact: (product.artifactId, product.artifactName),
                                     parameters: product.parameters, failure: takeLaunchFailure(product.productName, state: &state),
                                     catalog: &catalog, state: &state)
            record.ignoreErrors = input.IgnoreErrors ?? false
            catalog.records[record.id] = record
            catalog.tokens[key] = record.id
            return .init(RecordDetail: recordDetail(record))
        }
    }

    /// Provisioned product plans are not modelled by the fakes (the local cloud has them, and the
    /// tests of `plan --resource-changes` run there): each call is refused as AWS refuses an
    /// unsupported request, so a test that reaches one fails loudly.
    func plansUnsupported(_ operation: String) -> AWSServiceError {
        FakeError.make("UnsupportedOperation", "\(operation) is not modelled by the fake cloud; test it against the local cloud", status: 400)
    }

    /// CreateProvisionedProductPlan: refused (see `plansUnsupported`).
    public func createProvisionedProductPlan(_ input: ServiceCatalog.CreateProvisionedProductPlanInput) async throws -> ServiceCatalog.CreateProvisionedProductPlanOutput {
        throw plansUnsupported("CreateProvisionedProductPlan")
    }

    /// DescribeProvisionedProductPlan: refused (see `plansUnsupported`).
    public func describeProvisionedProductPlan(_ input: ServiceCatalog.DescribeProvisionedProductPlanInput) async throws -> ServiceCatalog.DescribeProvisionedProductPlanOutput {
        throw plansUnsupported("DescribeProvisionedProductPlan")
    }

    /// DeleteProvisionedProductPlan: refused (see `plansUnsupported`).
    public func deleteProvisionedProductPlan(_ input: ServiceCatalog.DeleteProvisionedProductPlanInput) async throws -> ServiceCatalog.DeleteProvisionedProductPlanOutput {
        throw plansUnsupported("DeleteProvisionedProductPlan")
    }

    /// DescribeRecord: each describe of a record in progress brings it nearer its end.
    public func describeRecord(_ input: ServiceCatalog.DescribeRecordInput) async throws -> ServiceCatalog.DescribeRecordOutput {
        try call("DescribeRecord") { catalog, state in
            guard var record = catalog.records[input.Id] else { throw FakeError.notFound("Record \(input.Id) not found") }
            if record.status == "IN_PROGRESS" {
                record.pollsLeft -= 1
                if record.pollsLeft <= 0 { record = finish(record, catalog: &catalog, state: &state) }
                catalog.records[record.id] = record
            }
            let outputs = record.outputs.sorted { $0.key < $1.key }.map { ServiceCatalog.RecordOutput(OutputKey: $0.key, OutputValue: $0.value) }
            return .init(RecordDetail: recordDetail(record), RecordOutputs: outputs)
        }
    }

    /// Ends a record: the provisioned product, its outputs and its stack follow.
    func finish(_ started: FakeCatalog.Record, catalog: inout FakeCatalog, state: inout FakeState) -> FakeCatalog.Record {
        var record = started
        record.updated = state.now()
        guard var product = catalog.provisioned[record.provisionedProductId] else { return record }
        let stackName = "SC-\(scope.account)-\(product.id)"
        if let failure = record.failure {
            record.status = "FAILED"
            record.errors = [.init(Code: "ProvisioningFailed", Description: failure)]
            if record.type == "EXECUTE_PROVISIONED_PRODUCT_SERVICE_ACTION" {
                record.outputs["FailureMessage"] = failure
                product.status = "AVAILABLE"
            } else if record.type == "TERMINATE_PROVISIONED_PRODUCT" && record.ignoreErrors {
                product.terminated = true
                product.status = "TERMINATED"
                state.stacks[scope]?[stackName] = nil
            } else {
                product.status = record.type == "PROVISION_PRODUCT" ? "ERROR" : "TAINTED"
                product.message = failure
            }
        } else {
            record.status = "SUCCEEDED"
            product.status = "AVAILABLE"
            product.message = nil
            switch record.type {
            case "TERMINATE_PROVISIONED_PRODUCT":
                product.terminated = true
                product.status = "TERMINATED"
                state.stacks[scope]?[stackName] = nil
            case "PROVISION_PRODUCT", "UPDATE_PROVISIONED_PRODUCT":
                product.artifactId = record.artifactId
                product.artifactName = record.artifactName
                product.parameters = record.parameters
                let launch = FakeLaunch(account: scope.account, region: scope.region, name: product.name, id: product.id,
                                        product: product.productName, version: record.artifactName, parameters: record.parameters)
                product.outputs = state.catalogBehaviour.outputs[product.productName]?(launch) ?? [:]
                record.outputs = product.outputs
                product.lastSuccessfulRecordId = record.id
                state.stacks[scope, default: [:]][stackName] = FakeStack.complete(
                    name: stackName, account: scope.account, region: scope.region, parameters: record.parameters, outputs: product.outputs,
                    previous: state.stacks[scope]?[stackName], state: &state)
            default:
                product.status = "AVAILABLE"
            }
        }
        catalog.provisioned[product.id] = product
        return record
    }

    func attribute(_ product: FakeCatalog.Provisioned) -> ServiceCatalog.ProvisionedProductAttribute {
        let stack = "SC-\(scope.account)-\(product.id)"
        return .init(Name: product.name, Arn: "arn:aws:servicecatalog:\(scope.region):\(scope.account):stack/\(product.name)/\(product.id)", Type: "CFN_STACK",
                     Id: product.id, Status: product.status, StatusMessage: product.message, CreatedTime: product.created,
                     LastRecordId: product.lastRecordId, LastProvisioningRecordId: product.lastProvisioningRecordId,
                     LastSuccessfulProvisioningRecordId: product.lastSuccessfulRecordId,
                     PhysicalId: "arn:aws:cloudformation:\(scope.region):\(scope.account):stack/\(stack)/sc",
                     ProductId: product.productId, ProductName: product.productName, ProvisioningArtifactId: product.artifactId,
                     ProvisioningArtifactName: product.artifactName, UserArn: context.caller)
    }

    /// SearchProvisionedProducts: the account's products (a `name:` query matches names containing it), paged.
    public func searchProvisionedProducts(_ input: ServiceCatalog.SearchProvisionedProductsInput) async throws -> ServiceCatalog.SearchProvisionedProductsOutput {
        try call("SearchProvisionedProducts") { catalog, _ in
            let query = input.Filters?["SearchQuery"]?.first ?? ""
            let needle = query.hasPrefix("name:") ? String(query.dropFirst(5)) : query
            let found = catalog.provisioned.values.filter { !$0.terminated && (needle.isEmpty || $0.name.contains(needle)) }.sorted { $0.id < $1.id }
            let page = try page(found.map(attribute), input.PageToken, input.PageSize)
            return .init(ProvisionedProducts: page.items, TotalResultsCount: found.count, NextPageToken: page.next)
        }
    }

    /// DescribeProvisionedProduct: not found once terminated.
    public func describeProvisionedProduct(_ input: ServiceCatalog.DescribeProvisionedProductInput) async throws -> ServiceCatalog.DescribeProvisionedProductOutput {
        try call("DescribeProvisionedProduct") { catalog, _ in
            let product = try provisioned(id: input.Id, name: input.Name, in: catalog)
            return .init(ProvisionedProductDetail: .init(
                Name: product.name, Type: "CFN_STACK", Id: product.id, Status: product.status, StatusMessage: product.message, CreatedTime: product.created,
                LastRecordId: product.lastRecordId, LastProvisioningRecordId: product.lastProvisioningRecordId,
                LastSuccessfulProvisioningRecordId: product.lastSuccessfulRecordId, ProductId: product.productId, ProvisioningArtifactId: product.artifactId))
        }
    }

    /// GetProvisionedProductOutputs, paged.
    public func getProvisionedProductOutputs(_ input: ServiceCatalog.GetProvisionedProductOutputsInput) async throws -> ServiceCatalog.GetProvisionedProductOutputsOutput {
        try call("GetProvisionedProductOutputs") { catalog, _ in
            let product = try provisioned(id: input.ProvisionedProductId, name: input.ProvisionedProductName, in: catalog)
            let outputs = product.outputs.sorted { $0.key < $1.key }.map { ServiceCatalog.RecordOutput(OutputKey: $0.key, OutputValue: $0.value) }
            let page = try page(outputs, input.PageToken, input.PageSize)
            return .init(Outputs: page.items, NextPageToken: page.next)
        }
    }

    /// ListRecordHistory: the account's records, newest first, paged.
    public func listRecordHistory(_ input: ServiceCatalog.ListRecordHistoryInput) async throws -> ServiceCatalog.ListRecordHistoryOutput {
        try call("ListRecordHistory") { catalog, _ in
            let page = try page(catalog.records.values.sorted { $0.id > $1.id }.map(recordDetail), input.PageToken, input.PageSize)
            return .init(RecordDetails: page.items, NextPageToken: page.next)
        }
    }

    /// ExecuteProvisionedProductServiceAction: the action must be associated with the product's
    /// version; the test's closure for the action runs now (outside the cloud's lock, so it may
    /// change other services) and its outputs or failure show when the record ends. Same token, same record.
    public func executeProvisionedProductServiceAction(_ input: ServiceCatalog.ExecuteProvisionedProductServiceActionInput) async throws
        -> ServiceCatalog.ExecuteProvisionedProductServiceActionOutput {
        let key = "Execute/\(input.ExecuteToken)"
        enum Prepared { case answered(ServiceCatalog.RecordDetail), run(FakeExecution) }
        // Logged once; the change is made in two steps around the test's closure.
        let lost = try context.cloud.enter("ExecuteProvisionedProductServiceAction", context)
        let prepared: Prepared = try context.cloud.withState { state in
            let catalog = state[catalog: scope]
            defer { state[catalog: scope] = catalog }
            if let id = catalog.tokens[key], let record = catalog.records[id] { return .answered(recordDetail(record)) }
            let product = try provisioned(id: input.ProvisionedProductId, name: nil, in: catalog)
            guard product.status == "AVAILABLE" || product.status == "TAINTED" else {
                throw FakeError.invalidState("Provisioned product \(product.id) is \(product.status)")
            }
            let owner = state.usablePortfolios(scope).map { state[catalog: $0.owner] }.first { $0.products[product.productId] != nil }
            guard let owner, let index = owner.artifactIndex(product.productId, product.artifactId),
                  owner.products[product.productId]?.artifacts[index].actions.contains(input.ServiceActionId) == true, let action = owner.actions[input.ServiceActionId] else {
                throw FakeError.notFound("Service action \(input.ServiceActionId) is not associated with \(product.id)'s version \(product.artifactId)")
            }
            return .run(FakeExecution(account: scope.account, region: scope.region, provisionedProductId: product.id, outputs: product.outputs,
                                          action: action.name, definition: action.definition,
                                          parameters: (input.Parameters ?? [:]).compactMapValues(\.first)))
        }
        let execution: FakeExecution
        switch prepared {
        case let .answered(detail): return .init(RecordDetail: detail)
        case let .run(run): execution = run
        }
        let handler = context.cloud.withState { $0.catalogBehaviour.actions[execution.action] }
        var outputs: [String: String] = [:]
        var failure: String?
        do {
            outputs = try handler?(execution) ?? [:]
        } catch {
            failure = "\(error)"
        }
        let recorded: ServiceCatalog.ExecuteProvisionedProductServiceActionOutput = try context.cloud.withState { state in
            var catalog = state[catalog: scope]
            defer { state[catalog: scope] = catalog }
            var product = try provisioned(id: input.ProvisionedProductId, name: nil, in: catalog)
            var record = startRecord("EXECUTE_PROVISIONED_PRODUCT_SERVICE_ACTION", product: &product, artifact: (product.artifactId, product.artifactName),
                                     parameters: execution.parameters, failure: failure, catalog: &catalog, state: &state)
            record.outputs = outputs.merging(["AutomationExecutionId": state.id("exec")]) { first, _ in first }
            catalog.records[record.id] = record
            catalog.tokens[key] = record.id
            return .init(RecordDetail: recordDetail(record))
        }
        if let lost { throw lost }
        return recorded
    }
}
