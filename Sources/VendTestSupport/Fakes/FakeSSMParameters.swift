import AWSCore
import AWSServices
import Foundation

/// SSM Parameter Store in one account and region, as the AWS pages describe it: a name is a
/// path; PutParameter creates version 1 and, with `Overwrite`, each later version; the writer's
/// ARN is `LastModifiedUser` (an assumed-role session as its `sts` ARN); GetParametersByPath
/// and DescribeParameters (filter `Path`, option `OneLevel` or `Recursive`) page their answers.
extension FakeSSM {
    /// PutParameter: ParameterAlreadyExists without Overwrite; a name given as an ARN must be this
    /// account's ("PutParameter", https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html).
    public func putParameter(_ input: SSM.PutParameterRequest) async throws -> SSM.PutParameterResult {
        try call("PutParameter") { ssm, state in
            var name = input.Name
            if name.hasPrefix("arn:") {
                let fields = name.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
                guard fields.count == 6, fields[4] == context.account, fields[5].hasPrefix("parameter/") else {
                    throw FakeError.make("ValidationException", "Parameter ARN \(name) is not a parameter of account \(context.account)")
                }
                name = "/" + fields[5].dropFirst("parameter/".count)
            }
            var version = 1
            if let existing = ssm.parameters[name] {
                guard input.Overwrite == true else {
                    throw FakeError.make("ParameterAlreadyExists", "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.")
                }
                version = existing.version + 1
            }
            ssm.parameters[name] = .init(value: input.Value, type: input.Type ?? "String", version: version, user: context.caller, date: state.now())
            return SSM.PutParameterResult(Version: version, Tier: "Standard")
        }
    }

    /// GetParametersByPath: the parameters under `Path` (one level unless `Recursive`), ten a page.
    public func getParametersByPath(_ input: SSM.GetParametersByPathRequest) async throws -> SSM.GetParametersByPathResult {
        try call("GetParametersByPath") { ssm, _ in
            let found = Self.under(input.Path, recursive: input.Recursive == true, in: ssm)
            let page = try context.cloud.page(found, token: input.NextToken, size: min(input.MaxResults ?? 10, 10))
            return .init(Parameters: page.items.map { name, parameter in
                SSM.Parameter(Name: name, Type: parameter.type, Value: parameter.value, Version: parameter.version, LastModifiedDate: parameter.date,
                              ARN: "arn:aws:ssm:\(context.region):\(context.account):parameter\(name)", DataType: "text")
            }, NextToken: page.next)
        }
    }

    /// DescribeParameters with a `Path` filter: each parameter's metadata, with `LastModifiedUser`.
    public func describeParameters(_ input: SSM.DescribeParametersRequest) async throws -> SSM.DescribeParametersResult {
        try call("DescribeParameters") { ssm, _ in
            let path = input.ParameterFilters?.first { $0.Key == "Path" }
            let found = path.map { Self.under($0.Values?.first ?? "/", recursive: $0.Option == "Recursive", in: ssm) }
                ?? ssm.parameters.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            let page = try context.cloud.page(found, token: input.NextToken, size: min(input.MaxResults ?? 50, 50))
            return .init(Parameters: page.items.map { name, parameter in
                SSM.ParameterMetadata(Name: name, ARN: "arn:aws:ssm:\(context.region):\(context.account):parameter\(name)", Type: parameter.type,
                                      LastModifiedDate: parameter.date, LastModifiedUser: parameter.user, Version: parameter.version,
                                      Tier: "Standard", DataType: "text")
            }, NextToken: page.next)
        }
    }

    static func under(_ path: String, recursive: Bool, in ssm: FakeSSMState) -> [(String, FakeSSMState.Parameter)] {
        let prefix = path.hasSuffix("/") ? path : path + "/"
        return ssm.parameters.filter { name, _ in
            guard name.hasPrefix(prefix) else { return false }
            return recursive || !name.dropFirst(prefix.count).contains("/")
        }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
