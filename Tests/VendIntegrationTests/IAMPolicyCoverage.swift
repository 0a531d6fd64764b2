import Foundation
import Testing
import VendTestSupport

/// The README's IAM policies (docs/iam/) must allow every call vend makes: each integration test
/// that runs commands passes its request log here, so a new API call without a policy update fails.
enum IAMPolicyCoverage {
    /// The IAM action a logged operation needs, or nil when none is needed (GetCallerIdentity).
    static func action(service: String, operation: String) -> String? {
        switch (service, operation) {
        case ("sts", "GetCallerIdentity"): return nil
        case ("s3", "HeadBucket"), ("s3", "ListObjects"), ("s3", "ListObjectsV2"): return "s3:ListBucket"
        case ("s3", "HeadObject"): return "s3:GetObject"
        case ("s3", "GetBucketEncryption"): return "s3:GetEncryptionConfiguration"
        case ("s3", "PutBucketEncryption"): return "s3:PutEncryptionConfiguration"
        case ("s3", "GetPublicAccessBlock"): return "s3:GetBucketPublicAccessBlock"
        case ("s3", "PutPublicAccessBlock"): return "s3:PutBucketPublicAccessBlock"
        case ("s3", "CreateMultipartUpload"), ("s3", "UploadPart"), ("s3", "CompleteMultipartUpload"): return "s3:PutObject"
        default: return "\(service):\(operation)"
        }
    }

    /// The actions a policy document allows (exact names; the documents use no wildcards).
    static func allowed(_ file: String) throws -> Set<String> {
        let url = Golden.repositoryRoot().appendingPathComponent("docs/iam/\(file)")
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] ?? [:]
        let statements = document["Statement"] as? [[String: Any]] ?? []
        return Set(statements.filter { $0["Effect"] as? String == "Allow" }.flatMap { $0["Action"] as? [String] ?? [] })
    }

    /// Records an issue for every call vend made that the policy for its account does not allow.
    /// With `assumedRolePolicy`, calls signed with temporary keys (`ASIA…`, an assumed role's, as
    /// `doctor --probe` makes as the analyst or probe role) are checked against that document instead.
    static func check(_ requests: [LocalCloud.Request], central: String = "111111111111", assumedRolePolicy: String? = nil,
                      sourceLocation: SourceLocation = #_sourceLocation) throws {
        let centralPolicy = try allowed("central-policy.json"), spokePolicy = try allowed("spoke-policy.json")
        let sessionPolicy = try assumedRolePolicy.map(allowed)
        let vendCalls = requests.filter { $0.user_agent?.hasPrefix("vend") == true }
        #expect(!vendCalls.isEmpty, "no call from vend in the log", sourceLocation: sourceLocation)
        var missing = Set<String>()
        for request in vendCalls {
            guard let service = request.service, let operation = request.operation,
                  let action = action(service: service, operation: operation) else { continue }
            let isCentral = request.account == central
            if let sessionPolicy, request.access_key?.hasPrefix("ASIA") == true {
                if !sessionPolicy.contains(action) { missing.insert("\(assumedRolePolicy ?? ""): \(action)") }
            } else if !(isCentral ? centralPolicy : spokePolicy).contains(action) {
                missing.insert("\(isCentral ? "central" : "spoke"): \(action)")
            }
        }
        #expect(missing.isEmpty, "docs/iam lacks \(missing.sorted())", sourceLocation: sourceLocation)
    }
}
