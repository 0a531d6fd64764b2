import AWSCore
import Foundation
import FuzzSupport

// Input: an HTTP answer (status and headers, `%%%`, body). The body goes through
// `XMLTree.parse` (every Query and S3 2xx body) and `ErrorDecoding` for Query and
// REST-XML (S3's bucket-region header and body included), as `AWSServiceClient` uses them.

/// libFuzzer's callback for one input: errors are expected, a crash or hang is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ pointer: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let pointer else { return 0 }
    let answer = FuzzAnswer(FuzzInput.data(pointer, size))
    let response = HTTPResponse(status: answer.status, headers: answer.headers, body: answer.body)
    if let root = try? XMLTree.parse(response.body) {
        // What the service modules do with a tree: paths, lists, depth-first search.
        _ = root.path("ListObjectsV2Result", "Contents", "Key")?.text
        _ = root.all("Contents").count
        _ = root.descendant("NextToken")?.text
    }
    for wire in [AWSWireProtocol.query(apiVersion: "2011-06-15"), .restXML] {
        _ = ErrorDecoding.decode(response, protocol: wire, operation: "Fuzz").description
    }
    return 0
}

/// Hands the process to libFuzzer (see `runFuzzer`).
@main
struct Main {
    static func main() { runFuzzer(fuzzOne) }
}
