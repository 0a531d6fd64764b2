@testable import AWSCore
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Accepts connections on 127.0.0.1 and answers each request with a fixed response (or
/// never, when `response` is nil); keeps a connection open unless the response says
/// `Connection: close`; records requests and connections.
final class OneShotServer: @unchecked Sendable {
    let port: UInt16
    private let socketFD: Int32
    private let response: String?
    private let lock = NSLock()
    private var received: [String] = []
    private var accepted = 0

    init(response: String?) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        port = UInt16(bigEndian: address.sin_port)
        socketFD = fd
        self.response = response
        listen(fd, 8)
        Thread.detachNewThread { [self] in
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 { return }
                lock.withLock { accepted += 1 }
                Thread.detachNewThread { [self] in serve(client) }
            }
        }
    }

    private func serve(_ client: Int32) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            var request = Data()
            repeat {
                let count = read(client, &buffer, buffer.count)
                if count <= 0 { close(client); return }
                request.append(contentsOf: buffer[0..<count])
            } while !Self.complete(request)
            lock.withLock { received.append(String(decoding: request, as: UTF8.self)) }
            guard let response else { continue }
            _ = response.utf8CString.withUnsafeBufferPointer { write(client, $0.baseAddress, $0.count - 1) }
            if response.contains("Connection: close") { close(client); return }
        }
    }

    static func complete(_ data: Data) -> Bool {
        let text = String(decoding: data, as: UTF8.self)
        guard let end = text.range(of: "\r\n\r\n") else { return false }
        let head = text[..<end.lowerBound].lowercased()
        guard let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
              let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) else { return true }
        return data.count - (text[..<end.upperBound].utf8.count) >= length
    }

    var requests: [String] { lock.withLock { received } }
    var connections: Int { lock.withLock { accepted } }
    func stop() { shutdown(socketFD, Int32(SHUT_RDWR)); close(socketFD) }
}

/// The live transport against a tiny in-process HTTP server: redirects are returned, not
/// followed; bodies and signed headers arrive unchanged; silence times out.
@Suite struct CurlHTTPClientTests {
    @Test func redirectsAreReturnedNotFollowed() async throws {
        let server = try OneShotServer(response: "HTTP/1.1 307 Temporary Redirect\r\nLocation: http://127.0.0.1:1/elsewhere\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        defer { server.stop() }
        let response = try await CurlHTTPClient().execute(HTTPRequest(
            method: "PUT", url: "http://127.0.0.1:\(server.port)/bucket/a%2Bb%20c?x=1%2B2",
            headers: [("authorization", "AWS4-HMAC-SHA256 test"), ("x-amz-date", "20260102T030405Z")], body: Data("payload".utf8)))
        #expect(response.status == 307)
        #expect(response.header("location") == "http://127.0.0.1:1/elsewhere")
        #expect(server.requests.count == 1)
        let request = try #require(server.requests.first)
        #expect(request.hasPrefix("PUT /bucket/a%2Bb%20c?x=1%2B2 HTTP/1.1\r\n"))
        #expect(request.lowercased().contains("x-amz-date: 20260102t030405z"))
        #expect(request.hasSuffix("\r\n\r\npayload"))
        #expect(!request.lowercased().contains("expect: 100-continue"))
    }

    @Test func silenceTimesOut() async throws {
        let server = try OneShotServer(response: nil)
        defer { server.stop() }
        await #expect(throws: HTTPTransportError.timedOut(url: "http://127.0.0.1:\(server.port)/")) {
            _ = try await CurlHTTPClient().execute(HTTPRequest(method: "GET", url: "http://127.0.0.1:\(server.port)/", timeout: 1))
        }
    }

    @Test func refusedConnectionsAreTransportErrors() async throws {
        await #expect(throws: HTTPTransportError.self) {
            _ = try await CurlHTTPClient().execute(HTTPRequest(method: "GET", url: "http://127.0.0.1:9/", timeout: 2))
        }
    }

    @Test func connectionsAreReused() async throws {
        let server = try OneShotServer(response: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok")
        defer { server.stop() }
        let client = CurlHTTPClient()
        for _ in 0..<5 {
            let response = try await client.execute(HTTPRequest(method: "GET", url: "http://127.0.0.1:\(server.port)/", timeout: 5))
            #expect(response.body == Data("ok".utf8))
        }
        #expect(server.requests.count == 5)
        #expect(server.connections == 1)
    }

    /// The header names of a raw request, lower-cased.
    static func headerNames(_ request: String) -> Set<String> {
        let head = request.components(separatedBy: "\r\n\r\n").first ?? ""
        return Set(head.components(separatedBy: "\r\n").dropFirst().compactMap { $0.split(separator: ":").first.map { $0.lowercased() } })
    }

    @Test func onlyTheGivenHeadersGoOnTheWire() async throws {
        let server = try OneShotServer(response: "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        defer { server.stop() }
        let client = CurlHTTPClient()
        _ = try await client.execute(HTTPRequest(
            method: "POST", url: "http://127.0.0.1:\(server.port)/",
            headers: [("Host", "127.0.0.1:\(server.port)"), ("X-Amz-Date", "20260102T030405Z"), ("Authorization", "AWS4-HMAC-SHA256 x"),
                      ("Content-Length", "2")],
            body: Data("{}".utf8)))
        _ = try await client.execute(HTTPRequest(method: "DELETE", url: "http://127.0.0.1:\(server.port)/x", headers: [("X-Amz-Date", "20260102T030405Z")]))
        let requests = server.requests
        #expect(requests.count == 2)
        #expect(Self.headerNames(requests[0]) == ["host", "x-amz-date", "authorization", "content-length"])
        #expect(requests[0].contains("Content-Length: 2\r\n") && requests[0].hasSuffix("\r\n\r\n{}"))
        #expect(requests[1].hasPrefix("DELETE /x HTTP/1.1\r\n"))
        #expect(Self.headerNames(requests[1]) == ["host", "x-amz-date"])
    }

    @Test func headAnswersWithHeadersOnly() async throws {
        let server = try OneShotServer(response: "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\nETag: \"abc\"\r\n\r\n")
        defer { server.stop() }
        let response = try await CurlHTTPClient().execute(HTTPRequest(method: "HEAD", url: "http://127.0.0.1:\(server.port)/k", timeout: 5))
        #expect(response.status == 200)
        #expect(response.header("etag") == "\"abc\"")
        #expect(response.header("content-length") == "1234")
        #expect(response.body.isEmpty)
    }

    @Test func onlyHTTPAndHTTPSAreSent() async throws {
        for url in ["file:///etc/passwd", "ftp://127.0.0.1/x", "not a url"] {
            await #expect(throws: HTTPTransportError.invalidURL(url)) {
                _ = try await CurlHTTPClient().execute(HTTPRequest(method: "GET", url: url, timeout: 2))
            }
        }
    }

    @Test func aCancelledRequestStops() async throws {
        let server = try OneShotServer(response: nil)
        defer { server.stop() }
        let task = Task { try await CurlHTTPClient().execute(HTTPRequest(method: "GET", url: "http://127.0.0.1:\(server.port)/", timeout: 60)) }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        await #expect(throws: CancellationError.self) { _ = try await task.value }
    }
}

@Suite struct CurlCABundleTests {
    @Test func aCABundleIsUsedForHTTPS() async throws {
        // A plain TCP listener that never answers: with the CA bundle set, curl fails while
        // loading it, naming the file, before any handshake; without it, the handshake times out.
        let server = try OneShotServer(response: nil)
        defer { server.stop() }
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("vend-no-such-ca-\(UUID().uuidString).pem").path
        do {
            _ = try await CurlHTTPClient(caBundle: missing).execute(HTTPRequest(method: "GET", url: "https://127.0.0.1:\(server.port)/", timeout: 3))
            Issue.record("an https request with a missing CA bundle succeeded")
        } catch let HTTPTransportError.connectionFailed(_, reason) {
            #expect(reason.contains(missing), "\(reason)")
        }
        await #expect(throws: HTTPTransportError.timedOut(url: "https://127.0.0.1:\(server.port)/")) {
            _ = try await CurlHTTPClient(caBundle: nil).execute(HTTPRequest(method: "GET", url: "https://127.0.0.1:\(server.port)/", timeout: 1))
        }
    }
}
