/// At most `limit` requests of one client on the wire at once; the rest wait their turn,
/// first come, first served.
///
/// This is the bound botocore puts on a client (`max_pool_connections`, 10), moved to the
/// request: a caller that is waiting — a backoff, a version still CREATING — holds no slot,
/// so any number of tasks may use one client and the wire stays as busy as the bound allows.
/// A waiter that is cancelled leaves the queue with `CancellationError`.
public actor RequestSlots {
    /// Slots in all.
    public nonisolated let limit: Int
    /// Slots taken now.
    public private(set) var inUse = 0
    /// The most slots ever taken at once (for tests and `--verbose`).
    public private(set) var peak = 0
    /// Callers waiting for a slot now.
    public var waiting: Int { waiters.count }
    private var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    private var nextId: UInt64 = 0

    /// Creates `limit` slots (at least one).
    public init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Takes a slot, waiting behind earlier callers while all are taken.
    public func acquire() async throws {
        try Task.checkCancellation()
        if inUse < limit, waiters.isEmpty {
            take()
            return
        }
        let id = nextId
        nextId += 1
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                waiters.append((id, continuation))
            }
        } onCancel: {
            Task { await self.cancel(id) }
        }
    }

    /// Gives a slot back: the longest waiter gets it.
    public func release() {
        if waiters.isEmpty {
            inUse = max(0, inUse - 1)
        } else {
            // The slot passes straight to the waiter: inUse stays as it is.
            waiters.removeFirst().continuation.resume()
        }
    }

    private func take() {
        inUse += 1
        peak = max(peak, inUse)
    }

    private func cancel(_ id: UInt64) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: CancellationError())
    }
}
