import AWSCore
import AWSServices
import Foundation

/// Follows a Service Catalog record (provision, update, service action) to its end, printing
/// its status, the elapsed time and the last stack event whenever one of them changes.
public struct RecordFollower: Sendable {
    /// The environment of the account that owns the record.
    public var environment: LaunchEnvironment
    /// Longest wait before giving up (seconds).
    public var timeout: Double

    /// Creates a follower.
    public init(environment: LaunchEnvironment, timeout: Double = 3600) {
        self.environment = environment
        self.timeout = timeout
    }

    /// Record statuses after which nothing changes any more.
    public static let terminal: Set<String> = ["SUCCEEDED", "FAILED", "IN_PROGRESS_IN_ERROR"]

    /// Polls DescribeRecord until the record ends. `label` names the thing in progress lines;
    /// `stackName` (when known) adds the stack's last event to them.
    /// `events` replaces the stack's last event when the record has no stack (a service action's
    /// current automation step, for instance).
    public func follow(recordId: String, label: String, stackName: String?,
                       events: (@Sendable () async -> String?)? = nil) async throws -> ServiceCatalog.DescribeRecordOutput {
        let clock = environment.clock
        let started = clock.now()
        var lastLine = ""
        var lastPrinted = started
        var delay = 0.25
        while true {
            // Assumption (AWS and the local cloud): the record answers IN_PROGRESS / CREATED for a while
            // after the call, then SUCCEEDED, FAILED or IN_PROGRESS_IN_ERROR; record outputs come at the end.
            let record = try await environment.serviceCatalog.describeRecord(.init(Id: recordId))
            let status = record.RecordDetail?.Status ?? "UNKNOWN"
            let event = if let events { await events() } else { await lastEvent(stackName) }
            let elapsed = Int(clock.now().timeIntervalSince(started))
            let line = "\(label): \(status)\(event.map { " — last event: \($0)" } ?? "")"
            if line != lastLine || clock.now().timeIntervalSince(lastPrinted) >= 15 {
                environment.progress("\(line) (\(elapsed)s)")
                lastLine = line
                lastPrinted = clock.now()
            }
            if Self.terminal.contains(status) { return record }
            if clock.now().timeIntervalSince(started) > timeout {
                throw LaunchError.recordTimedOut(label: label, status: status, seconds: Int(timeout), recordId: recordId)
            }
            try await clock.sleep(seconds: delay)
            delay = min(delay * 1.5, 5)
        }
    }

    /// The newest event of a stack as "resource type status — reason", or nil.
    private func lastEvent(_ stackName: String?) async -> String? {
        guard let stackName, let events = try? await environment.cloudFormation.stackEvents(name: stackName),
              let newest = events.max(by: { ($0.Timestamp ?? .distantPast) < ($1.Timestamp ?? .distantPast) }) else { return nil }
        let reason = newest.ResourceStatusReason.map { " — \($0)" } ?? ""
        return "\(newest.LogicalResourceId ?? "?") \(newest.ResourceStatus ?? "")\(reason)"
    }

    /// The record's errors as one line (`code: description; …`).
    public static func errors(_ record: ServiceCatalog.DescribeRecordOutput) -> String {
        let errors = (record.RecordDetail?.RecordErrors ?? []).map { "\($0.Code ?? "error"): \($0.Description ?? "")" }
        return errors.isEmpty ? "no error details in the record" : errors.joined(separator: "; ")
    }

    /// The record's outputs as a dictionary.
    public static func outputs(_ record: ServiceCatalog.DescribeRecordOutput) -> [String: String] {
        Dictionary((record.RecordOutputs ?? []).compactMap { output in output.OutputKey.map { ($0, output.OutputValue ?? "") } },
                   uniquingKeysWith: { first, _ in first })
    }
}
