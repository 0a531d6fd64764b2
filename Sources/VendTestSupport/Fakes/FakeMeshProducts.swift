import AWSServices
import Foundation

/// What the repository's mesh products do on the fakes, whose CloudFormation runs no template:
/// the outputs each template gives from its parameters, and RequestAccess writing the request
/// parameter in the consumer's account as the product's launch role (the action's document,
/// products/consumer-onboarding/actions/request-access.yaml).
extension FakeCloud {
    /// Registers the mesh products' outputs and the RequestAccess action.
    public func behaveLikeMeshProducts() {
        outputs(product: "producer-onboarding") { launch in ["BucketName": "vend-\(launch.parameters["DomainName"] ?? "")-\(launch.account)"] }
        outputs(product: "producer-registration") { launch in
            ["DatabaseName": launch.parameters["DatabaseName"] ?? "", "CrawlerRoleArn": "arn:aws:iam::\(launch.account):role/vend-crawler",
             "LocationArn": "arn:aws:s3:::\(launch.parameters["ProducerBucketName"] ?? "")"]
        }
        outputs(product: "consumer-registration") { launch in
            ["ConsumerAccountId": launch.parameters["ConsumerAccountId"] ?? "", "GrantedTagExpression": "domain=\(launch.parameters["DomainTagValue"] ?? "")",
             "CentralCatalogId": launch.account]
        }
        outputs(product: "consumer-onboarding") { launch in
            var outputs = ["WorkGroupName": "vend-\(launch.parameters["DomainName"] ?? "")",
                           "ProbeRoleArn": "arn:aws:iam::\(launch.account):role/vend-probe-\(launch.parameters["DomainName"] ?? "")"]
            // The legacy link output only while the template's HoldsLegacySubscription condition holds.
            if let database = launch.parameters["SharedDatabaseName"], !database.isEmpty { outputs["ResourceLinkName"] = "\(database)_link" }
            return outputs
        }
        outputs(product: "consumer-link") { launch in
            ["ResourceLinkName": "\(launch.parameters["SharedDatabaseName"] ?? "")_link",
             "VendKey": "link:\(launch.account):\(launch.parameters["DomainTagValue"] ?? "")"]
        }
        outputs(product: "analyst-access") { launch in
            ["VendKey": "access:\(launch.parameters["PrincipalArn"] ?? ""):\(launch.parameters["DomainTagValue"] ?? "")"]
        }
        onServiceAction("consumer-onboarding-RequestAccess") { [self] execution in
            let consumer = execution.parameters["ConsumerDomain"] ?? ""
            let domain = execution.parameters["ProducerDomain"] ?? ""
            let value: [String: String] = ["consumer": consumer, "domain": domain, "reason": execution.parameters["Reason"] ?? "",
                                           "until": execution.parameters["Until"] ?? "", "requestedBy(unverified)": execution.parameters["RequestedBy"] ?? "",
                                           "execution": "fake-\(execution.provisionedProductId)"]
            let text = String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]), as: UTF8.self)
            let name = "/vend/requests/\(consumer)/\(domain)"
            let version = setParameter(name, value: text, account: execution.account, region: execution.region,
                                       writer: "arn:aws:sts::\(execution.account):assumed-role/VendConsumerOnboardingLaunchRole/AWS-SSM-Automation")
            // The document's outputs, as a service action's record carries them (<step>.<output>).
            return ["ReadRequest.RequestParameter": name, "WriteRequest.RequestVersion": "\(version)"]
        }
    }

    /// Writes a parameter as `writer` would with PutParameter and Overwrite (a new version), without
    /// a client: for behaviours that run inside the cloud. Returns the version.
    @discardableResult
    public func setParameter(_ name: String, value: String, account: String, region: String = "us-east-1", writer: String) -> Int {
        withState { state in
            let scope = FakeState.Scope(account: account, region: region)
            var ssm = state.ssm[scope] ?? FakeSSMState()
            let version = (ssm.parameters[name]?.version ?? 0) + 1
            ssm.parameters[name] = .init(value: value, type: "String", version: version, user: writer, date: state.now())
            state.ssm[scope] = ssm
            return version
        }
    }
}
