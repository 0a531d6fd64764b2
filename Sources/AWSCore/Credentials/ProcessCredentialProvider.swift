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
/// and stall.
public struct LocalProcessRunner: ProcessRunner {
    /// Creates the live runner.
    public init() {}

    /// Runs the program to completion.
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
        async let stdout = Self.drain(out.fileHandleForReading)
        async let stderr = Self.drain(err.fileHandleForReading)
        let (outData, errData) = await (stdout, stderr)
        let status: Int32 = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                process.waitUntilExit()
                continuation.resume(returning: process.terminationStatus)
            }
        }
        return (status, outData, errData)
    }

    /// Reads a pipe to its end on a dedicated thread.
    static func drain(_ handle: FileHandle) async -> Data {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: handle.readDataToEndOfFile()) }
        }
    }
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
            throw CredentialError(.processFailed, "credential_process of profile '\(profile)' printed Version \(output.Version.map(String.init) ?? "none"): only Version 1 is supported")
        }
        guard let keyId = output.AccessKeyId, let secret = output.SecretAccessKey else {
            throw CredentialError(.processFailed, "credential_process of profile '\(profile)' printed no AccessKeyId or SecretAccessKey")
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
