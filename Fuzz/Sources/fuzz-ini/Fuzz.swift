import AWSCore
import Foundation
import FuzzSupport

// Input: the config file, `%%%`, the credentials file. Both are read through the real
// `AWSSession.resolve` (INI parser, profile merge, region, retry settings, endpoints, the
// credential chain with source_profile cycles), once per profile named in either file.
// Nothing reaches the network or runs a program: resolution only picks providers.

private struct NoNetwork: HTTPClient {
    func execute(_ request: HTTPRequest) async throws -> HTTPResponse {
        throw HTTPTransportError.connectionFailed(url: request.url, reason: "the fuzzer has no network")
    }
}

private struct NoProcesses: ProcessRunner {
    func run(_ arguments: [String], environment: [String: String]) async throws -> (status: Int32, stdout: Data, stderr: Data) {
        (127, Data(), Data("the fuzzer runs no programs".utf8))
    }
}

private let environment = [
    "HOME": "/fuzz", "AWS_CONFIG_FILE": "/fuzz/config", "AWS_SHARED_CREDENTIALS_FILE": "~/credentials",
    "AWS_EC2_METADATA_DISABLED": "true",
]

/// libFuzzer's callback for one input: errors are expected, a crash or hang is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ pointer: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let pointer else { return 0 }
    let parts = FuzzInput.split(FuzzInput.data(pointer, size), into: 2)
    var files = InMemoryFileSystem()
    files.files = ["/fuzz/config": parts[0], "/fuzz/credentials": parts[1]]
    let dependencies = AWSDependencies(environment: environment, fileSystem: files, http: NoNetwork(), processRunner: NoProcesses())
    guard let config = try? SharedConfig.load(environment: environment, fileSystem: files) else { return 0 }
    // Every profile (bounded, so one input stays fast), plus the default and a missing one.
    let names = [nil, "missing"] + config.profiles.keys.sorted().prefix(8).map { Optional($0) }
    for name in names {
        guard let session = try? AWSSession.resolve(AWSSessionOptions(profile: name), dependencies: dependencies) else { continue }
        for service in [AWSServiceInfo.s3, .sts, .serviceCatalog, .iam] {
            _ = try? session.serviceClient(service)
        }
    }
    return 0
}

/// Hands the process to libFuzzer (see `runFuzzer`).
@main
struct Main {
    static func main() { runFuzzer(fuzzOne) }
}
