import Foundation

/// A counting semaphore for tasks: `apply`'s bounds (overall, per account, central Lake
/// Formation writes). Waiters are resumed in arrival order.
public actor AsyncSemaphore {
    private var available: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// A semaphore with `count` permits (at least one).
    public init(_ count: Int) { available = max(1, count) }

    /// Takes a permit, waiting for one.
    public func wait() async {
        if available > 0 {
            available -= 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    /// Gives a permit back (to the first waiter, if any).
    public func signal() {
        if waiters.isEmpty {
            available += 1
        } else {
            waiters.removeFirst().resume()
        }
    }

    /// Runs `body` holding a permit.
    public func run<T: Sendable>(_ body: @Sendable () async throws -> T) async rethrows -> T {
        await wait()
        do {
            let value = try await body()
            signal()
            return value
        } catch {
            signal()
            throw error
        }
    }
}

extension Array where Element: Sendable {
    /// Maps every element, at most `limit` at a time, keeping the order; the first error cancels the rest.
    func boundedMap<Output: Sendable>(limit: Int, _ transform: @escaping @Sendable (Element) async throws -> Output) async throws -> [Output] {
        let semaphore = AsyncSemaphore(limit)
        return try await concurrentMap { item in
            await semaphore.wait()
            do {
                let output = try await transform(item)
                await semaphore.signal()
                return output
            } catch {
                await semaphore.signal()
                throw error
            }
        }
    }
}
