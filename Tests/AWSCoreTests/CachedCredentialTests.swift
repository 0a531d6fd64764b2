@testable import AWSCore
import AWSSigV4
import Foundation
import Testing
import VendTestSupport

/// The expiring cache: refresh ahead of expiry, one refresh in flight.
@Suite struct CachedCredentialTests {
    final class CountingProvider: CredentialProvider, @unchecked Sendable {
        let lock = NSLock()
        var calls = 0
        let clock: ManualClock
        init(clock: ManualClock) { self.clock = clock }
        func credentials() async throws -> AWSCredentials {
            let count = lock.withLock { calls += 1; return calls }
            try await Task.sleep(nanoseconds: 20_000_000)
            return AWSCredentials(signing: SigningCredentials(accessKeyId: "K\(count)", secretAccessKey: "S"),
                                  expiration: clock.now().addingTimeInterval(3600), source: "test")
        }
    }

    @Test func concurrentCallersShareOneRefresh() async throws {
        let clock = ManualClock()
        let base = CountingProvider(clock: clock)
        let cache = CachedCredentialProvider(base, clock: clock)
        try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<10 { group.addTask { try await cache.credentials().signing.accessKeyId } }
            for try await id in group { #expect(id == "K1") }
        }
        #expect(base.calls == 1)
    }

    @Test func refreshesFifteenMinutesBeforeExpiry() async throws {
        let clock = ManualClock()
        let base = CountingProvider(clock: clock)
        let cache = CachedCredentialProvider(base, clock: clock)
        #expect(try await cache.credentials().signing.accessKeyId == "K1")
        clock.advance(44 * 60)
        #expect(try await cache.credentials().signing.accessKeyId == "K1")
        clock.advance(2 * 60)
        #expect(try await cache.credentials().signing.accessKeyId == "K2")
    }
}

/// An expired-token answer refreshes cached credentials once and resends.
@Suite struct ExpiredCredentialTests {
    @Test func expiredTokenRefreshesOnceAndResends() async throws {
        let clock = ManualClock()
        let cache = CachedCredentialProvider(CachedCredentialTests.CountingProvider(clock: clock), clock: clock)
        let http = StubHTTPClient { _, index in
            index == 0 ? AWSStubResponses.jsonError("ExpiredTokenException", "expired") : AWSStubResponses.json("{}")
        }
        let client = AWSClient(http: http, credentials: cache, clock: clock, jitter: { 0 })
        let service = AWSServiceClient(client: client, service: .serviceCatalog, endpoint: EndpointResolver.standard(.serviceCatalog, region: "us-east-1"))
        let _: EmptyShape = try await service.json("ListPortfolios", EmptyShape(), idempotent: false)
        #expect(http.requests.count == 2)
        #expect(http.requests[1].headers.first { $0.name == "authorization" }?.value.contains("Credential=K2/") == true)
    }
}
