import AWSCore
import AWSServices
import Foundation
import Testing

/// STS through every profile, and an assume-role chain resolved by vend's credential chain.
@Suite(.enabled(if: LocalCloudProfiles.isConfigured, LocalCloudProfiles.skipReason))
struct IdentityIntegrationTests {
    @Test(arguments: ["central", "producer", "consumer"])
    func callerIdentityMatchesTheProfilesAccount(profile: String) async throws {
        let identity = try await LocalCloudProfiles.clients(profile).sts.getCallerIdentity()
        #expect(identity.Account == LocalCloudProfiles.accounts[profile])
        #expect(identity.Arn.hasPrefix("arn:aws:"))
    }

    @Test func assumeRoleProfileLandsInTheRolesAccount() async throws {
        let source = try #require(LocalCloudProfiles.configDirectory)
        let directory = NSTemporaryDirectory() + LocalCloudProfiles.unique("vend-lc-config")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var config = try String(contentsOfFile: "\(source)/config", encoding: .utf8)
        config += "\n[profile producer-admin]\nrole_arn = arn:aws:iam::222222222222:role/VendIntegration\nsource_profile = central\nrole_session_name = vend-it\nregion = us-east-1\n"
        try config.write(toFile: "\(directory)/config", atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: "\(source)/credentials", toPath: "\(directory)/credentials")
        // The assumed profile has no endpoint_url of its own: point every service at the local cloud.
        let endpoint = try LocalCloudProfiles.session("central").serviceClient(.sts).endpoint.url
        let session = try LocalCloudProfiles.session("producer-admin", configDirectory: directory, extraEnvironment: ["AWS_ENDPOINT_URL": endpoint])
        #expect(session.credentialSource.contains("assume role arn:aws:iam::222222222222:role/VendIntegration"))
        let identity = try await LiveSTSClient(session: session).getCallerIdentity()
        #expect(identity.Account == "222222222222")
        #expect(identity.Arn.contains("VendIntegration"))
    }
}
