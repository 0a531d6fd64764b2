import AWSSigV4
import Foundation
import Logging

/// Signs, sends and retries AWS requests. One client per profile: its retry quota and
/// adaptive rate limiter are shared by every service it calls.
public final class AWSClient: Sendable {
    /// The network.
    public let http: any HTTPClient
    /// Where credentials come from (cached).
    public let credentials: any CredentialProvider
    /// Time for signing, backoff and rate limiting.
    public let clock: any AWSClock
    /// Retry mode and attempts.
    public let retry: RetryConfig
    /// The `User-Agent` header (not signed).
    public let userAgent: String
    /// Per-request timeout in seconds, plus one second per 100 kB of body (large S3 parts).
    public let timeout: TimeInterval
    /// The retry quota shared by every call of this client.
    let quota: RetryQuota
    /// The client-side rate limiter (adaptive mode only).
    let limiter: AdaptiveRateLimiter?
    /// Requests on the wire at once (each attempt holds one slot; backoffs hold none).
    public let slots: RequestSlots
    /// botocore's `max_pool_connections` default: requests one client has on the wire at once.
    public static let defaultMaxConcurrentRequests = 10
    /// The verbose log.
    let logger: Logger
    /// Full-jitter source in [0, 1).
    let jitter: @Sendable () -> Double

    /// Creates a client. `jitter` returns a number in [0, 1) for full-jitter backoff;
    /// `maxConcurrentRequests` bounds the requests it has on the wire at once.
    public init(http: any HTTPClient, credentials: any CredentialProvider, clock: any AWSClock = SystemClock(),
                retry: RetryConfig = RetryConfig(), logger: Logger = Logger(label: "vend.aws"), userAgent: String = "vend",
                timeout: TimeInterval = 60, maxConcurrentRequests: Int = AWSClient.defaultMaxConcurrentRequests,
                jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.http = http
        self.credentials = credentials
        self.clock = clock
        self.retry = retry
        self.logger = logger
        self.userAgent = userAgent
        self.timeout = timeout
        self.jitter = jitter
        self.quota = RetryQuota()
        self.limiter = retry.mode == .adaptive ? AdaptiveRateLimiter(clock: clock) : nil
        self.slots = RequestSlots(limit: maxConcurrentRequests)
    }

    /// Codes meaning the signing credentials have expired.
    public static let expiredCredentialCodes: Set<String> = ["ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired"]

    /// The backoff before retry number `attempt` (1 for the first retry): full jitter
    /// over `2^(attempt-1)` seconds, capped.
    public func backoff(attempt: Int) -> Double {
        min(jitter() * pow(2, Double(attempt - 1)), retry.maxBackoff)
    }

    /// Sends a request to a service endpoint; returns the 2xx response or throws
    /// `AWSServiceError` / `HTTPTransportError` once retries are spent.
    public func send(_ request: AWSRequest, service: AWSServiceInfo, endpoint: ResolvedEndpoint) async throws -> HTTPResponse {
        let label = "\(service.sdkId) \(request.operation)"
        var attempt = 1
        var spent: Int?
        var refreshedCredentials = false
        while true {
            if let limiter { try await limiter.acquire() }
            let failure: any Error
            let kind: RetryKind
            var timedOut = false
            do {
                let wire = try await prepare(request, service: service, endpoint: endpoint)
                logger.debug("aws: → \(label) \(request.method) \(wire.url) (attempt \(attempt)/\(retry.maxAttempts))")
                try await slots.acquire()
                let response: HTTPResponse
                do {
                    response = try await http.execute(wire)
                } catch {
                    await slots.release()
                    throw error
                }
                await slots.release()
                if (200..<300).contains(response.status) {
                    logger.debug("aws: ← \(label) HTTP \(response.status)")
                    await limiter?.record(throttled: false)
                    await quota.release(spent)
                    return response
                }
                let error = ErrorDecoding.decode(response, protocol: service.wireProtocol, operation: label)
                logger.debug("aws: ← \(label) HTTP \(response.status) \(error.code)")
                await limiter?.record(throttled: error.retryKind == .throttling)
                // Cached temporary credentials can expire early (clock skew, revoked session):
                // fetch fresh ones once and resend, as the SDKs do.
                if Self.expiredCredentialCodes.contains(error.code), !refreshedCredentials, let cache = credentials as? CachedCredentialProvider {
                    logger.debug("aws: \(label) answered \(error.code): refreshing credentials and resending")
                    await cache.invalidate()
                    refreshedCredentials = true
                    continue
                }
                failure = error
                kind = error.retryKind
            } catch let HTTPTransportError.responseTooLarge(url, limit) {
                // Not retried: the same endpoint would stream the same flood again.
                logger.debug("aws: ← \(label) answer over \(limit) bytes: stopped reading")
                throw AWSServiceError(code: "ResponseTooLarge", message: "the answer from \(url) passed \(limit / (1 << 20)) MiB, far more than any answer to this call; reading stopped",
                                      status: 0, operation: label, retryKind: .client)
            } catch let error as HTTPTransportError {
                logger.debug("aws: ← \(label) no response: \(error)")
                failure = error
                kind = .transient
                if case .timedOut = error { timedOut = true }  // timeouts cost the quota double
            }
            guard kind == .transient || kind == .throttling else { throw failure }
            // Assumption (AWS): a throttling error means the request was refused before it was
            // carried out, so resending it cannot do anything twice — the SDKs resend every call
            // on throttling. A 5xx or a lost connection may follow a change that was made, so
            // only calls that are safe to repeat (reads, or creates with a token) are resent then.
            guard request.idempotent || kind == .throttling else {
                logger.debug("aws: not retrying \(label): it is not idempotent and carries no idempotency token")
                throw failure
            }
            guard attempt < retry.maxAttempts else {
                logger.debug("aws: giving up on \(label) after \(attempt) attempts")
                throw failure
            }
            guard let cost = await quota.acquire(timeout: timedOut) else {
                logger.debug("aws: retry quota exhausted: not retrying \(label)")
                throw failure
            }
            spent = cost
            let delay = backoff(attempt: attempt)
            logger.debug("aws: retrying \(label) in \(String(format: "%.3f", delay)) s (\(kind.rawValue))")
            try await clock.sleep(seconds: delay)
            attempt += 1
        }
    }

    /// Signs a request for the wire.
    func prepare(_ request: AWSRequest, service: AWSServiceInfo, endpoint: ResolvedEndpoint) async throws -> HTTPRequest {
        let host = request.hostPrefix + endpoint.hostHeader
        let basePath = endpoint.basePath.removingPercentEncoding ?? endpoint.basePath
        let signingRequest = SigningRequest(
            method: request.method, host: host, path: basePath + request.path, query: request.query,
            headers: request.headers, payload: .data(request.body),
            pathStyle: service.signingName == "s3" ? .s3 : .standard)
        var headers: [(name: String, value: String)]
        var pathAndQuery: String
        if request.signed {
            let keys = try await credentials.credentials()
            let signer = SigV4Signer(credentials: keys.signing, region: endpoint.signingRegion, service: service.signingName)
            let signed = signer.sign(signingRequest, date: clock.now())
            headers = signed.headers.filter { $0.name != "host" }
            pathAndQuery = signed.pathAndQuery
        } else {
            headers = request.headers
            let query = SigV4Signer.canonicalQuery(request.query)
            pathAndQuery = URIEncoding.encode(signingRequest.path, keepSlash: true) + (query.isEmpty ? "" : "?" + query)
        }
        headers.append((name: "User-Agent", value: userAgent))
        return HTTPRequest(method: request.method, url: "\(endpoint.scheme)://\(host)\(pathAndQuery)",
                           headers: headers, body: request.body, timeout: timeout + Double(request.body.count) / 100_000)
    }
}
