@testable import AWSCore
import AWSSigV4
import Foundation
import Testing
import VendTestSupport

/// Standard and adaptive retries, with a stub transport and a manual clock.
@Suite struct RetryTests {
    let keys = StaticCredentialProvider(AWSCredentials(signing: SigningCredentials(accessKeyId: "AKID", secretAccessKey: "S"), source: "test"))
    let endpoint = ResolvedEndpoint(scheme: "https", host: "servicecatalog.eu-west-1.amazonaws.com", signingRegion: "eu-west-1", source: "standard")

    func client(_ http: StubHTTPClient, clock: ManualClock, retry: RetryConfig = RetryConfig(), jitter: Double = 1.0) -> AWSServiceClient {
        AWSServiceClient(client: AWSClient(http: http, credentials: keys, clock: clock, retry: retry, jitter: { jitter }),
                         service: .serviceCatalog, endpoint: endpoint)
    }

    @Test func transientErrorsAreRetriedUpToMaxAttemptsWithExponentialBackoff() async throws {
        let http = StubHTTPClient(responses: [AWSStubResponses.jsonError("InternalFailure", status: 500)])
        let clock = ManualClock()
        await #expect(throws: AWSServiceError.self) {
            let _: EmptyShape = try await client(http, clock: clock, retry: RetryConfig(maxAttempts: 5)).json("ListPortfolios", EmptyShape(), idempotent: true)
        }
        #expect(http.requests.count == 5)
        #expect(clock.sleeps == [1, 2, 4, 8])
    }

    @Test func backoffIsCappedAt20Seconds() {
        let aws = AWSClient(http: StubHTTPClient(responses: []), credentials: keys, clock: ManualClock(), jitter: { 0.99 })
        #expect(aws.backoff(attempt: 1) < 1)
        #expect(aws.backoff(attempt: 10) == 20)
        let zero = AWSClient(http: StubHTTPClient(responses: []), credentials: keys, clock: ManualClock(), jitter: { 0 })
        #expect(zero.backoff(attempt: 3) == 0)
    }

    @Test func successAfterThrottlingReturnsTheAnswer() async throws {
        let http = StubHTTPClient(responses: [AWSStubResponses.jsonError("ThrottlingException", status: 400), AWSStubResponses.json("{}")])
        let clock = ManualClock()
        let _: EmptyShape = try await client(http, clock: clock, jitter: 0.5).json("ListPortfolios", EmptyShape(), idempotent: true)
        #expect(http.requests.count == 2)
        #expect(clock.sleeps == [0.5])
    }

    @Test func clientErrorsAndNonIdempotentCallsAreNotRetried() async throws {
        let validation = StubHTTPClient(responses: [AWSStubResponses.jsonError("ValidationException")])
        await #expect(throws: AWSServiceError.self) {
            let _: EmptyShape = try await client(validation, clock: ManualClock()).json("X", EmptyShape(), idempotent: true)
        }
        #expect(validation.requests.count == 1)
        let busy = StubHTTPClient(responses: [AWSStubResponses.jsonError("InternalFailure", status: 503)])
        await #expect(throws: AWSServiceError.self) {
            let _: EmptyShape = try await client(busy, clock: ManualClock()).json("CreateThing", EmptyShape(), idempotent: false)
        }
        #expect(busy.requests.count == 1)
    }

    @Test func throttledCallsAreResentEvenWithoutAToken() async throws {
        let throttled = StubHTTPClient(responses: [AWSStubResponses.jsonError("ThrottlingException", status: 400),
                                                   AWSStubResponses.jsonError("TooManyRequestsException", status: 429),
                                                   AWSStubResponses.json("{}")])
        let _: EmptyShape = try await client(throttled, clock: ManualClock()).json("CreateTagOption", EmptyShape(), idempotent: false)
        #expect(throttled.requests.count == 3)
        let dropped = StubHTTPClient { _, _ in throw HTTPTransportError.connectionFailed(url: "x", reason: "reset") }
        await #expect(throws: HTTPTransportError.self) {
            let _: EmptyShape = try await client(dropped, clock: ManualClock()).json("CreateTagOption", EmptyShape(), idempotent: false)
        }
        #expect(dropped.requests.count == 1, "a lost answer to a create without a token is not resent")
    }

    @Test func connectionErrorsAreRetriedAndReported() async throws {
        let http = StubHTTPClient { request, _ in throw HTTPTransportError.connectionFailed(url: request.url, reason: "reset") }
        let clock = ManualClock()
        await #expect(throws: HTTPTransportError.self) {
            let _: EmptyShape = try await client(http, clock: clock).json("X", EmptyShape(), idempotent: true)
        }
        #expect(http.requests.count == 3)
    }

    @Test func retryQuotaStopsRetriesToADeadEndpoint() async throws {
        let http = StubHTTPClient { request, _ in throw HTTPTransportError.timedOut(url: request.url) }
        let clock = ManualClock()
        let service = client(http, clock: clock, retry: RetryConfig(maxAttempts: 3), jitter: 0)
        for _ in 0..<30 {
            let _: EmptyShape? = try? await service.json("X", EmptyShape(), idempotent: true)
        }
        // 500 tokens at 10 per timeout retry: 50 retries, then every call fails at once.
        #expect(http.requests.count == 30 + 50)
        #expect(await service.client.quota.available < 10)
    }

    @Test func quotaIsRefilledBySuccess() async {
        let quota = RetryQuota(capacity: 10)
        #expect(await quota.acquire(timeout: false) == 5)
        #expect(await quota.acquire(timeout: true) == nil)
        await quota.release(5)
        #expect(await quota.available == 10)
    }

    @Test func adaptiveModeSlowsDownAfterThrottling() async throws {
        let clock = ManualClock()
        let throttled = StubHTTPClient { _, index in
            index < 6 ? AWSStubResponses.jsonError("ThrottlingException") : AWSStubResponses.json("{}")
        }
        let service = client(throttled, clock: clock, retry: RetryConfig(mode: .adaptive, maxAttempts: 10), jitter: 0)
        let _: EmptyShape = try await service.json("X", EmptyShape(), idempotent: true)
        #expect(throttled.requests.count == 7)
        // With zero backoff only the rate limiter can have made the client wait.
        #expect(clock.sleeps.contains { $0 > 0 })
        #expect(await service.client.limiter?.currentFillRate != nil)
    }

    @Test func retrySettingsFromEnvironmentAndProfile() throws {
        #expect(try RetryConfig.resolve(environment: ["AWS_MAX_ATTEMPTS": "7"], profile: INISection(values: ["max_attempts": "2"])).maxAttempts == 7)
        #expect(try RetryConfig.resolve(environment: [:], profile: INISection(values: ["max_attempts": "2", "retry_mode": "adaptive"])) == RetryConfig(mode: .adaptive, maxAttempts: 2))
        #expect(throws: EndpointError.self) { try RetryConfig.resolve(environment: ["AWS_MAX_ATTEMPTS": "zero"], profile: INISection()) }
        #expect(throws: EndpointError.self) { try RetryConfig.resolve(environment: ["AWS_RETRY_MODE": "fast"], profile: INISection()) }
    }
}
