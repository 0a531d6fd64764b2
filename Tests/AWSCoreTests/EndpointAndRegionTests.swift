@testable import AWSCore
import Foundation
import Testing

/// Region precedence and the SDKs' endpoint rules.
@Suite struct EndpointAndRegionTests {
    @Test func regionPrecedence() throws {
        let profile = INISection(values: ["region": "eu-west-1"])
        #expect(try RegionResolver.resolve(commandLine: "us-west-2", environment: ["AWS_REGION": "x"], profile: "p", settings: profile).0 == "us-west-2")
        #expect(try RegionResolver.resolve(commandLine: nil, environment: ["AWS_REGION": "ap-south-1", "AWS_DEFAULT_REGION": "b"], profile: "p", settings: profile).0 == "ap-south-1")
        #expect(try RegionResolver.resolve(commandLine: nil, environment: ["AWS_DEFAULT_REGION": "ca-central-1"], profile: "p", settings: profile).0 == "ca-central-1")
        #expect(try RegionResolver.resolve(commandLine: nil, environment: [:], profile: "p", settings: profile).1 == "profile 'p' region")
        #expect(throws: EndpointError.self) { try RegionResolver.resolve(commandLine: nil, environment: [:], profile: "p", settings: INISection()) }
    }

    @Test func standardEndpointsPerPartition() {
        #expect(EndpointResolver.standard(.serviceCatalog, region: "eu-west-1").url == "https://servicecatalog.eu-west-1.amazonaws.com")
        #expect(EndpointResolver.standard(.sts, region: "cn-north-1").url == "https://sts.cn-north-1.amazonaws.com.cn")
        #expect(EndpointResolver.standard(.iam, region: "eu-west-1").url == "https://iam.amazonaws.com")
        #expect(EndpointResolver.standard(.iam, region: "eu-west-1").signingRegion == "us-east-1")
        #expect(EndpointResolver.standard(.iam, region: "us-gov-east-1").url == "https://iam.us-gov.amazonaws.com")
        #expect(EndpointResolver.standard(.iam, region: "cn-northwest-1").signingRegion == "cn-north-1")
        #expect(EndpointResolver.standard(.s3, region: "us-east-1").url == "https://s3.amazonaws.com")
        #expect(EndpointResolver.standard(.s3, region: "eu-west-1").url == "https://s3.eu-west-1.amazonaws.com")
    }

    @Test func configuredEndpointPrecedence() throws {
        let profile = INISection(values: ["endpoint_url": "http://profile:1", "services": "local"])
        let services = ["local": INISection(nested: ["service_catalog": ["endpoint_url": "http://section:2"]])]
        func resolver(_ cli: String?, _ env: [String: String]) -> EndpointResolver {
            EndpointResolver(commandLineURL: cli, environment: env, profile: profile, servicesSections: services)
        }
        let env = ["AWS_ENDPOINT_URL_SERVICE_CATALOG": "http://svc-env:3", "AWS_ENDPOINT_URL": "http://env:4"]
        #expect(try resolver("http://cli:5", env).resolve(.serviceCatalog, region: "us-east-1").url == "http://cli:5")
        #expect(try resolver(nil, env).resolve(.serviceCatalog, region: "us-east-1").url == "http://svc-env:3")
        #expect(try resolver(nil, ["AWS_ENDPOINT_URL": "http://env:4"]).resolve(.serviceCatalog, region: "us-east-1").url == "http://env:4")
        #expect(try resolver(nil, [:]).resolve(.serviceCatalog, region: "us-east-1").url == "http://section:2")
        #expect(try resolver(nil, [:]).resolve(.ssm, region: "us-east-1").url == "http://profile:1")
        let ignoring = resolver(nil, env.merging(["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"]) { $1 })
        #expect(try ignoring.resolve(.serviceCatalog, region: "us-east-1").source == "standard")
        let ignoringWithCLI = EndpointResolver(commandLineURL: "http://cli:5", environment: ["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"], profile: profile, servicesSections: services)
        #expect(try ignoringWithCLI.resolve(.ssm, region: "us-east-1").url == "http://cli:5")
    }

    @Test func customEndpointKeepsPortAndDropsDefaultPort() throws {
        let endpoint = try EndpointResolver(commandLineURL: "https://example.com:443/base/", environment: [:], profile: INISection(), servicesSections: [:])
            .resolve(.ssm, region: "eu-west-1")
        #expect(endpoint.hostHeader == "example.com")
        #expect(endpoint.basePath == "/base")
        let local = try EndpointResolver(commandLineURL: "http://127.0.0.1:4566", environment: [:], profile: INISection(), servicesSections: [:])
            .resolve(.s3, region: "eu-west-1")
        #expect(local.hostHeader == "127.0.0.1:4566")
        #expect(local.isIPAddress)
        #expect(throws: EndpointError.self) {
            try EndpointResolver(commandLineURL: "localhost:4566", environment: [:], profile: INISection(), servicesSections: [:]).resolve(.s3, region: "x")
        }
    }

    @Test func fipsAndDualStackEndpoints() throws {
        func resolve(_ service: AWSServiceInfo, _ env: [String: String], profile: [String: String] = [:], region: String = "us-east-1") throws -> ResolvedEndpoint {
            try EndpointResolver(commandLineURL: nil, environment: env, profile: INISection(values: profile), servicesSections: [:]).resolve(service, region: region)
        }
        #expect(try resolve(.serviceCatalog, ["AWS_USE_FIPS_ENDPOINT": "true"]).host == "servicecatalog-fips.us-east-1.amazonaws.com")
        #expect(try resolve(.sts, [:], profile: ["use_fips_endpoint": "true"], region: "us-gov-west-1").host == "sts-fips.us-gov-west-1.amazonaws.com")
        #expect(try resolve(.iam, ["AWS_USE_FIPS_ENDPOINT": "true"]).host == "iam-fips.amazonaws.com")
        #expect(try resolve(.s3, ["AWS_USE_DUALSTACK_ENDPOINT": "true"], region: "eu-west-1").host == "s3.dualstack.eu-west-1.amazonaws.com")
        #expect(try resolve(.ssm, ["AWS_USE_DUALSTACK_ENDPOINT": "true"], region: "eu-west-1").host == "ssm.eu-west-1.api.aws")
        #expect(try resolve(.s3, ["AWS_USE_FIPS_ENDPOINT": "true"]).isCustom == false)
    }
}
