import Foundation

/// Child processes for tests: posix_spawn and waitpid, since Foundation's `Process` cannot be
/// waited on reliably on Linux when the child leaves a daemon running.
public enum ChildProcess {
    /// Starts `path` with arguments and exactly `environment` (plus PATH when it lacks one).
    /// stdin is /dev/null; stdout goes to `stdout`; stderr to `stderr`, or to the same file when nil.
    public static func spawn(_ path: String, _ arguments: [String], environment: [String: String],
                             stdout: String = "/dev/null", stderr: String? = nil) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if let stderr {
            posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        var full = environment
        if full["PATH"] == nil { full["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin" }
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = full.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, nil, argv, envp)
        guard spawned == 0 else { throw FixtureError("cannot run \(path): \(String(cString: strerror(spawned)))") }
        return pid
    }

    /// Runs `path` to completion; returns its exit code (128 + signal when killed).
    public static func run(_ path: String, _ arguments: [String], environment: [String: String],
                           stdout: String = "/dev/null", stderr: String? = nil) throws -> Int32 {
        let status = wait(try spawn(path, arguments, environment: environment, stdout: stdout, stderr: stderr))
        // WEXITSTATUS without the macro: the exit code sits in bits 8–15 of a normal exit.
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// Waits for a child; returns its raw wait status.
    public static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return status
    }
}
