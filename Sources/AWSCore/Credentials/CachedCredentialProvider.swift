import Foundation

/// Caches another provider's credentials until shortly before they expire, with at most
/// one refresh in flight: concurrent callers wait for the same fetch.
public actor CachedCredentialProvider: CredentialProvider {
    private let base: any CredentialProvider
    private let clock: any AWSClock
    private let refreshMargin: TimeInterval
    private var cached: AWSCredentials?
    private var inFlight: Task<AWSCredentials, any Error>?

    /// Wraps `base`; credentials are refreshed `refreshMargin` seconds before they expire
    /// (botocore refreshes 15 minutes ahead, and insists at 10).
    public init(_ base: any CredentialProvider, clock: any AWSClock, refreshMargin: TimeInterval = 15 * 60) {
        self.base = base
        self.clock = clock
        self.refreshMargin = refreshMargin
    }

    /// Cached credentials while fresh, otherwise one shared refresh.
    public func credentials() async throws -> AWSCredentials {
        if let cached, isFresh(cached) { return cached }
        if let inFlight { return try await inFlight.value }
        let base = self.base
        let task = Task { try await base.credentials() }
        inFlight = task
        defer { inFlight = nil }
        let fresh = try await task.value
        cached = fresh
        return fresh
    }

    /// Forgets the cached credentials (after an expired-token error).
    public func invalidate() { cached = nil }

    private func isFresh(_ credentials: AWSCredentials) -> Bool {
        guard let expiration = credentials.expiration else { return true }
        return expiration.timeIntervalSince(clock.now()) > refreshMargin
    }
}
