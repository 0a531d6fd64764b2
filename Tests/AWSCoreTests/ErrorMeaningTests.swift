import AWSCore
import Testing

/// AWS error codes are classified in one place; each service's spelling maps to one meaning.
@Suite("AWSServiceError.meaning")
struct ErrorMeaningTests {
    static func error(_ code: String, _ message: String = "", status: Int = 400) -> AWSServiceError {
        AWSServiceError(code: code, message: message, status: status, operation: "X Y")
    }

    @Test("each service's not-found code means not found; other codes do not")
    func notFound() {
        for code in ["ResourceNotFoundException", "EntityNotFoundException", "NoSuchEntity", "NoSuchKey", "NoSuchBucket", "NoSuchBucketPolicy", "InvalidDocument"] {
            #expect(Self.error(code).meaning == .notFound, "\(code)")
        }
        #expect(Self.error("NotFound", status: 404).meaning == .notFound)
        #expect(Self.error("ValidationError", "Stack with id vend-central-baseline does not exist").meaning == .notFound)
        #expect(Self.error("InvalidRequestException", "WorkGroup primary2 is not found.").meaning == .notFound)
        #expect(Self.error("ValidationException").meaning == .other)
        #expect(Self.error("InvalidRequestException", "bad query").meaning == .other)
    }

    @Test("already exists, state, concurrency, no updates, role propagation, access, credentials")
    func others() {
        #expect(Self.error("DuplicateResourceException").meaning == .alreadyExists)
        #expect(Self.error("EntityAlreadyExists").meaning == .alreadyExists)
        #expect(Self.error("AlreadyExistsException").meaning == .alreadyExists)
        #expect(Self.error("ConcurrentModificationException").meaning == .concurrentModification)
        #expect(Self.error("InvalidStateException").meaning == .invalidState)
        #expect(Self.error("ValidationError", "No updates are to be performed.").meaning == .noUpdates)
        #expect(Self.error("InvalidParametersException", "Unable to assume role arn:aws:iam::1:role/R").meaning == .roleNotAssumableYet)
        #expect(Self.error("InvalidParametersException", "bad parameter").meaning == .other)
        #expect(Self.error("AccessDeniedException").meaning == .accessDenied)
        #expect(Self.error("ExpiredToken").meaning == .expiredCredentials)
        #expect(Self.error("ThrottlingException").meaning == .throttled)
        #expect(Self.error("Anything", status: 429).meaning == .throttled)
        #expect(Self.error("InvalidAccessKeyId", status: 403).meaning == .unknownKey)
        #expect(Self.error("SignatureDoesNotMatch", status: 403).meaning == .badSignature)
    }

    @Test("S3's failed and conflicting conditional writes mean the precondition failed")
    func preconditionFailed() {
        #expect(Self.error("PreconditionFailed", status: 412).meaning == .preconditionFailed)
        #expect(Self.error("ConditionalRequestConflict", status: 409).meaning == .preconditionFailed)
        #expect(Self.error("BucketAlreadyExists", status: 409).meaning == .other)
    }

    @Test("isAWS tells an AWS error's meaning and is false for any other error")
    func isAWS() {
        struct Other: Error {}
        #expect(Self.error("NoSuchKey").isAWS(.notFound))
        #expect(!Other().isAWS(.notFound))
    }
}
