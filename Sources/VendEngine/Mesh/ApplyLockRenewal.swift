import Foundation

extension ApplyLock {
    /// Runs `body` holding the lock: takes it, renews it every third of the lease while `body`
    /// runs, and releases it at the end, also when `body` throws. If a renewal finds the lock lost,
    /// `body` is cancelled and `ApplyLockError.lost` is thrown once it has stopped.
    public func withLock<T: Sendable>(runId: String, holder: String, leaseSeconds: Double, command: String = "apply",
                                      _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let held = try await acquire(runId: runId, holder: holder, leaseSeconds: leaseSeconds, command: command)
        let value: T
        do {
            value = try await whileRenewing(held, body)
        } catch {
            // The body's (or the renewal's) error is the one to report; the lock is still released
            // when it is ours, and otherwise its lease runs out.
            _ = try? await release(held)
            throw error
        }
        try await release(held)
        return value
    }

    /// Runs `body` beside a task that renews `held`; the first to fail cancels the other.
    func whileRenewing<T: Sendable>(_ held: Held, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            // The body answers `.some`; the renewer only ends by throwing or, cancelled, with nil.
            group.addTask { try await body() }
            group.addTask {
                try await keepRenewing(held)
                return nil
            }
            defer { group.cancelAll() }
            while let finished = try await group.next() {
                if let value = finished { return value }
            }
            throw CancellationError()
        }
    }

    /// Renews every third of the lease until cancelled. A renewal that fails for another reason than
    /// a lost lock (the network, throttling) is tried again at the next tick while the lease lasts.
    func keepRenewing(_ held: Held) async throws {
        var current = held
        while !Task.isCancelled {
            try await clock.sleep(seconds: held.leaseSeconds / 3)
            if Task.isCancelled { return }
            do {
                current = try await renew(current)
            } catch where !(error is ApplyLockError) && !(error is CancellationError) && clock.now() < current.record.leaseUntil {
                continue
            }
        }
    }
}
