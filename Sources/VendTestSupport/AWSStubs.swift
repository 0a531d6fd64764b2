import AWSCore
import Foundation

/// An `HTTPClient` that answers from a closure and records every request.
public final class StubHTTPClient: HTTPClient, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [HTTPRequest] = []
    private let handler: @Sendable (HTTPRequest, Int) async throws -> HTTPResponse

    /// Answers with `handler(request, index)`, where `index` counts requests from 0.
    public init(_ handler: @escaping @Sendable (HTTPRequest, Int) async throws -> HTTPResponse) {
        self.handler = handler
    }

    /// Answers the given responses in order (the last one repeats).
    public convenience init(responses: [HTTPResponse]) {
        self.init { _, index in responses[min(index, responses.count - 1)] }
    }

    /// The requests sent so far.
    public var requests: [HTTPRequest] { lock.withLock { recorded } }

    /// Records the request and asks the handler.
    public func execute(_ request: HTTPRequest) async throws -> HTTPResponse {
        let index = lock.withLock { () -> Int in
            recorded.append(request)
            return recorded.count - 1
        }
        return try await handler(request, index)
    }
}

/// A clock whose time only moves when something sleeps; it records every sleep.
public final class ManualClock: AWSClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    private var slept: [Double] = []

    /// Starts at `start` (default 2026-01-02T03:04:05Z).
    public init(start: Date = Date(timeIntervalSince1970: 1_767_323_045)) { current = start }

    /// The current manual time.
    public func now() -> Date { lock.withLock { current } }
    /// The sleeps so far, in seconds.
    public var sleeps: [Double] { lock.withLock { slept } }
    /// Moves time forward.
    public func advance(_ seconds: Double) { lock.withLock { current += seconds } }
    /// Records the sleep and advances time by it.
    public func sleep(seconds: Double) async throws {
        lock.withLock {
            slept.append(seconds)
            current += seconds
        }
    }
}

/// A `ProcessRunner` answering from a closure and recording the argument lists.
public final class StubProcessRunner: ProcessRunner, @unchecked Sendable {
    private let lock = NSLock()
    private var calls: [[String]] = []
    private let answer: @Sendable ([String]) -> (status: Int32, stdout: Data, stderr: Data)

    /// Answers every run with `answer(arguments)`.
    public init(_ answer: @escaping @Sendable ([String]) -> (status: Int32, stdout: Data, stderr: Data)) { self.answer = answer }

    /// Argument lists run so far.
    public var runs: [[String]] { lock.withLock { calls } }

    /// Records and answers.
    public func run(_ arguments: [String], environment: [String: String]) async throws -> (status: Int32, stdout: Data, stderr: Data) {
        lock.withLock { calls.append(arguments) }
        return answer(arguments)
    }
}

/// Collects log lines (thread-safe), for tests that grep `--verbose` output.
public final class LineCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [String] = []
    /// Creates an empty collector.
    public init() {}
    /// Appends a line.
    public func append(_ line: String) { lock.withLock { collected.append(line) } }
    /// Everything so far.
    public var lines: [String] { lock.withLock { collected } }
    /// Everything joined by newlines.
    public var text: String { lines.joined(separator: "\n") }
}

/// Responses in each wire protocol's shape, for stub transports.
public enum AWSStubResponses {
    /// A JSON body.
    public static func json(_ text: String, status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/x-amz-json-1.1", "x-amzn-RequestId": "req-1"], body: Data(text.utf8))
    }
    /// A JSON 1.1 error.
    public static func jsonError(_ code: String, _ message: String = "", status: Int = 400) -> HTTPResponse {
        json("{\"__type\":\"com.amazonaws.test#\(code)\",\"message\":\"\(message)\"}", status: status)
    }
    /// An XML body.
    public static func xml(_ text: String, status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "text/xml", "x-amz-request-id": "req-1"], body: Data(text.utf8))
    }
    /// A Query error.
    public static func queryError(_ code: String, _ message: String = "", status: Int = 400) -> HTTPResponse {
        xml("<ErrorResponse><Error><Type>Sender</Type><Code>\(code)</Code><Message>\(message)</Message></Error><RequestId>req-q</RequestId></ErrorResponse>", status: status)
    }
}

/// An in-memory file system that records writes (the SSO token cache).
public final class MutableFileSystem: AWSWritableFileSystem, @unchecked Sendable {
    private let lock = NSLock()
    private var files: [String: Data]

    /// Starts with texts by path.
    public init(_ files: [String: String] = [:]) { self.files = files.mapValues { Data($0.utf8) } }

    /// The stored bytes.
    public func contents(atPath path: String) -> Data? { lock.withLock { files[path] } }
    /// Replaces a file.
    public func write(_ data: Data, atPath path: String) throws { lock.withLock { files[path] = data } }
    /// Adds or replaces a text file.
    public func set(_ text: String, atPath path: String) { lock.withLock { files[path] = Data(text.utf8) } }
}
