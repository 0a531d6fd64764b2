import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `HTTPClient` on URLSession: one session (connections are reused), redirects refused
/// (URLSession would follow a 307 on PUT without the body but with `Authorization`), a
/// bounded body (`HTTPRequest.maxResponseBytes`: a larger one fails with `responseTooLarge`
/// as soon as it passes the bound, so memory stays bounded), and nothing added that is
/// signed: it only adds unsigned headers such as `Accept` and `User-Agent`.
public final class URLSessionHTTPClient: HTTPClient, @unchecked Sendable {
    // URLSession is thread-safe; the class holds no mutable state of its own (the router
    // guards its table with a lock).
    private let session: URLSession
    private let router: TaskRouter

    /// Creates a client with its own session.
    public init(maximumConnectionsPerHost: Int = 8) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = maximumConnectionsPerHost
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        // Each request's own deadline is enforced in `execute`; the session's must not cut in first.
        configuration.timeoutIntervalForRequest = 3600
        configuration.timeoutIntervalForResource = 24 * 3600
        let router = TaskRouter()
        self.router = router
        session = URLSession(configuration: configuration, delegate: router, delegateQueue: nil)
    }

    deinit { session.finishTasksAndInvalidate() }

    /// Sends the request as is; a 3xx comes back as a response.
    public func execute(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard let url = URL(string: request.url) else { throw HTTPTransportError.invalidURL(request.url) }
        var urlRequest = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: request.timeout)
        urlRequest.httpMethod = request.method
        for header in request.headers {
            if urlRequest.value(forHTTPHeaderField: header.name) == nil {
                urlRequest.setValue(header.value, forHTTPHeaderField: header.name)
            } else {
                urlRequest.addValue(header.value, forHTTPHeaderField: header.name)
            }
        }
        if !request.body.isEmpty || ["PUT", "POST"].contains(request.method) {
            urlRequest.httpBody = request.body
        }
        // URLSession on Linux ignores a request's own timeoutInterval when it is shorter than the
        // session's, so the deadline is enforced here by cancelling the task; the body is
        // collected by the delegate, which cancels the task once it passes `maxResponseBytes`.
        let (data, response): (Data, URLResponse) = try await withCheckedThrowingContinuation { continuation in
            let task = session.dataTask(with: urlRequest)
            let transfer = Transfer(url: request.url, limit: request.maxResponseBytes, continuation: continuation)
            router.register(transfer, for: task)
            task.resume()
            DispatchQueue.global().asyncAfter(deadline: .now() + request.timeout) { [weak task] in
                guard let task, task.state == .running else { return }
                transfer.markTimedOut()
                task.cancel()
            }
        }
        guard let http = response as? HTTPURLResponse else {
            throw HTTPTransportError.connectionFailed(url: request.url, reason: "not an HTTP response")
        }
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields {
            if let key = key as? String, let value = value as? String { headers[key.lowercased()] = value }
        }
        return HTTPResponse(status: http.statusCode, headers: headers, body: data)
    }

    fileprivate static func transportError(_ error: any Error, url: String) -> HTTPTransportError {
        let nsError = error as NSError
        if nsError.domain == NSURLErrorDomain && nsError.code == NSURLErrorTimedOut { return .timedOut(url: url) }
        return .connectionFailed(url: url, reason: nsError.localizedDescription)
    }
}

/// One request in flight: its body so far, why it was cancelled, and who waits for it.
private final class Transfer: @unchecked Sendable {
    let url: String
    let limit: Int
    private let lock = NSLock()
    private var body = Data()
    private var response: URLResponse?
    private var timedOut = false
    private var tooLarge = false
    private var continuation: CheckedContinuation<(Data, URLResponse), any Error>?

    init(url: String, limit: Int, continuation: CheckedContinuation<(Data, URLResponse), any Error>) {
        self.url = url
        self.limit = limit
        self.continuation = continuation
    }

    func markTimedOut() { lock.withLock { timedOut = true } }

    /// Keeps the response; false when its declared length is already over the limit.
    func received(_ response: URLResponse) -> Bool {
        lock.withLock {
            self.response = response
            if response.expectedContentLength > Int64(limit) { tooLarge = true }
            return !tooLarge
        }
    }

    /// Appends a piece of the body; false once the body passes the limit.
    func received(_ data: Data) -> Bool {
        lock.withLock {
            guard !tooLarge else { return false }
            if body.count + data.count > limit {
                tooLarge = true
                body = Data()
                return false
            }
            body.append(data)
            return true
        }
    }

    /// Resumes the waiting request, once.
    func complete(_ error: (any Error)?) {
        let (waiting, outcome): (CheckedContinuation<(Data, URLResponse), any Error>?, Result<(Data, URLResponse), any Error>) = lock.withLock {
            let waiting = continuation
            continuation = nil
            if tooLarge { return (waiting, .failure(HTTPTransportError.responseTooLarge(url: url, limit: limit))) }
            if timedOut && error != nil { return (waiting, .failure(HTTPTransportError.timedOut(url: url))) }
            if let error { return (waiting, .failure(URLSessionHTTPClient.transportError(error, url: url))) }
            guard let response else { return (waiting, .failure(HTTPTransportError.connectionFailed(url: url, reason: "no response"))) }
            return (waiting, .success((body, response)))
        }
        waiting?.resume(with: outcome)
    }
}

/// The session's delegate: routes each task's events to its `Transfer`, and refuses every
/// redirect, so the 3xx itself is returned to the caller.
private final class TaskRouter: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let lock = NSLock()
    private var transfers: [Int: Transfer] = [:]

    func register(_ transfer: Transfer, for task: URLSessionTask) {
        lock.withLock { transfers[task.taskIdentifier] = transfer }
    }

    private func transfer(_ task: URLSessionTask) -> Transfer? {
        lock.withLock { transfers[task.taskIdentifier] }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void) {
        let keep = transfer(dataTask)?.received(response) ?? true
        completionHandler(keep ? .allow : .cancel)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        if transfer(dataTask)?.received(data) == false { dataTask.cancel() }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let done = lock.withLock { transfers.removeValue(forKey: task.taskIdentifier) }
        done?.complete(error)
    }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}
