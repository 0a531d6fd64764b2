import AWSCore
import Foundation
import VendModel

extension ReadWorkflows {
    /// `vend doctor --probe`: for every consumer of vend.yaml, its probe line (after the checks).
    public func probe(options: ProbeOptions = .init()) async throws -> [DoctorCheck] {
        let config = workspace.config
        let central = try? await resolver.resolve(.init(label: "central", profile: config.central.profile, region: region,
                                                        expectedAccountId: config.central.accountId))
        // Each consumer probes every domain it reads through an active subscription (the link of a
        // consumer-onboarding from before subscriptions is probed too).
        let views = (try? await subscriptions(clock: SystemClock()).views) ?? []
        var lines: [DoctorCheck] = []
        for consumer in config.consumers {
            let domain = consumer.domain ?? consumer.profile
            let context = try await resolver.resolve(.init(label: "consumer \(domain)", profile: consumer.profile, region: region,
                                                           expectedAccountId: consumer.accountId))
            let links = Dictionary(views.filter { $0.subscription.consumer == domain && $0.derived.state == .active }
                .map { ($0.subscription.domain, MeshRules.linkName(of: $0.subscription.domain)) }, uniquingKeysWith: { first, _ in first })
            lines += await Doctor.probe(domain: domain, links: links, consumer: context, central: central, resolver: resolver,
                                        centralId: config.central.accountId, options: options)
        }
        return lines
    }

    /// `vend doctor --fix`: re-makes, in every account of vend.yaml (central first), the grants and
    /// resource links vend's provisioned products declare and the account lacks. With `apply` false,
    /// says what it would make. The mesh-as-code `apply` calls the same `MeshRepair.repair` per account.
    public func fix(apply: Bool = true) async throws -> [MeshRepair.Repair] {
        var repairs: [MeshRepair.Repair] = []
        for target in accounts {
            let context = try await resolver.resolve(.init(label: target.label, profile: target.account.profile, region: region,
                                                           expectedAccountId: target.account.accountId))
            repairs += try await MeshRepair.repair(context, workspace: workspace.products, apply: apply)
        }
        return repairs
    }
}
