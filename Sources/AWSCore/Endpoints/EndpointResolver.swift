import Foundation

/// Where one service is called, and the region its requests are signed for.
public struct ResolvedEndpoint: Sendable, Equatable {
    /// `https`, or `http` for a local endpoint.
    public var scheme: String
    /// Host name or IP literal.
    public var host: String
    /// Explicit port (nil for the scheme's default).
    public var port: Int?
    /// A path prefix from a custom endpoint URL (`""` when none).
    public var basePath: String
    /// The region to sign for.
    public var signingRegion: String
    /// Where this endpoint came from (`--endpoint-url`, `AWS_ENDPOINT_URL_S3`, `standard`, …).
    public var source: String

    /// Creates an endpoint.
    public init(scheme: String, host: String, port: Int? = nil, basePath: String = "", signingRegion: String, source: String) {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.basePath = basePath
        self.signingRegion = signingRegion
        self.source = source
    }

    /// Whether this is a user-configured endpoint rather than AWS's standard one.
    public var isCustom: Bool { !source.hasPrefix("standard") }

    /// The Host header: the host plus the port unless it is the scheme's default.
    public var hostHeader: String {
        guard let port, !(scheme == "https" && port == 443), !(scheme == "http" && port == 80) else { return host }
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// `scheme://host[:port]basePath`.
    public var url: String { "\(scheme)://\(hostHeader)\(basePath)" }

    /// Whether the host is an IPv4 or IPv6 literal (S3 then uses path-style addressing).
    public var isIPAddress: Bool {
        host.contains(":") || (host.split(separator: ".").count == 4 && host.split(separator: ".").allSatisfy { UInt8($0) != nil })
    }
}

/// A bad endpoint URL or a missing region.
public struct EndpointError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The message.
    public var description: String
    /// Creates an error.
    public init(_ description: String) { self.description = description }
}

/// Resolves endpoints the way the AWS SDKs define it: `--endpoint-url`, then (unless
/// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` / `ignore_configured_endpoint_urls`)
/// `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the profile's `[services]` section,
/// the profile's `endpoint_url`; otherwise the partition's standard endpoint.
public struct EndpointResolver: Sendable {
    /// `--endpoint-url`, if given.
    public var commandLineURL: String?
    /// The process environment.
    public var environment: [String: String]
    /// The profile's settings.
    public var profile: INISection
    /// `[services name]` sections.
    public var servicesSections: [String: INISection]

    /// Creates a resolver.
    public init(commandLineURL: String?, environment: [String: String], profile: INISection, servicesSections: [String: INISection]) {
        self.commandLineURL = commandLineURL
        self.environment = environment
        self.profile = profile
        self.servicesSections = servicesSections
    }

    /// Whether configured endpoint URLs (environment and files) are ignored.
    public var ignoresConfiguredURLs: Bool {
        let value = environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] ?? profile.values["ignore_configured_endpoint_urls"]
        return value?.lowercased() == "true"
    }

    /// The custom URL for a service and where it came from, if any.
    public func configuredURL(for service: AWSServiceInfo) -> (url: String, source: String)? {
        if let url = commandLineURL, !url.isEmpty { return (url, "--endpoint-url") }
        guard !ignoresConfiguredURLs else { return nil }
        let serviceVariable = "AWS_ENDPOINT_URL_\(service.environmentSuffix)"
        if let url = environment[serviceVariable], !url.isEmpty { return (url, serviceVariable) }
        if let url = environment["AWS_ENDPOINT_URL"], !url.isEmpty { return (url, "AWS_ENDPOINT_URL") }
        if let sectionName = profile.values["services"], let section = servicesSections[sectionName],
           let url = section.nested[service.configKey]?["endpoint_url"], !url.isEmpty {
            return (url, "[services \(sectionName)] \(service.configKey).endpoint_url")
        }
        if let url = profile.values["endpoint_url"], !url.isEmpty { return (url, "profile endpoint_url") }
        return nil
    }

    /// The endpoint for a service in a region.
    public func resolve(_ service: AWSServiceInfo, region: String) throws(EndpointError) -> ResolvedEndpoint {
        if let (url, source) = configuredURL(for: service) {
            guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
                  scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty else {
                throw EndpointError("invalid endpoint URL \"\(url)\" from \(source): it needs http:// or https:// and a host — fix the URL")
            }
            var basePath = components.percentEncodedPath
            while basePath.hasSuffix("/") { basePath.removeLast() }
            let signingRegion = service.isGlobal ? Self.globalSigningRegion(region) : region
            return ResolvedEndpoint(scheme: scheme, host: host, port: components.port, basePath: basePath, signingRegion: signingRegion, source: source)
        }
        return Self.standard(service, region: region, fips: flag("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint"),
                             dualStack: flag("AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint"))
    }

    /// A boolean setting: the environment first, then the profile.
    func flag(_ variable: String, _ key: String) -> Bool {
        (environment[variable] ?? profile.values[key])?.lowercased() == "true"
    }

    /// AWS's own endpoint for a service and region, per partition.
    /// `fips` uses the `-fips` host; `dualStack` the IPv4+IPv6 host (`api.aws`, S3's `s3.dualstack`).
    public static func standard(_ service: AWSServiceInfo, region: String, fips: Bool = false, dualStack: Bool = false) -> ResolvedEndpoint {
        let suffix = dnsSuffix(region)
        var host: String
        var signingRegion = region
        if fips || dualStack {
            let prefix = service.endpointPrefix + (fips ? "-fips" : "")
            if service.endpointPrefix == "iam" {
                signingRegion = globalSigningRegion(region)
                host = partition(region) == "aws-us-gov" ? "iam.us-gov.amazonaws.com" : "\(prefix).\(suffix)"
            } else if dualStack && service.endpointPrefix == "s3" {
                host = "\(prefix).dualstack.\(region).\(suffix)"
            } else if dualStack {
                host = "\(prefix).\(region).\(partition(region) == "aws-cn" ? "api.amazonwebservices.com.cn" : "api.aws")"
            } else {
                host = "\(prefix).\(region).\(suffix)"
            }
            return ResolvedEndpoint(scheme: "https", host: host, signingRegion: signingRegion, source: fips ? "standard (FIPS)" : "standard (dual-stack)")
        }
        switch service.endpointPrefix {
        case "iam":
            signingRegion = globalSigningRegion(region)
            switch partition(region) {
            case "aws-cn": host = "iam.cn-north-1.amazonaws.com.cn"
            case "aws-us-gov": host = "iam.us-gov.amazonaws.com"
            default: host = "iam.\(suffix)"
            }
        case "s3" where region == "us-east-1":
            host = "s3.amazonaws.com"
        default:
            host = "\(service.endpointPrefix).\(region).\(suffix)"
        }
        return ResolvedEndpoint(scheme: "https", host: host, signingRegion: signingRegion, source: "standard")
    }

    /// The partition of a region: `aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, `aws-iso-b`.
    public static func partition(_ region: String) -> String {
        if region.hasPrefix("cn-") { return "aws-cn" }
        if region.hasPrefix("us-gov-") { return "aws-us-gov" }
        if region.hasPrefix("us-isob-") { return "aws-iso-b" }
        if region.hasPrefix("us-iso-") { return "aws-iso" }
        return "aws"
    }

    /// The DNS suffix of a region's partition.
    public static func dnsSuffix(_ region: String) -> String {
        switch partition(region) {
        case "aws-cn": "amazonaws.com.cn"
        case "aws-iso": "c2s.ic.gov"
        case "aws-iso-b": "sc2s.sgov.gov"
        default: "amazonaws.com"
        }
    }

    /// The region global services sign for in a partition.
    public static func globalSigningRegion(_ region: String) -> String {
        switch partition(region) {
        case "aws-cn": "cn-north-1"
        case "aws-us-gov": "us-gov-west-1"
        case "aws-iso": "us-iso-east-1"
        case "aws-iso-b": "us-isob-east-1"
        default: "us-east-1"
        }
    }
}
