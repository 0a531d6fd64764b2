import AWSSigV4
import Foundation

/// Runs a program and returns its output; injected so tests need no real processes.
public protocol ProcessRunner: Sendable {
    /// Runs `arguments[0]` with the rest as arguments; returns exit status, stdout, stderr.
    func run(_ arguments: [String], environment: [String: String]) async throws -> (status: Int32, stdout: Data, stderr: Data)
}

/// Runs programs with Foundation's `Process`, searching `PATH` through `/usr/bin/env`. The
/// blocking reads and the wait happen on their own threads (never on Swift's cooperative
/// pool), and stdout and stderr drain in parallel so a chatty program cannot fill a pipe
/// and stall. A program still running after `timeout` seconds is killed (SIGKILL) and the
/// run fails with `ProcessTimeout`, so a command that waits for input
/// cannot hang vend; one that prints more than `maxOutputBytes` on a stream is stopped too
/// (`ProcessOutputTooLarge`), so it cannot fill vend's memory.
public struct LocalProcessRunner: ProcessRunner {
    /// Seconds a program may run: one minute, as the AWS SDK for Go v2 allows `credential_process`.
    public var timeout: TimeInterval
    /// Most bytes read from stdout and from stderr (credentials JSON is a few hundred bytes).
    public var maxOutputBytes: Int

    /// Creates the live runner.
    public init(timeout: TimeInterval = 60, maxOutputBytes: Int = 1 << 20) {
        self.timeout = timeout
        self.maxOutputBytes = maxOutputBytes
    }

    /// Runs the program to completion, or until the timeout.
    public func run(_ arguments: [String], environment: [String: String]) async throws -> (status: Int32, stdout: Data, stderr: Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let seconds = timeout
        let limit = maxOutputBytes
        return try await withCheckedThrowingContinuation { continuation in
            let finish = ResumeOnce(continuation)
            let overtime = Flag()
            Thread.detachNewThread {
                // SIGKILL: a child can inherit SIGTERM blocked (it does under the test runner), and a
                // program that floods its output has nothing to clean up.
                let stop: @Sendable () -> Void = { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
                let outData = DataBox()
                let reader = Thread {
                    (outData.value, outData.overflowed) = Self.drain(out.fileHandleForReading, limit: limit, overflow: stop)
                    outData.done.signal()
                }
                reader.start()
                let (errData, errOverflowed) = Self.drain(err.fileHandleForReading, limit: limit, overflow: stop)
                outData.done.wait()
                process.waitUntilExit()
                if overtime.isSet {
                    // The timer killed it: the exit status (SIGKILL's 9) is ours, not the program's, and
                    // this thread can get here before the timer resumes.
                    finish.resume(.failure(ProcessTimeout(seconds: seconds)))
                } else if outData.overflowed || errOverflowed {
                    finish.resume(.failure(ProcessOutputTooLarge(limit: limit, stream: outData.overflowed ? "stdout" : "stderr")))
                } else {
                    finish.resume(.success((process.terminationStatus, outData.value, errData)))
                }
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
                // Killed before the caller resumes, since vend may exit right after the error: a
                // later signal would never be sent (and SIGTERM can arrive blocked, as under the
                // test runner). A grandchild that keeps the pipes open is left to end on its own.
                if process.isRunning {
                    overtime.set()
                    kill(process.processIdentifier, SIGKILL)
                }
                finish.resume(.failure(ProcessTimeout(seconds: seconds)))
            }
        }
    }

    /// Reads a pipe to its end, keeping at most `limit` bytes; past that, calls `overflow`
    /// once (which stops the program) and drains the rest unread so the pipe closes.
    static func drain(_ handle: FileHandle, limit: Int, overflow: @Sendable () -> Void) -> (Data, Bool) {
        var data = Data()
        var overflowed = false
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { return (data, overflowed) }
            guard !overflowed else { continue }
            if data.count + chunk.count > limit {
                overflowed = true
                data = Data()
                overflow()
            } else {
                data.append(chunk)
            }
        }
    }
}

/// A program run by `LocalProcessRunner` printed more than it may and was stopped.
public struct ProcessOutputTooLarge: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bound that was passed.
    public var limit: Int
    /// `stdout` or `stderr`.
    public var stream: String
    /// What happened.
    public var description: String { "it printed more than \(limit / 1024) KiB on \(stream) and was stopped" }
}

/// A program run by `LocalProcessRunner` did not finish in time and was stopped.
public struct ProcessTimeout: Error, Sendable, Equatable, CustomStringConvertible {
    /// The timeout that passed.
    public var seconds: TimeInterval
    /// What happened.
    public var description: String { "it did not finish within \(Int(seconds)) s and was stopped" }
}

/// Resumes a continuation once, from whichever thread gets there first.
private final class ResumeOnce<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Value, any Error>?
    init(_ continuation: CheckedContinuation<Value, any Error>) { self.continuation = continuation }

    /// Resumes with the result; false when it was already resumed.
    @discardableResult
    func resume(_ result: Result<Value, any Error>) -> Bool {
        guard let waiting = lock.withLock({ () -> CheckedContinuation<Value, any Error>? in
            defer { continuation = nil }
            return continuation
        }) else { return false }
        waiting.resume(with: result)
        return true
    }
}

/// A boolean set once from one thread and read from another.
private final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}

/// A pipe's bytes, handed from the reading thread to the waiting one through `done`.
private final class DataBox: @unchecked Sendable {
    var value = Data()
    var overflowed = false
    let done = DispatchSemaphore(value: 0)
}

/// `credential_process`: runs the command and reads `{"Version": 1, "AccessKeyId": …}`.
public struct ProcessCredentialProvider: CredentialProvider {
    /// The command line, split like a POSIX shell (as botocore's `shlex.split`).
    public var command: String
    /// The profile that names it (for messages).
    public var profile: String
    /// The runner.
    public var runner: any ProcessRunner
    /// The environment the command runs with.
    public var environment: [String: String]

    /// Creates the provider.
    public init(command: String, profile: String, runner: any ProcessRunner, environment: [String: String]) {
        self.command = command
        self.profile = profile
        self.runner = runner
        self.environment = environment
    }

    private struct Output: Decodable {
        var Version: Int?
        var AccessKeyId: String?
        var SecretAccessKey: String?
        var SessionToken: String?
        var Expiration: String?
    }

    /// Runs the command and parses its output.
    public func credentials() async throws -> AWSCredentials {
        let arguments = ShellWords.split(command)
        guard !arguments.isEmpty else {
            throw CredentialError(.invalidConfig, "profile '\(profile)' has an empty credential_process: set it to a command that prints credentials JSON")
        }
        let result: (status: Int32, stdout: Data, stderr: Data)
        do {
            result = try await runner.run(arguments, environment: environment)
        } catch let timeout as ProcessTimeout {
            throw CredentialError(.processFailed, "credential_process of profile '\(profile)' timed out: \(timeout) — run the command by hand to see what it waits for (a prompt, a browser login, the network)")
        } catch let flood as ProcessOutputTooLarge {
            throw CredentialError(.processFailed, "credential_process of profile '\(profile)' is not a credentials helper: \(flood) — it must print one small {\"Version\": 1, …} object; check the command in the config file")
        } catch {
            throw CredentialError(.processFailed, "credential_process of profile '\(profile)' could not start: \(error) — check the command in the config file")
        }
        guard result.status == 0 else {
            let stderr = String(decoding: result.stderr.prefix(500), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw CredentialError(.processFailed, "credential_process of profile '\(profile)' exited with status \(result.status): \(stderr) — run the command by hand to see why")
        }
        guard let output = try? JSONDecoder().decode(Output.self, from: result.stdout) else {
            throw CredentialError(.processFailed, "credential_process of profile '\(profile)' printed something that is not credentials JSON — it must print {\"Version\": 1, \"AccessKeyId\": …}")
        }
        guard output.Version == 1 else {
            throw CredentialError(.processFailed, "credential_process of profile '\(profile)' printed Version \(output.Version.map(String.init) ?? "none"): only Version 1 is supported — make it print {\"Version\": 1, \"AccessKeyId\": …, \"SecretAccessKey\": …}")
        }
        guard let keyId = output.AccessKeyId, let secret = output.SecretAccessKey else {
            throw CredentialError(.processFailed, "credential_process of profile '\(profile)' printed no AccessKeyId or SecretAccessKey — make it print both (and SessionToken for temporary keys)")
        }
        var expiration: Date?
        if let text = output.Expiration {
            guard let date = AWSTimestamp.parse(text) else {
                throw CredentialError(.processFailed, "credential_process of profile '\(profile)' printed an unreadable Expiration \"\(text)\": use ISO 8601")
            }
            expiration = date
        }
        return AWSCredentials(signing: SigningCredentials(accessKeyId: keyId, secretAccessKey: secret, sessionToken: output.SessionToken),
                              expiration: expiration, source: "credential_process (profile '\(profile)')")
    }
}

/// POSIX shell word splitting (quotes and backslashes), as Python's `shlex.split`.
public enum ShellWords {
    /// Splits a command line into words.
    public static func split(_ line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
                inWord = true
            } else if let open = quote {
                if character == open {
                    quote = nil
                } else if character == "\\" && open == "\"" {
                    escaped = true
                } else {
                    current.append(character)
                }
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" || character == "'" {
                quote = character
                inWord = true
            } else if character.isWhitespace {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }
}
