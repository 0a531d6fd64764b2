import CFuzzer
import Dispatch
import Foundation

/// Starts libFuzzer with the process's arguments and `test` as the target, then exits with
/// libFuzzer's status (non-zero after a crash, with the crashing input written as it says).
public func runFuzzer(_ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, test))
}

/// Helpers shared by the fuzz targets: splitting one input into several files, and running
/// an async entry point to completion from libFuzzer's synchronous callback.
public enum FuzzInput {
    /// The line that separates the parts of one input (`%%%` alone on a line): plain text, so
    /// seeds stay readable, and unlike `---` it means nothing in YAML.
    public static let separator = Data("\n%%%\n".utf8)

    /// The input libFuzzer hands over, as bytes.
    public static func data(_ pointer: UnsafePointer<UInt8>, _ size: Int) -> Data {
        Data(bytes: pointer, count: size)
    }

    /// Splits `data` at each separator into exactly `count` parts: missing parts are empty and
    /// the last part keeps any further separators.
    public static func split(_ data: Data, into count: Int) -> [Data] {
        var parts: [Data] = []
        var rest = data[...]
        while parts.count < count - 1, let range = rest.range(of: separator) {
            parts.append(Data(rest[rest.startIndex..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        parts.append(Data(rest))
        while parts.count < count { parts.append(Data()) }
        return parts
    }
}

/// Holds a result across the thread boundary of `runBlocking`.
private final class ResultBox<Value: Sendable>: @unchecked Sendable {
    var value: Value?
}

/// Runs `body` on the concurrency pool and waits for it. libFuzzer calls the target on an
/// ordinary thread, never from inside a task, so blocking here cannot starve the pool.
public func runBlocking<Value: Sendable>(_ body: @escaping @Sendable () async -> Value) -> Value? {
    let box = ResultBox<Value>()
    let done = DispatchSemaphore(value: 0)
    Task {
        box.value = await body()
        done.signal()
    }
    done.wait()
    return box.value
}

/// A directory created once per fuzzing process, under `VEND_FUZZ_TMP` (which `scripts/fuzz`
/// creates and removes: libFuzzer exits without running Swift cleanup) or the temp folder.
public func fuzzDirectory(_ name: String) -> URL {
    let base = ProcessInfo.processInfo.environment["VEND_FUZZ_TMP"] ?? NSTemporaryDirectory()
    let url = URL(fileURLWithPath: base).appendingPathComponent("vend-fuzz-\(name)-\(getpid())", isDirectory: true)
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// An HTTP answer written as text: the first part is the status line (`400`) and then
/// `name: value` header lines, the second part is the body, as-is.
public struct FuzzAnswer: Sendable {
    /// The status (200 when the first line is not a number).
    public var status: Int
    /// Headers as given.
    public var headers: [String: String]
    /// The body bytes.
    public var body: Data

    /// Reads an answer from one fuzz input.
    public init(_ data: Data) {
        let parts = FuzzInput.split(data, into: 2)
        let lines = String(decoding: parts[0], as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        status = lines.first.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? 200
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        self.headers = headers
        body = parts[1]
    }
}

/// Writes `data` to `path` in place, without Foundation's atomic rename and fsync (which
/// cost milliseconds per input): the fuzz input is scratch, durability does not matter.
public func writeScratch(_ data: Data, to path: String) {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard descriptor >= 0 else { return }
    defer { close(descriptor) }
    data.withUnsafeBytes { bytes in
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
            guard written > 0 else { return }
            offset += written
        }
    }
}
