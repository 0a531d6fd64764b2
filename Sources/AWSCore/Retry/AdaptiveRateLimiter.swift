import Foundation

/// The SDKs' adaptive mode: a token bucket whose fill rate drops to 70% of the measured
/// send rate on throttling and grows back along a cubic curve (as in botocore's
/// `ClientRateLimiter`). Disabled until the first throttling answer.
public actor AdaptiveRateLimiter {
    private let clock: any AWSClock
    private let minFillRate = 0.5
    private let beta = 0.7
    private let scale = 0.4
    private let smoothing = 0.8

    private var enabled = false
    private var fillRate = 0.5
    private var maxCapacity = 1.0
    private var capacity = 0.0
    private var lastRefill: Date?
    private var lastMaxRate = 0.0
    private var lastThrottle: Date
    private var measuredRate = 0.0
    private var requestCount = 0
    private var lastBucket: Double

    /// Creates a limiter reading time from `clock`.
    public init(clock: any AWSClock) {
        self.clock = clock
        let now = clock.now()
        lastThrottle = now
        lastBucket = (now.timeIntervalSince1970 * 2).rounded(.down) / 2
    }

    /// The current allowed send rate in requests per second (for tests and `--verbose`).
    public var currentFillRate: Double? { enabled ? fillRate : nil }

    /// Waits until a request may be sent.
    public func acquire() async throws {
        guard enabled else { return }
        refill()
        if capacity < 1 {
            let wait = (1 - capacity) / fillRate
            try await clock.sleep(seconds: wait)
            refill()
        }
        capacity -= 1
    }

    /// Records an answer: throttled or not.
    public func record(throttled: Bool) {
        let now = clock.now()
        updateMeasuredRate(now)
        let calculated: Double
        if throttled {
            let rate = enabled ? min(measuredRate, fillRate) : measuredRate
            lastMaxRate = max(rate, minFillRate)
            lastThrottle = now
            calculated = lastMaxRate * beta
            enabled = true
        } else {
            let k = cbrt(lastMaxRate * (1 - beta) / scale)
            let elapsed = now.timeIntervalSince(lastThrottle)
            calculated = scale * pow(elapsed - k, 3) + lastMaxRate
        }
        updateBucket(min(calculated, 2 * max(measuredRate, minFillRate)))
    }

    private func refill() {
        let now = clock.now()
        if let lastRefill {
            capacity = min(maxCapacity, capacity + now.timeIntervalSince(lastRefill) * fillRate)
        }
        lastRefill = now
    }

    private func updateBucket(_ rate: Double) {
        refill()
        fillRate = max(rate, minFillRate)
        maxCapacity = max(fillRate, 1)
        capacity = min(capacity, maxCapacity)
    }

    private func updateMeasuredRate(_ now: Date) {
        let bucket = (now.timeIntervalSince1970 * 2).rounded(.down) / 2
        requestCount += 1
        if bucket > lastBucket {
            let current = Double(requestCount) / (bucket - lastBucket)
            measuredRate = current * smoothing + measuredRate * (1 - smoothing)
            requestCount = 0
            lastBucket = bucket
        }
    }
}
