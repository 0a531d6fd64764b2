import CVendCurl
import Foundation

/// `HTTPClient` on libcurl, loaded with `dlopen` on the first request (vend commands that never
/// reach AWS do not load it, and vend does not link Foundation's URLSession at all — together
/// that is most of vend's start-up time and a third of its memory).
///
/// What goes on the wire is what the signer signed: the URL exactly as given (curl does not
/// re-encode it), the signed headers, and the body; curl's own default headers that the
/// request did not set (`Accept`, `Expect: 100-continue`, the form `Content-Type` it adds to a
/// body) are removed. Redirects are returned, not followed; bodies are not decompressed; only
/// http and https are allowed; a body larger than `HTTPRequest.maxResponseBytes` stops the
/// transfer (`responseTooLarge`), and each request has its own deadline (`timedOut`). Handles
/// are pooled so connections are reused. `AWS_CA_BUNDLE` names a CA bundle, as in the AWS CLI.
/// Proxies come from the usual `HTTPS_PROXY` / `NO_PROXY` variables, which libcurl reads.
public final class CurlHTTPClient: HTTPClient, @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [UnsafeMutableRawPointer] = []
    private let maximumIdleHandles: Int
    private let caBundle: String?
    // curl_easy_perform blocks, so each request runs on a thread of its own, never on Swift's
    // cooperative pool. Not a concurrent DispatchQueue: on Linux libdispatch adds a thread to
    // such a queue only about every half second while its threads are blocked, which held
    // vend to 2 requests in flight at first and 6 after five seconds (measured against the
    // local cloud with 50 ms latency). A thread costs tens of microseconds to start, against
    // milliseconds for a request; AWSClient's RequestSlots bound how many run at once.

    /// Creates a client. `caBundle` (default: `AWS_CA_BUNDLE`) replaces the system's CA certificates.
    public init(maximumIdleHandles: Int = 16, caBundle: String? = ProcessInfo.processInfo.environment["AWS_CA_BUNDLE"]) {
        self.maximumIdleHandles = maximumIdleHandles
        self.caBundle = caBundle.flatMap { $0.isEmpty ? nil : $0 }
    }

    deinit {
        for handle in idle { vend_curl_easy_cleanup(handle) }
    }

    /// Loads libcurl, once per process; throws when it cannot be loaded.
    static func load() throws {
        var buffer = [CChar](repeating: 0, count: 512)
        guard vend_curl_load(&buffer, buffer.count) == 0 else {
            let reason = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw AWSClientError("vend reaches AWS through libcurl, which could not be loaded (\(reason)) — install it (Debian and Ubuntu: apt-get install libcurl4)")
        }
    }

    /// Sends the request as is; a 3xx comes back as a response.
    public func execute(_ request: HTTPRequest) async throws -> HTTPResponse {
        try Self.load()
        guard let scheme = request.url.split(separator: ":", maxSplits: 1).first?.lowercased(), ["http", "https"].contains(scheme),
              URL(string: request.url)?.host != nil else {
            throw HTTPTransportError.invalidURL(request.url)
        }
        let transfer = CurlTransfer(request: request)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, any Error>) in
                let thread = Thread { [self] in
                    continuation.resume(with: Result { try perform(transfer) })
                }
                thread.name = "vend.http"
                thread.start()
            }
        } onCancel: {
            transfer.cancel()
        }
    }

    private func perform(_ transfer: CurlTransfer) throws -> HTTPResponse {
        let handle = try takeHandle()
        var reusable = true
        defer { returnHandle(handle, reusable: reusable) }
        let request = transfer.request
        var errorBuffer = [CChar](repeating: 0, count: Int(VEND_CURL_ERROR_SIZE))
        var headerList: OpaquePointer?
        defer { if let headerList { vend_curl_slist_free_all(headerList) } }

        // Every header as given; curl defaults the request did not set are removed with "Name:".
        let given = Set(request.headers.map { $0.name.lowercased() })
        for header in request.headers where header.name.lowercased() != "content-length" {
            headerList = vend_curl_slist_append(headerList, "\(header.name): \(header.value)")
        }
        for name in ["Accept", "Expect", "Content-Type"] where !given.contains(name.lowercased()) {
            headerList = vend_curl_slist_append(headerList, "\(name):")
        }

        let code: Int32 = request.body.withUnsafeBytes { body in
            request.url.withCString { url in
                request.method.withCString { method in
                    errorBuffer.withUnsafeMutableBufferPointer { errors in
                        let context = Unmanaged.passUnretained(transfer).toOpaque()
                        vend_curl_setopt_pointer(handle, Int32(VEND_CURLOPT_URL), url)
                        vend_curl_setopt_pointer(handle, Int32(VEND_CURLOPT_PROTOCOLS_STR), "http,https")
                        vend_curl_setopt_long(handle, Int32(VEND_CURLOPT_FOLLOWLOCATION), 0)
                        vend_curl_setopt_long(handle, Int32(VEND_CURLOPT_NOSIGNAL), 1)
                        vend_curl_setopt_long(handle, Int32(VEND_CURLOPT_TCP_KEEPALIVE), 1)
                        vend_curl_setopt_long(handle, Int32(VEND_CURLOPT_HTTP_VERSION), Int(VEND_CURL_HTTP_VERSION_1_1))
                        let milliseconds = max(1, Int(request.timeout * 1000))
                        vend_curl_setopt_long(handle, Int32(VEND_CURLOPT_TIMEOUT_MS), milliseconds)
                        vend_curl_setopt_long(handle, Int32(VEND_CURLOPT_CONNECTTIMEOUT_MS), min(milliseconds, 60_000))
                        vend_curl_setopt_pointer(handle, Int32(VEND_CURLOPT_ERRORBUFFER), errors.baseAddress)
                        vend_curl_setopt_pointer(handle, Int32(VEND_CURLOPT_HTTPHEADER), UnsafeRawPointer(headerList))
                        if let caBundle { vend_curl_setopt_pointer(handle, Int32(VEND_CURLOPT_CAINFO), caBundle) }
                        switch request.method {
                        case "GET" where request.body.isEmpty:
                            vend_curl_setopt_long(handle, Int32(VEND_CURLOPT_HTTPGET), 1)
                        case "HEAD":
                            vend_curl_setopt_long(handle, Int32(VEND_CURLOPT_NOBODY), 1)
                        default:
                            vend_curl_setopt_pointer(handle, Int32(VEND_CURLOPT_CUSTOMREQUEST), method)
                            if !request.body.isEmpty || request.method == "PUT" || request.method == "POST" {
                                // A body (even an empty one) is sent from memory, with its Content-Length.
                                vend_curl_setopt_pointer(handle, Int32(VEND_CURLOPT_POSTFIELDS), body.baseAddress ?? UnsafeRawPointer(bitPattern: 1))
                                vend_curl_setopt_int64(handle, Int32(VEND_CURLOPT_POSTFIELDSIZE_LARGE), Int64(body.count))
                            }
                        }
                        vend_curl_setopt_data_callback(handle, Int32(VEND_CURLOPT_HEADERFUNCTION), curlHeaderReceived)
                        vend_curl_setopt_pointer(handle, Int32(VEND_CURLOPT_HEADERDATA), context)
                        vend_curl_setopt_data_callback(handle, Int32(VEND_CURLOPT_WRITEFUNCTION), curlBodyReceived)
                        vend_curl_setopt_pointer(handle, Int32(VEND_CURLOPT_WRITEDATA), context)
                        vend_curl_setopt_long(handle, Int32(VEND_CURLOPT_NOPROGRESS), 0)
                        vend_curl_setopt_progress_callback(handle, curlProgress)
                        vend_curl_setopt_pointer(handle, Int32(VEND_CURLOPT_XFERINFODATA), context)
                        return vend_curl_easy_perform(handle)
                    }
                }
            }
        }

        guard code == Int32(VEND_CURLE_OK) else {
            reusable = false
            if transfer.tooLarge { throw HTTPTransportError.responseTooLarge(url: request.url, limit: request.maxResponseBytes) }
            if transfer.cancelled { throw CancellationError() }
            switch code {
            case Int32(VEND_CURLE_OPERATION_TIMEDOUT): throw HTTPTransportError.timedOut(url: request.url)
            case Int32(VEND_CURLE_URL_MALFORMAT), Int32(VEND_CURLE_UNSUPPORTED_PROTOCOL): throw HTTPTransportError.invalidURL(request.url)
            default:
                let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                let reason = detail.isEmpty ? String(cString: vend_curl_strerror(code)) : detail
                throw HTTPTransportError.connectionFailed(url: request.url, reason: reason)
            }
        }
        var status = 0
        vend_curl_getinfo_long(handle, Int32(VEND_CURLINFO_RESPONSE_CODE), &status)
        return HTTPResponse(status: status, headers: transfer.headers, body: transfer.body)
    }

    private func takeHandle() throws -> UnsafeMutableRawPointer {
        if let handle = lock.withLock({ idle.popLast() }) {
            vend_curl_easy_reset(handle)  // options cleared; its connections stay open for reuse
            return handle
        }
        guard let handle = vend_curl_easy_init() else {
            throw HTTPTransportError.connectionFailed(url: "", reason: "curl_easy_init failed (out of memory?)")
        }
        return handle
    }

    private func returnHandle(_ handle: UnsafeMutableRawPointer, reusable: Bool) {
        let kept = reusable && lock.withLock {
            guard idle.count < maximumIdleHandles else { return false }
            idle.append(handle)
            return true
        }
        if !kept { vend_curl_easy_cleanup(handle) }
    }
}

/// One request in flight: the response headers and body so far, and why it stopped. Touched by
/// curl's callbacks on the transfer's thread and by cancellation from any thread.
final class CurlTransfer: @unchecked Sendable {
    let request: HTTPRequest
    private let lock = NSLock()
    private(set) var headers: [String: String] = [:]
    private(set) var body = Data()
    private var stoppedTooLarge = false
    private var stoppedCancelled = false

    init(request: HTTPRequest) { self.request = request }

    var tooLarge: Bool { lock.withLock { stoppedTooLarge } }
    var cancelled: Bool { lock.withLock { stoppedCancelled } }
    func cancel() { lock.withLock { stoppedCancelled = true } }

    /// One header line; false stops the transfer (a declared length over the bound).
    func header(_ line: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("HTTP/") {
            headers = [:]  // a new response head (after a 100 Continue): start over
            return true
        }
        guard let colon = trimmed.firstIndex(of: ":") else { return true }
        let name = trimmed[..<colon].lowercased()
        let value = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        headers[name] = headers[name].map { "\($0),\(value)" } ?? value
        if name == "content-length", let length = Int(value), length > request.maxResponseBytes {
            lock.withLock { stoppedTooLarge = true }
            return false
        }
        return true
    }

    /// A piece of the body; false once the body passes the bound.
    func received(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard body.count + bytes.count <= request.maxResponseBytes else {
            lock.withLock { stoppedTooLarge = true }
            body = Data()
            return false
        }
        body.append(contentsOf: bytes)
        return true
    }
}

private func curlHeaderReceived(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let data, let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    let line = String(decoding: UnsafeRawBufferPointer(start: data, count: size * count), as: UTF8.self)
    return transfer.header(line) ? size * count : 0
}

private func curlBodyReceived(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    let bytes = UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size * count)
    return transfer.received(bytes) ? size * count : 0
}

/// Called by curl during the transfer; non-zero aborts it (the task was cancelled).
private func curlProgress(_ context: UnsafeMutableRawPointer?, _ downloadTotal: Int64, _ downloaded: Int64,
                          _ uploadTotal: Int64, _ uploaded: Int64) -> Int32 {
    guard let context else { return 0 }
    return Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue().cancelled ? 1 : 0
}
