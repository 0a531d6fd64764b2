import Foundation

/// The AWS CLI's `config` and `credentials` files, merged the way botocore merges them:
/// `[profile x]` (or `[default]`) in config, `[x]` in credentials, credentials winning.
public struct SharedConfig: Sendable, Equatable {
    /// Profiles by name, both files merged.
    public var profiles: [String: INISection]
    /// `[sso-session name]` sections.
    public var ssoSessions: [String: INISection]
    /// `[services name]` sections.
    public var services: [String: INISection]
    /// Profiles as the credentials file alone defines them (its keys come before
    /// `credential_process` in the chain, the config file's after).
    public var credentialsFileProfiles: [String: INISection] = [:]
    /// Where the config file was looked for.
    public var configPath: String
    /// Where the credentials file was looked for.
    public var credentialsPath: String

    /// Creates a config from its parts.
    public init(profiles: [String: INISection] = [:], ssoSessions: [String: INISection] = [:], services: [String: INISection] = [:],
                configPath: String = "", credentialsPath: String = "") {
        self.profiles = profiles
        self.ssoSessions = ssoSessions
        self.services = services
        self.configPath = configPath
        self.credentialsPath = credentialsPath
    }

    /// One setting of a profile, if set and not empty.
    public func value(_ key: String, profile: String) -> String? {
        guard let value = profiles[profile]?.values[key], !value.isEmpty else { return nil }
        return value
    }

    /// The home directory as the environment gives it.
    static func home(_ environment: [String: String]) -> String {
        environment["HOME"] ?? environment["USERPROFILE"] ?? NSHomeDirectory()
    }

    /// Expands a leading `~`.
    static func expand(_ path: String, environment: [String: String]) -> String {
        if path == "~" { return home(environment) }
        if path.hasPrefix("~/") { return home(environment) + path.dropFirst() }
        return path
    }

    /// Loads both files from `AWS_CONFIG_FILE` / `AWS_SHARED_CREDENTIALS_FILE` or `~/.aws/`.
    /// Missing files are empty; unreadable lines are errors.
    public static func load(environment: [String: String], fileSystem: any AWSFileSystem) throws(INIParseError) -> SharedConfig {
        func setting(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let configPath = expand(setting("AWS_CONFIG_FILE") ?? "~/.aws/config", environment: environment)
        let credentialsPath = expand(setting("AWS_SHARED_CREDENTIALS_FILE") ?? "~/.aws/credentials", environment: environment)
        var result = SharedConfig(configPath: configPath, credentialsPath: credentialsPath)
        for path in [configPath, credentialsPath] where fileSystem.isDirectory(atPath: path) {
            throw INIParseError(path: path, line: 0, reason: "it is a folder, not a file")
        }
        if let data = fileSystem.contents(atPath: configPath) {
            let file = try INIParser.parse(try INIParseError.text(data, path: configPath), path: configPath)
            for (name, section) in file.sections {
                // `[profile my name]`: the first word is the kind, the rest (spaces included) the name.
                let parts = name.split(maxSplits: 1, whereSeparator: { $0 == " " || $0 == "\t" })
                    .map { $0.trimmingCharacters(in: .whitespaces) }
                if parts.count == 2 && parts[0] == "profile" {
                    result.profiles[parts[1]] = merged(result.profiles[parts[1]], section)
                } else if parts.count == 2 && parts[0] == "sso-session" {
                    result.ssoSessions[parts[1]] = section
                } else if parts.count == 2 && parts[0] == "services" {
                    result.services[parts[1]] = section
                } else if name == "default" {
                    // `[profile default]` wins over `[default]`, as in botocore.
                    result.profiles["default"] = merged(section, result.profiles["default"])
                }
            }
        }
        if let data = fileSystem.contents(atPath: credentialsPath) {
            let file = try INIParser.parse(try INIParseError.text(data, path: credentialsPath), path: credentialsPath)
            for (name, section) in file.sections {
                result.profiles[name] = merged(result.profiles[name], section)
                result.credentialsFileProfiles[name] = section
            }
        }
        return result
    }

    /// `overlay`'s keys replace `base`'s.
    private static func merged(_ base: INISection?, _ overlay: INISection?) -> INISection {
        var out = base ?? INISection()
        for (key, value) in overlay?.values ?? [:] { out.values[key] = value }
        for (key, value) in overlay?.nested ?? [:] { out.nested[key] = value }
        return out
    }
}
