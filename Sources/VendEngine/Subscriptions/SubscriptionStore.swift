import AWSCore
import AWSServices
import Foundation
import VendModel

/// Requests and decisions as SSM parameters, each in the account of whoever made it (design
/// note §2–3): a request at `/vend/requests/<consumer>/<domain>` in the consumer's account,
/// written by the RequestAccess service action; a decision at
/// `/vend/decisions/<consumer account>/<consumer>/<domain>` in the decider's account (the
/// producer domain's or central's), written by `approve`, `reject` and `unsubscribe`.
///
/// Assumptions (AWS): PutParameter with `Overwrite` makes a new version and answers its number;
/// DescribeParameters answers each parameter's `Version`, `LastModifiedDate` and
/// `LastModifiedUser` — the ARN of the principal that wrote the version, an assumed-role
/// session as `arn:aws:sts::<account>:assumed-role/<role>/<session>`
/// ("PutParameter", https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html;
/// "ParameterMetadata", https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_ParameterMetadata.html).
/// A parameter can only be written in the caller's own account, so where a request or decision
/// lies is what AWS vouches for; anything its value says about accounts is ignored.
public struct SubscriptionStore: Sendable {
    /// SSM in one account.
    public var ssm: any SSMClient
    /// That account's id (verified by the resolver).
    public var accountId: String

    /// Creates a store over one account's parameters.
    public init(ssm: any SSMClient, accountId: String) {
        self.ssm = ssm
        self.accountId = accountId
    }

    /// Where requests live.
    public static let requestsPath = "/vend/requests"
    /// Where decisions live.
    public static let decisionsPath = "/vend/decisions"

    /// A request's parameter name.
    public static func requestName(_ pair: Subscription) -> String { "\(requestsPath)/\(pair.consumer)/\(pair.domain)" }
    /// A decision's parameter name.
    public static func decisionName(_ pair: Subscription, consumerAccount: String) -> String {
        "\(decisionsPath)/\(consumerAccount)/\(pair.consumer)/\(pair.domain)"
    }

    /// The last day of access as the request writes it (`YYYY-MM-DD`) to the instant it ends: the
    /// end of that day in UTC.
    public static func endOfDay(_ text: String) -> Date? {
        guard text.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) != nil else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .gmt
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, let start = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])),
              calendar.component(.day, from: start) == parts[2] else { return nil }
        return start.addingTimeInterval(86_400 - 1)
    }

    /// `YYYY-MM-DD` of an end-of-day instant.
    public static func day(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .gmt
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    /// The value RequestAccess writes (`products/consumer-onboarding/actions/request-access.yaml`).
    struct RequestValue: Decodable {
        var reason: String?
        var until: String?
        var requestedBy: String?

        enum CodingKeys: String, CodingKey {
            case reason, until
            case requestedBy = "requestedBy(unverified)"
        }
    }

    /// The value a decision holds.
    struct DecisionValue: Codable {
        var requestVersion: Int
        var decision: String
        var reason: String
    }

    /// The requests of the given consumer domains held in this account. A parameter under another
    /// consumer's name is not read: that consumer's requests are only read in its own account.
    public func requests(consumers: Set<String>) async throws -> [SubscriptionRequest] {
        try await parameters(under: Self.requestsPath).compactMap { entry in
            let parts = entry.name.dropFirst(Self.requestsPath.count + 1).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, consumers.contains(parts[0]) else { return nil }
            let value = try? JSONDecoder().decode(RequestValue.self, from: Data(entry.value.utf8))
            return SubscriptionRequest(subscription: .init(consumer: parts[0], domain: parts[1]), account: accountId, version: entry.version,
                                       reason: value?.reason ?? "", until: value?.until.flatMap { $0.isEmpty ? nil : Self.endOfDay($0) },
                                       requestedByUnverified: value?.requestedBy ?? "", writer: entry.user, requestedAt: entry.date)
        }
    }

    /// The decisions held in this account on the given consumer accounts' pairs.
    public func decisions(consumerAccounts: Set<String>) async throws -> [(consumerAccount: String, decision: SubscriptionDecision)] {
        try await parameters(under: Self.decisionsPath).compactMap { entry in
            let parts = entry.name.dropFirst(Self.decisionsPath.count + 1).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3, consumerAccounts.contains(parts[0]),
                  let value = try? JSONDecoder().decode(DecisionValue.self, from: Data(entry.value.utf8)),
                  let verdict = SubscriptionDecision.Verdict(rawValue: value.decision) else { return nil }
            return (parts[0], SubscriptionDecision(subscription: .init(consumer: parts[1], domain: parts[2]), requestVersion: value.requestVersion,
                                                   verdict: verdict, reason: value.reason, decidedBy: entry.user, decidedAt: entry.date))
        }
    }

    /// Writes a decision (a new version of the pair's decision parameter).
    public func write(_ verdict: SubscriptionDecision.Verdict, on pair: Subscription, consumerAccount: String, requestVersion: Int, reason: String) async throws {
        let value = DecisionValue(requestVersion: requestVersion, decision: verdict.rawValue, reason: reason)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(value), as: UTF8.self)
        _ = try await ssm.putParameter(.init(Name: Self.decisionName(pair, consumerAccount: consumerAccount),
                                             Description: "vend: decision on \(pair.consumer) reading \(pair.domain)",
                                             Value: text, Type: "String", Overwrite: true))
    }

    /// One parameter: its name, value and the metadata AWS keeps.
    struct Entry {
        var name: String
        var value: String
        var version: Int
        var user: String
        var date: Date?
    }

    /// Every parameter under `path`, values joined with their metadata by name.
    func parameters(under path: String) async throws -> [Entry] {
        var metadata: [String: SSM.ParameterMetadata] = [:]
        var token: String?
        repeat {
            let page = try await ssm.describeParameters(.init(ParameterFilters: [.init(Key: "Path", Option: "Recursive", Values: [path])], NextToken: token))
            for item in page.Parameters ?? [] { if let name = item.Name { metadata[name] = item } }
            token = page.NextToken
        } while token?.isEmpty == false
        var entries: [Entry] = []
        token = nil
        repeat {
            let page = try await ssm.getParametersByPath(.init(Path: path, Recursive: true, NextToken: token))
            for parameter in page.Parameters ?? [] {
                guard let name = parameter.Name, let value = parameter.Value else { continue }
                // The writer is known only when both answers describe the same version (a write
                // between the two calls leaves it unknown, and an unknown decider is no owner).
                let meta = metadata[name].flatMap { $0.Version == parameter.Version ? $0 : nil }
                entries.append(Entry(name: name, value: value, version: parameter.Version ?? 0, user: meta?.LastModifiedUser ?? "",
                                     date: parameter.LastModifiedDate ?? meta?.LastModifiedDate))
            }
            token = page.NextToken
        } while token?.isEmpty == false
        return entries.sorted { $0.name < $1.name }
    }
}
