import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `HTTPClient` on URLSession: one session (connections are reused), redirects refused
/// (URLSession would follow a 307 on PUT without the body but with `Authorization`), and
/// nothing added that is signed: it only adds unsigned headers such as `Accept` and `User-Agent`.
public final class URLSessionHTTPClient: HTTPClient, @unchecked Sendable {
    // URLSession is thread-safe; the class holds no mutable state of its own.
    private let session: URLSession

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
        session = URLSession(configuration: configuration, delegate: RedirectRefuser(), delegateQueue: nil)
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
        // session's, so the deadline is enforced here by cancelling the task.
        let deadline = TimeoutFlag()
        let (data, response): (Data, URLResponse) = try await withCheckedThrowingContinuation { continuation in
            let task = session.dataTask(with: urlRequest) { data, response, error in
                if let error {
                    continuation.resume(throwing: deadline.fired ? HTTPTransportError.timedOut(url: request.url) : Self.transportError(error, url: request.url))
                } else if let response {
                    continuation.resume(returning: (data ?? Data(), response))
                } else {
                    continuation.resume(throwing: HTTPTransportError.connectionFailed(url: request.url, reason: "no response"))
                }
            }
            task.resume()
            DispatchQueue.global().asyncAfter(deadline: .now() + request.timeout) { [weak task] in
                guard let task, task.state == .running else { return }
                deadline.fire()
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

    private static func transportError(_ error: any Error, url: String) -> HTTPTransportError {
        let nsError = error as NSError
        if nsError.domain == NSURLErrorDomain && nsError.code == NSURLErrorTimedOut { return .timedOut(url: url) }
        return .connectionFailed(url: url, reason: nsError.localizedDescription)
    }
}

/// Set when a request's deadline passed and its task was cancelled.
private final class TimeoutFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var fired: Bool { lock.withLock { value } }
    func fire() { lock.withLock { value = true } }
}

/// Refuses every redirect, so the 3xx itself is returned to the caller.
private final class RedirectRefuser: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}
