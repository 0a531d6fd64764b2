import Foundation
import VendTestSupport

/// Runs the AWS CLI against a private cloud as any principal: the cloud's profiles, or a role
/// profile (`role_arn` + `source_profile`) written into a copy of the cloud's config. HOME is the
/// cloud's state folder, so the CLI's cache of assumed-role keys is this cloud's alone. Answers are
/// parsed, never printed.
struct MatrixCLI: Sendable {
    let cloud: LocalCloud
    let config: URL

    /// Copies the cloud's config with one `matrix-<role>` profile per principal.
    init(cloud: LocalCloud, roles: [(arn: String, source: String)]) throws {
        self.cloud = cloud
        config = cloud.state.appendingPathComponent("aws/config-matrix")
        var text = try String(contentsOf: cloud.state.appendingPathComponent("aws/config"), encoding: .utf8)
        for role in roles {
            text += "\n[profile \(Self.profile(role.arn))]\nrole_arn = \(role.arn)\nsource_profile = \(role.source)\nrole_session_name = matrix\n"
                + "region = us-east-1\nendpoint_url = \(cloud.endpoint)\n"
        }
        try text.write(to: config, atomically: true, encoding: .utf8)
    }

    /// The profile that acts as `role`.
    static func profile(_ role: String) -> String { "matrix-" + (role.split(separator: "/").last.map(String.init) ?? role) }

    /// Runs `aws …` with the cloud's config (and `extra` environment); the parsed JSON answer.
    @discardableResult
    func run(_ arguments: [String], environment extra: [String: String] = [:]) throws -> [String: Any] {
        let overrides = ["AWS_CONFIG_FILE": config.path, "HOME": cloud.state.path].merging(extra) { _, new in new }
        return try cloud.awsCLI(arguments, overrides: overrides) as? [String: Any] ?? [:]
    }

    /// Runs as one of the cloud's profiles (`central`, `producer`, `consumer`).
    @discardableResult
    func run(_ profile: String, _ arguments: String...) throws -> [String: Any] { try run(arguments + ["--profile", profile]) }

    /// Adds `principal` to the data lake administrators of `profile`'s account, keeping every other
    /// setting: only an administrator (or a grantable holder) may grant on resources shared into an
    /// account ("Lake Formation personas and IAM permissions reference",
    /// https://docs.aws.amazon.com/lake-formation/latest/dg/permissions-reference.html), and
    /// PutDataLakeSettings replaces the whole settings object.
    func addLakeFormationAdmin(_ profile: String, _ principal: String) throws {
        var settings = (try run(profile, "lakeformation", "get-data-lake-settings")["DataLakeSettings"] as? [String: Any]) ?? [:]
        var admins = (settings["DataLakeAdmins"] as? [[String: Any]]) ?? []
        guard !admins.contains(where: { $0["DataLakePrincipalIdentifier"] as? String == principal }) else { return }
        admins.append(["DataLakePrincipalIdentifier": principal])
        settings["DataLakeAdmins"] = admins
        let json = String(decoding: try JSONSerialization.data(withJSONObject: settings, options: [.sortedKeys]), as: UTF8.self)
        _ = try run(profile, "lakeformation", "put-data-lake-settings", "--data-lake-settings", json)
    }

    /// What one query ended as: SUCCEEDED, a Lake Formation denial, or another failure (a broken test).
    struct Outcome: Sendable {
        var state: String
        var reason: String
        /// The result's column names (from the metadata: no data value is read).
        var columns: [String] = []
        var allowed: Bool { state == "SUCCEEDED" }
        /// A denial as Athena words Lake Formation's refusals.
        var deniedByLakeFormation: Bool {
            state == "FAILED" && (reason.hasPrefix("Insufficient Lake Formation permission(s) on") || reason.hasPrefix("Permission denied on S3 path"))
        }
    }

    /// Starts every query in `workgroup` as `role`, waits for all of them, and reads the column names
    /// of the succeeded ones among `columnsOf` (result metadata, MaxResults 1: no data value is read).
    func query(_ sql: [String], workgroup: String, as role: String, columnsOf: Set<Int> = []) throws -> [Outcome] {
        let session = ["AWS_PROFILE": Self.profile(role)]
        let ids = try sql.map { statement in
            try run(["athena", "start-query-execution", "--work-group", workgroup, "--query-string", statement], environment: session)["QueryExecutionId"] as? String ?? ""
        }
        for _ in 0..<50 {
            let answer = try run(["athena", "batch-get-query-execution", "--query-execution-ids"] + ids, environment: session)
            let executions = answer["QueryExecutions"] as? [[String: Any]] ?? []
            let status = Dictionary(executions.compactMap { execution -> (String, [String: Any])? in
                guard let id = execution["QueryExecutionId"] as? String else { return nil }
                return (id, execution["Status"] as? [String: Any] ?? [:])
            }, uniquingKeysWith: { first, _ in first })
            let outcomes = ids.map { Outcome(state: status[$0]?["State"] as? String ?? "", reason: status[$0]?["StateChangeReason"] as? String ?? "") }
            if outcomes.allSatisfy({ ["SUCCEEDED", "FAILED", "CANCELLED"].contains($0.state) }) {
                return try zip(ids, outcomes).enumerated().map { index, pair in
                    let (id, outcome) = pair
                    guard outcome.allowed, columnsOf.contains(index) else { return outcome }
                    let result = try run(["athena", "get-query-results", "--query-execution-id", id, "--max-results", "1"], environment: session)
                    let info = ((result["ResultSet"] as? [String: Any])?["ResultSetMetadata"] as? [String: Any])?["ColumnInfo"] as? [[String: Any]] ?? []
                    var withColumns = outcome
                    withColumns.columns = info.compactMap { $0["Name"] as? String }
                    return withColumns
                }
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw FixtureError("queries \(ids) did not finish")
    }
}

/// Runs blocking work on a thread of its own (the AWS CLI waits on child processes).
func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}

/// Runs independent blocking jobs side by side, each on its own thread.
func inParallel(_ jobs: [@Sendable () throws -> Void]) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        for job in jobs { group.addTask { try await onThread(job) } }
        try await group.waitForAll()
    }
}
