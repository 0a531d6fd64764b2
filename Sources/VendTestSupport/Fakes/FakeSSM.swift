import AWSCore
import AWSServices
import Foundation

/// SSM in one account and region: documents with numbered versions, a default version, a
/// SHA-256 `Hash` of the content and the accounts they are shared with; automation executions
/// (InProgress, then Success after a Get or two); parameters a test seeds.
public struct FakeSSM: SSMClient {
    /// Where the client acts.
    public let context: FakeContext

    /// A client of `context`.
    public init(_ context: FakeContext) { self.context = context }

    static func invalidDocument(_ name: String) -> AWSServiceError { FakeError.make("InvalidDocument", "Document \(name) does not exist in your account") }

    static func hash(_ content: String) -> String {
        (Data(base64Encoded: Checksums.sha256Base64(Data(content.utf8))) ?? Data()).map { String(format: "%02x", $0) }.joined()
    }

    func call<T>(_ operation: String, _ body: (inout FakeSSMState, inout FakeState) throws -> T) throws -> T {
        try context.call(operation) { state in
            var ssm = state.ssm[context.scope] ?? FakeSSMState()
            defer { state.ssm[context.scope] = ssm }
            return try body(&ssm, &state)
        }
    }

    func description(_ document: FakeSSMState.Document, version: Int? = nil) -> SSM.DocumentDescription {
        let shown = version ?? document.defaultVersion
        return SSM.DocumentDescription(Hash: Self.hash(document.versions[shown - 1]), HashType: "Sha256", Name: document.name, Owner: context.account,
                                       CreatedDate: document.created, Status: "Active", DocumentVersion: "\(shown)", DocumentType: document.type,
                                       LatestVersion: "\(document.versions.count)", DefaultVersion: "\(document.defaultVersion)",
                                       DocumentFormat: document.format, TargetType: document.targetType)
    }

    /// CreateDocument: DocumentAlreadyExists when the name is taken; Automation documents need a TargetType here (vend's rule).
    public func createDocument(_ input: SSM.CreateDocumentRequest) async throws -> SSM.CreateDocumentResult {
        try call("CreateDocument") { ssm, state in
            if ssm.documents[input.Name] != nil { throw FakeError.make("DocumentAlreadyExists", "Document with same name \(input.Name) already exists") }
            let document = FakeSSMState.Document(name: input.Name, versions: [input.Content], defaultVersion: 1, targetType: input.TargetType,
                                                 format: input.DocumentFormat ?? "JSON", type: input.DocumentType ?? "Command", sharedWith: [],
                                                 created: state.now())
            ssm.documents[input.Name] = document
            return .init(DocumentDescription: description(document))
        }
    }

    /// UpdateDocument: a new version; DuplicateDocumentContent when the content is the latest's.
    public func updateDocument(_ input: SSM.UpdateDocumentRequest) async throws -> SSM.UpdateDocumentResult {
        try call("UpdateDocument") { ssm, _ in
            guard var document = ssm.documents[input.Name] else { throw Self.invalidDocument(input.Name) }
            if document.versions.last == input.Content { throw FakeError.make("DuplicateDocumentContent", "The content of the association document matches another document.") }
            document.versions.append(input.Content)
            if let target = input.TargetType { document.targetType = target }
            ssm.documents[input.Name] = document
            return .init(DocumentDescription: description(document, version: document.versions.count))
        }
    }

    /// DescribeDocument: InvalidDocument when there is none.
    public func describeDocument(_ input: SSM.DescribeDocumentRequest) async throws -> SSM.DescribeDocumentResult {
        try call("DescribeDocument") { ssm, _ in
            guard let document = ssm.documents[input.Name] else { throw Self.invalidDocument(input.Name) }
            return .init(Document: description(document, version: input.DocumentVersion.flatMap { Int($0) }))
        }
    }

    /// ListDocuments: `Owner=Self` and a `Name` prefix filter, paged.
    public func listDocuments(_ input: SSM.ListDocumentsRequest) async throws -> SSM.ListDocumentsResult {
        try call("ListDocuments") { ssm, _ in
            let prefixes = input.Filters?.first { $0.Key == "Name" }?.Values ?? []
            let documents = ssm.documents.values.filter { document in prefixes.isEmpty || prefixes.contains { document.name.hasPrefix($0) } }
                .sorted { $0.name < $1.name }
                .map { SSM.DocumentIdentifier(Name: $0.name, CreatedDate: $0.created, Owner: context.account, DocumentVersion: "\($0.defaultVersion)",
                                              DocumentType: $0.type, DocumentFormat: $0.format, TargetType: $0.targetType) }
            let page = try context.cloud.page(documents, token: input.NextToken, size: input.MaxResults)
            return .init(DocumentIdentifiers: page.items, NextToken: page.next)
        }
    }

    /// UpdateDocumentDefaultVersion.
    public func updateDocumentDefaultVersion(_ input: SSM.UpdateDocumentDefaultVersionRequest) async throws -> SSM.UpdateDocumentDefaultVersionResult {
        try call("UpdateDocumentDefaultVersion") { ssm, _ in
            guard var document = ssm.documents[input.Name] else { throw Self.invalidDocument(input.Name) }
            guard let version = Int(input.DocumentVersion), version >= 1, version <= document.versions.count else {
                throw FakeError.make("InvalidDocumentVersion", "Version \(input.DocumentVersion) of \(input.Name) does not exist")
            }
            document.defaultVersion = version
            ssm.documents[input.Name] = document
            return .init(Description: .init(Name: input.Name, DefaultVersion: input.DocumentVersion))
        }
    }

    /// DeleteDocument.
    public func deleteDocument(_ input: SSM.DeleteDocumentRequest) async throws -> SSM.DeleteDocumentResult {
        try call("DeleteDocument") { ssm, _ in
            guard ssm.documents.removeValue(forKey: input.Name) != nil else { throw Self.invalidDocument(input.Name) }
            return .init()
        }
    }

    /// ModifyDocumentPermission (Share): accounts added and removed.
    public func modifyDocumentPermission(_ input: SSM.ModifyDocumentPermissionRequest) async throws -> SSM.ModifyDocumentPermissionResponse {
        try call("ModifyDocumentPermission") { ssm, _ in
            guard var document = ssm.documents[input.Name] else { throw Self.invalidDocument(input.Name) }
            guard input.PermissionType == "Share" else { throw FakeError.make("InvalidPermissionType", "PermissionType must be Share") }
            // As AWS: at most 20 account ids to add (or remove) per call.
            if (input.AccountIdsToAdd?.count ?? 0) > 20 || (input.AccountIdsToRemove?.count ?? 0) > 20 {
                throw FakeError.make("ValidationException", "Member must have length less than or equal to 20")
            }
            document.sharedWith.formUnion(input.AccountIdsToAdd ?? [])
            document.sharedWith.subtract(input.AccountIdsToRemove ?? [])
            ssm.documents[input.Name] = document
            return .init()
        }
    }

    /// DescribeDocumentPermission.
    public func describeDocumentPermission(_ input: SSM.DescribeDocumentPermissionRequest) async throws -> SSM.DescribeDocumentPermissionResponse {
        try call("DescribeDocumentPermission") { ssm, _ in
            guard let document = ssm.documents[input.Name] else { throw Self.invalidDocument(input.Name) }
            return .init(AccountIds: document.sharedWith.sorted())
        }
    }

    /// StartAutomationExecution: InProgress, with one step per run.
    public func startAutomationExecution(_ input: SSM.StartAutomationExecutionRequest) async throws -> SSM.StartAutomationExecutionResult {
        try call("StartAutomationExecution") { ssm, state in
            guard ssm.documents[input.DocumentName] != nil else { throw Self.invalidDocument(input.DocumentName) }
            let id = state.id("exec")
            let now = state.now()
            ssm.executions[id] = SSM.AutomationExecution(AutomationExecutionId: id, DocumentName: input.DocumentName, DocumentVersion: input.DocumentVersion,
                                                         ExecutionStartTime: now, AutomationExecutionStatus: "InProgress",
                                                         StepExecutions: [.init(StepName: "Run", ExecutionStartTime: now, StepStatus: "InProgress")],
                                                         Parameters: input.Parameters)
            return .init(AutomationExecutionId: id)
        }
    }

    /// GetAutomationExecution: InProgress moves to Success on the next Get.
    public func getAutomationExecution(_ input: SSM.GetAutomationExecutionRequest) async throws -> SSM.GetAutomationExecutionResult {
        try call("GetAutomationExecution") { ssm, state in
            guard var execution = ssm.executions[input.AutomationExecutionId] else {
                throw FakeError.make("AutomationExecutionNotFoundException", "Automation execution \(input.AutomationExecutionId) not found")
            }
            if execution.AutomationExecutionStatus == "InProgress" {
                execution.AutomationExecutionStatus = "Success"
                execution.ExecutionEndTime = state.now()
                execution.StepExecutions = execution.StepExecutions?.map { step in var done = step; done.StepStatus = "Success"; return done }
                ssm.executions[input.AutomationExecutionId] = execution
            }
            return .init(AutomationExecution: execution)
        }
    }

    /// DescribeAutomationExecutions: `DocumentNamePrefix` and `ExecutionStatus` filters, paged.
    public func describeAutomationExecutions(_ input: SSM.DescribeAutomationExecutionsRequest) async throws -> SSM.DescribeAutomationExecutionsResult {
        try call("DescribeAutomationExecutions") { ssm, _ in
            let prefixes = input.Filters?.first { $0.Key == "DocumentNamePrefix" }?.Values ?? []
            let statuses = input.Filters?.first { $0.Key == "ExecutionStatus" }?.Values ?? []
            let executions = ssm.executions.values.filter { execution in
                (prefixes.isEmpty || prefixes.contains { (execution.DocumentName ?? "").hasPrefix($0) })
                    && (statuses.isEmpty || statuses.contains(execution.AutomationExecutionStatus ?? ""))
            }.sorted { ($0.AutomationExecutionId ?? "") < ($1.AutomationExecutionId ?? "") }
                .map { SSM.AutomationExecutionMetadata(AutomationExecutionId: $0.AutomationExecutionId, DocumentName: $0.DocumentName,
                                                       AutomationExecutionStatus: $0.AutomationExecutionStatus, ExecutionStartTime: $0.ExecutionStartTime) }
            let page = try context.cloud.page(executions, token: input.NextToken, size: input.MaxResults)
            return .init(AutomationExecutionMetadataList: page.items, NextToken: page.next)
        }
    }

}
