import Foundation

/// Time for retries, rate limiting and credential expiry. Tests inject `ManualClock`.
public protocol AWSClock: Sendable {
    /// The current time.
    func now() -> Date
    /// Waits; a manual clock advances its time instead.
    func sleep(seconds: Double) async throws
}

/// The real clock.
public struct SystemClock: AWSClock {
    /// Creates the system clock.
    public init() {}
    /// `Date()`.
    public func now() -> Date { Date() }
    /// `Task.sleep`.
    public func sleep(seconds: Double) async throws {
        guard seconds > 0 else { return }
        try await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
    }
}
