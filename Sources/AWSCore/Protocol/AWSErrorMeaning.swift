/// What an AWS error means to the code that called, whatever service spelled it: the one place
/// where error codes and messages are classified. Every "does it exist?", "is it already there?"
/// and "try again?" decision in vend reads `AWSServiceError.meaning`, never a code string.
public enum AWSErrorMeaning: String, Sendable, Equatable, CaseIterable {
    /// The resource does not exist (each service has its own code for it).
    case notFound
    /// The resource already exists (a create that lost its answer and was sent again, or a name in use).
    case alreadyExists
    /// Throttled: retried by the transport; reaching the engine means retries ran out.
    case throttled
    /// The caller lacks permission.
    case accessDenied
    /// Lake Formation's `ConcurrentModificationException`: another writer changed the same resource; retry.
    case concurrentModification
    /// Service Catalog's `InvalidStateException`: the resource is busy (UNDER_CHANGE, a share action running).
    case invalidState
    /// An S3 conditional write did not happen: 412 `PreconditionFailed` (the object exists, or its ETag
    /// differs) or 409 `ConditionalRequestConflict` (another conditional write to the key was in flight).
    /// Either way the caller reads the object again and decides
    /// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html).
    case preconditionFailed
    /// CloudFormation's "No updates are to be performed": the stack already matches.
    case noUpdates
    /// Service Catalog cannot assume the launch role yet (`InvalidParametersException` naming the
    /// role): a role created seconds ago is not yet usable everywhere (IAM is eventually consistent).
    case roleNotAssumableYet
    /// The credentials have expired.
    case expiredCredentials
    /// The access key is not known to the endpoint.
    case unknownKey
    /// The signature was refused (secret key or clock).
    case badSignature
    /// The endpoint answered in a way AWS does not.
    case invalidResponse
    /// Anything else.
    case other
}

extension AWSServiceError {
    /// Codes meaning "not found". AWS references: Service Catalog and Lake Formation
    /// `ResourceNotFoundException`, Glue `EntityNotFoundException`, IAM `NoSuchEntity`, S3 `NoSuchKey`,
    /// `NoSuchBucket`, `NoSuchBucketPolicy` and 404 `NotFound` (HEAD), SSM `InvalidDocument`.
    static let notFoundCodes: Set<String> = [
        "ResourceNotFoundException", "EntityNotFoundException", "NoSuchEntity", "NoSuchKey", "NoSuchBucket", "NoSuchBucketPolicy",
        "NotFound", "InvalidDocument", "ParameterNotFound", "AutomationExecutionNotFoundException",
    ]
    /// Codes meaning "already exists": Service Catalog `DuplicateResourceException`, IAM `EntityAlreadyExists`,
    /// CloudFormation `AlreadyExistsException`, Glue/Lake Formation `AlreadyExistsException`, SSM `DocumentAlreadyExists`.
    static let alreadyExistsCodes: Set<String> = [
        "DuplicateResourceException", "EntityAlreadyExists", "AlreadyExistsException", "DocumentAlreadyExists", "BucketAlreadyOwnedByYou",
    ]

    /// What this error means (see `AWSErrorMeaning`).
    public var meaning: AWSErrorMeaning {
        switch code {
        case _ where Self.notFoundCodes.contains(code): return .notFound
        case _ where Self.alreadyExistsCodes.contains(code): return .alreadyExists
        case "ConcurrentModificationException": return .concurrentModification
        case "InvalidParametersException" where message.lowercased().contains("assum"): return .roleNotAssumableYet
        case "InvalidStateException": return .invalidState
        case "PreconditionFailed", "ConditionalRequestConflict": return .preconditionFailed
        case "AccessDenied", "AccessDeniedException", "UnauthorizedOperation": return .accessDenied
        case "ExpiredToken", "ExpiredTokenException", "RequestExpired": return .expiredCredentials
        case "InvalidClientTokenId", "UnrecognizedClientException", "InvalidAccessKeyId": return .unknownKey
        case "SignatureDoesNotMatch", "InvalidSignatureException": return .badSignature
        case "InvalidResponse", "ResponseTooLarge": return .invalidResponse
        // CloudFormation answers an update that changes nothing with ValidationError "No updates are to be
        // performed." and a stack that does not exist with ValidationError "Stack with id X does not exist"
        // (AWS CloudFormation API Reference, UpdateStack / DescribeStacks).
        case "ValidationError" where message.contains("No updates are to be performed"): return .noUpdates
        case "ValidationError" where message.contains("does not exist"): return .notFound
        // Athena answers an unknown work group or query with InvalidRequestException "… not found"
        // (Amazon Athena API Reference, GetWorkGroup).
        case "InvalidRequestException" where message.contains("not found"): return .notFound
        default:
            if status == 404 { return .notFound }
            return retryKind == .throttling ? .throttled : .other
        }
    }
}

extension Error {
    /// Whether this is an AWS error with `meaning`.
    public func isAWS(_ meaning: AWSErrorMeaning) -> Bool { (self as? AWSServiceError)?.meaning == meaning }
}
