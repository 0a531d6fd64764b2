import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A private local cloud (scripts/localcloud) for one test suite: started on a free loopback
/// port with its own state folder, stopped by `stop()`. Suites that own their cloud can reset it
/// and read its request log without disturbing other suites.
public final class LocalCloud: Sendable {
    /// The port it listens on (127.0.0.1).
    public let port: Int
    /// Its state folder (pid, log, aws/config, aws/credentials).
    public let state: URL

    /// The endpoint URL.
    public var endpoint: String { "http://127.0.0.1:\(port)" }
    /// The environment a client needs: the generated config and credentials files, nothing else.
    public var environment: [String: String] {
        ["AWS_CONFIG_FILE": state.appendingPathComponent("aws/config").path,
         "AWS_SHARED_CREDENTIALS_FILE": state.appendingPathComponent("aws/credentials").path]
    }

    private init(port: Int, state: URL) {
        self.port = port
        self.state = state
    }

    /// Starts a cloud; throws with the script's output if it does not come up.
    public static func start(_ arguments: [String] = []) throws -> LocalCloud {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("vend-cloud-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        // The port is free when chosen but not reserved: a suite starting at the same moment can
        // be handed the same one. Then our server fails to bind (`up` only accepts an answer from
        // its own pid) and we try another port.
        var failures: [String] = []
        for _ in 0..<3 {
            let port = try freePort()
            let cloud = LocalCloud(port: port, state: state)
            let (status, output) = try cloud.script("up", ["--port", "\(port)"] + arguments)
            if status == 0 { return cloud }
            failures.append("port \(port) (\(status)):\n\(output)")
        }
        try? FileManager.default.removeItem(at: state)
        throw FixtureError("scripts/localcloud/up failed three times:\n\(failures.joined(separator: "\n"))")
    }

    /// Stops the server and removes its state.
    public func stop() {
        _ = try? script("down")
        try? FileManager.default.removeItem(at: state)
    }

    /// Runs the AWS CLI (from the project's venv) against this cloud as a second client; returns its JSON output.
    /// `overrides` replaces or adds environment variables (another config file, a profile, a HOME).
    public func awsCLI(_ arguments: [String], overrides: [String: String] = [:]) throws -> Any {
        let process = Process()
        process.executableURL = Golden.repositoryRoot().appendingPathComponent(".venv/bin/aws")
        process.arguments = arguments + ["--output", "json"]
        process.environment = environment.merging(overrides) { _, new in new }
            .merging(["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]) { a, _ in a }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw FixtureError("aws \(arguments.joined(separator: " ")) failed: \(String(decoding: errors, as: UTF8.self))")
        }
        return data.isEmpty ? [String: Any]() : try JSONSerialization.jsonObject(with: data)
    }

    /// Runs a scripts/localcloud command with this cloud's state folder.
    ///
    /// Spawned with posix_spawn and reaped with waitpid, output to a file: Foundation's `Process`
    /// on Linux never returns from `waitUntilExit` when the child leaves a daemon running.
    @discardableResult
    public func script(_ name: String, _ arguments: String...) throws -> (Int32, String) { try script(name, arguments) }

    /// Runs one of scripts/localcloud/ with this cloud's state; returns its status and output.
    @discardableResult
    public func script(_ name: String, _ arguments: [String]) throws -> (Int32, String) {
        let path = Golden.repositoryRoot().appendingPathComponent("scripts/localcloud/\(name)").path
        let outputPath = state.appendingPathComponent("\(name)-\(UUID().uuidString).out").path
        var environment = ProcessInfo.processInfo.environment
        environment["LOCALCLOUD_STATE"] = state.path
        let status = try ChildProcess.run(path, arguments, environment: environment, stdout: outputPath)
        let data = (try? Data(contentsOf: URL(fileURLWithPath: outputPath))) ?? Data()
        return (status, String(decoding: data, as: UTF8.self))
    }

    /// One request the cloud answered.
    public struct Request: Decodable, Sendable {
        /// e.g. `servicecatalog`.
        public var service: String?
        /// e.g. `CreateProduct`.
        public var operation: String?
        /// The account that signed it.
        public var account: String?
        /// HTTP status.
        public var status: Int?
        /// Whether it passed botocore's model validation.
        public var validation_ok: Bool?
        /// Whether its SigV4 signature verified.
        public var signature_ok: Bool?
        /// Whether the answer (JSON or XML) fitted botocore's output shape (nil when not checked).
        public var answer_ok: Bool?
        /// What did not fit, when `answer_ok` is false.
        public var answer_problem: String?
        /// The fault injected into it, if any (e.g. `throttle`, `drop`).
        public var fault: String?
        /// The client's User-Agent (vend sends `vend/<version>`; the AWS CLI `aws-cli/…`).
        public var user_agent: String?
        /// The access key id that signed it (`ASIA…`: temporary keys, e.g. an assumed role's).
        public var access_key: String?

        enum CodingKeys: String, CodingKey { case service, operation, account, status, validation_ok, signature_ok, answer_ok, answer_problem, fault, user_agent, access_key }

        /// Decodes a log entry; `status` is a number, or text for a dropped connection.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            service = try container.decodeIfPresent(String.self, forKey: .service)
            operation = try container.decodeIfPresent(String.self, forKey: .operation)
            account = try container.decodeIfPresent(String.self, forKey: .account)
            status = try? container.decodeIfPresent(Int.self, forKey: .status)
            validation_ok = try container.decodeIfPresent(Bool.self, forKey: .validation_ok)
            signature_ok = try container.decodeIfPresent(Bool.self, forKey: .signature_ok)
            answer_ok = try container.decodeIfPresent(Bool.self, forKey: .answer_ok)
            answer_problem = try? container.decodeIfPresent(String.self, forKey: .answer_problem)
            fault = try? container.decodeIfPresent(String.self, forKey: .fault)
            user_agent = try? container.decodeIfPresent(String.self, forKey: .user_agent)
            access_key = try? container.decodeIfPresent(String.self, forKey: .access_key)
        }

        /// Whether the operation changes state (anything but Describe/List/Search/Get/Head/Scan).
        public var isMutating: Bool {
            guard let operation else { return false }
            return !["Describe", "List", "Search", "Get", "Head", "Scan"].contains { operation.hasPrefix($0) }
        }
    }

    /// The request log since the last `clearLog()`.
    public func requests() async throws -> [Request] {
        struct Log: Decodable { var requests: [Request] }
        guard let url = URL(string: "\(endpoint)/_localcloud/requests") else { throw FixtureError("bad endpoint \(endpoint)") }
        let (data, _) = try await URLSession.shared.data(from: url)
        return try JSONDecoder().decode(Log.self, from: data).requests
    }

    /// Empties the request log.
    public func clearLog() async throws { try await control("DELETE", "/_localcloud/requests") }

    /// Empties every account (keys stay valid).
    public func reset() async throws { try await control("POST", "/_localcloud/reset") }

    /// Installs a fault rule (see scripts/localcloud/README.md for the format).
    public func addFault(_ rule: [String: Any]) async throws {
        try await control("POST", "/_localcloud/faults", body: try JSONSerialization.data(withJSONObject: rule))
    }

    /// Changes the control config (e.g. `["strict_assume_role": true]`; see scripts/localcloud/README.md).
    public func configure(_ settings: [String: Any]) async throws {
        try await control("POST", "/_localcloud/config", body: try JSONSerialization.data(withJSONObject: settings))
    }

    /// Removes every fault rule.
    public func clearFaults() async throws { try await control("DELETE", "/_localcloud/faults") }

    private func control(_ method: String, _ path: String, body: Data? = nil) async throws {
        guard let url = URL(string: endpoint + path) else { throw FixtureError("bad endpoint \(endpoint)") }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.httpBody = body
        if body != nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        let (data, response) = try await URLSession.shared.data(for: request)
        guard let http = response as? HTTPURLResponse, (200..<300).contains(http.statusCode) else {
            throw FixtureError("local cloud control \(method) \(path) failed: \(String(decoding: data, as: UTF8.self))")
        }
    }

    /// A port nobody listens on: bind to port 0 and read what the kernel chose.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw FixtureError("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw FixtureError("bind() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

