import Foundation

/// Turns a non-2xx response into one `AWSServiceError`, per wire protocol, in one place.
public enum ErrorDecoding {
    /// Decodes the error of a response with a status ≥ 300.
    public static func decode(_ response: HTTPResponse, protocol wire: AWSWireProtocol, operation: String) -> AWSServiceError {
        let requestId = response.header("x-amzn-requestid") ?? response.header("x-amz-request-id")
        var code: String?
        var message = ""
        var bodyRequestId: String?
        switch wire {
        case .json, .restJSON:
            if let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] {
                code = (object["__type"] as? String) ?? (object["code"] as? String) ?? (object["Code"] as? String)
                message = (object["message"] as? String) ?? (object["Message"] as? String) ?? (object["errorMessage"] as? String) ?? ""
            }
            if let header = response.header("x-amzn-errortype"), !header.isEmpty { code = header }
        case .query, .restXML:
            if let root = try? XMLTree.parse(response.body) {
                let error = root.name == "Error" ? root : root.descendant("Error")
                code = error?.string("Code")
                message = error?.string("Message") ?? ""
                bodyRequestId = root.string("RequestId") ?? root.string("RequestID") ?? error?.string("RequestId")
            }
        }
        let finalCode = code.map(sanitize) ?? fallbackCode(status: response.status)
        if code == nil && message.isEmpty {
            let snippet = String(decoding: response.body.prefix(200), as: UTF8.self)
                .replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
            message = snippet.isEmpty ? "no error details in the response" : "unexpected response: \(snippet)"
            if (300..<400).contains(response.status), let location = response.header("location") {
                message = "redirected to \(location) (redirects are not followed: check the region or endpoint)"
            }
        }
        var error = AWSServiceError(code: finalCode, message: message, requestId: requestId ?? bodyRequestId,
                                    status: response.status, operation: operation)
        if case .restXML = wire {
            error.bucketRegion = response.header("x-amz-bucket-region")
                ?? (try? XMLTree.parse(response.body))?.string("Region")
        }
        return error
    }

    /// `aws.protocoltests#FooError:http://…` → `FooError`.
    static func sanitize(_ raw: String) -> String {
        var code = Substring(raw)
        if let colon = code.firstIndex(of: ":") { code = code[..<colon] }
        if let hash = code.lastIndex(of: "#") { code = code[code.index(after: hash)...] }
        return code.trimmingCharacters(in: .whitespaces)
    }

    /// S3 HEAD errors and HTML pages have no code: derive one from the status.
    static func fallbackCode(status: Int) -> String {
        switch status {
        case 301: "PermanentRedirect"
        case 304: "NotModified"
        case 307: "TemporaryRedirect"
        case 400: "BadRequest"
        case 403: "Forbidden"
        case 404: "NotFound"
        case 412: "PreconditionFailed"
        case 429: "TooManyRequestsException"
        default: "HTTP\(status)"
        }
    }
}
