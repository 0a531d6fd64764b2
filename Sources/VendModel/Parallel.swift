import Dispatch

/// Work spread over every core, for CPU-bound steps on independent inputs (parsing products,
/// compressing bundles).
public enum Parallel {
    /// `body(0) … body(count - 1)` run at once on every core (`DispatchQueue.concurrentPerform`),
    /// answered in index order, so the outcome does not depend on which finished first.
    /// `body` must be safe to run concurrently with itself.
    public static func map<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
        guard count > 1 else { return (0..<count).map(body) }
        return Array(unsafeUninitializedCapacity: count) { buffer, initialized in
            guard let base = buffer.baseAddress else { return }
            // Each iteration initializes only its own element; concurrentPerform returns after all have run.
            nonisolated(unsafe) let elements = base
            DispatchQueue.concurrentPerform(iterations: count) { index in
                (elements + index).initialize(to: body(index))
            }
            initialized = count
        }
    }
}
