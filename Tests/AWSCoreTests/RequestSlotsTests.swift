@testable import AWSCore
import AWSSigV4
import Foundation
import Testing
import VendTestSupport

/// The per-client bound on requests in flight: at most `limit` on the wire, waiters served
/// in order, a cancelled waiter leaving without a slot.
@Suite(.timeLimit(.minutes(1))) struct RequestSlotsTests {
    let keys = StaticCredentialProvider(AWSCredentials(signing: SigningCredentials(accessKeyId: "AKID", secretAccessKey: "S"), source: "test"))
    let endpoint = ResolvedEndpoint(scheme: "https", host: "servicecatalog.eu-west-1.amazonaws.com", signingRegion: "eu-west-1", source: "standard")

    /// Counts requests in flight; each one is held until `limit` are in flight together, so
    /// a client that lets fewer through would hang (and hit the time limit) and one that lets
    /// more through shows a higher peak.
    final class Gate: @unchecked Sendable {
        private let lock = NSLock()
        private var inFlight = 0
        private(set) var peak = 0
        private var open = false
        let limit: Int
        init(limit: Int) { self.limit = limit }

        func enter() {
            lock.withLock {
                inFlight += 1
                peak = max(peak, inFlight)
                if inFlight >= limit { open = true }
            }
        }
        func leave() { lock.withLock { inFlight -= 1 } }
        var isOpen: Bool { lock.withLock { open } }
    }

    @Test func aClientHasAtMostItsLimitOfRequestsOnTheWire() async throws {
        let gate = Gate(limit: 4)
        let http = StubHTTPClient { _, _ in
            gate.enter()
            defer { gate.leave() }
            while !gate.isOpen { try await Task.sleep(nanoseconds: 1_000_000) }
            // Stay on the wire a little, so later requests pile up behind the bound.
            try await Task.sleep(nanoseconds: 2_000_000)
            return AWSStubResponses.json("{}")
        }
        let aws = AWSClient(http: http, credentials: keys, clock: ManualClock(), maxConcurrentRequests: 4, jitter: { 0 })
        let client = AWSServiceClient(client: aws, service: .serviceCatalog, endpoint: endpoint)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<24 {
                group.addTask { let _: EmptyShape = try await client.json("ListPortfolios", EmptyShape(), idempotent: true) }
            }
            try await group.waitForAll()
        }
        #expect(http.requests.count == 24)
        #expect(gate.peak == 4)
        #expect(await aws.slots.peak == 4)
        #expect(await aws.slots.inUse == 0)
    }

    @Test func theDefaultIsBotocoresPoolSize() {
        let aws = AWSClient(http: StubHTTPClient(responses: []), credentials: keys)
        #expect(aws.slots.limit == 10)
    }

    @Test func aFailedRequestGivesItsSlotBack() async throws {
        let http = StubHTTPClient { _, _ in throw HTTPTransportError.connectionFailed(url: "https://servicecatalog.eu-west-1.amazonaws.com/", reason: "refused") }
        let aws = AWSClient(http: http, credentials: keys, clock: ManualClock(), retry: RetryConfig(maxAttempts: 3),
                            maxConcurrentRequests: 1, jitter: { 0 })
        let client = AWSServiceClient(client: aws, service: .serviceCatalog, endpoint: endpoint)
        for _ in 0..<2 {
            await #expect(throws: (any Error).self) {
                let _: EmptyShape = try await client.json("ListPortfolios", EmptyShape(), idempotent: true)
            }
        }
        // Six attempts through one slot: each failure released it.
        #expect(http.requests.count == 6)
        #expect(await aws.slots.inUse == 0)
    }

    /// Waits until `slots` has `count` waiters (each waiter enqueues on its own task).
    func waitForWaiters(_ slots: RequestSlots, _ count: Int) async throws {
        while await slots.waiting < count { try await Task.sleep(nanoseconds: 1_000_000) }
    }

    @Test func waitersAreServedFirstComeFirstServed() async throws {
        let slots = RequestSlots(limit: 1)
        try await slots.acquire()
        let order = Recorder()
        var tasks: [Task<Void, any Error>] = []
        for name in ["a", "b", "c"] {
            tasks.append(Task {
                try await slots.acquire()
                order.append(name)
                await slots.release()
            })
            try await waitForWaiters(slots, tasks.count)
        }
        await slots.release()
        for task in tasks { try await task.value }
        #expect(order.values == ["a", "b", "c"])
        #expect(await slots.inUse == 0)
        #expect(await slots.peak == 1)
    }

    @Test func aCancelledWaiterLeavesTheQueueWithoutASlot() async throws {
        let slots = RequestSlots(limit: 1)
        try await slots.acquire()
        let waiter = Task { try await slots.acquire() }
        try await waitForWaiters(slots, 1)
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(await slots.waiting == 0)
        #expect(await slots.inUse == 1)
        await slots.release()
        #expect(await slots.inUse == 0)
        // The slot is free again: a new caller gets it at once.
        try await slots.acquire()
        #expect(await slots.inUse == 1)
    }

    final class Recorder: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [String] = []
        func append(_ value: String) { lock.withLock { list.append(value) } }
        var values: [String] { lock.withLock { list } }
    }
}
