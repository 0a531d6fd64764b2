import Foundation
import VendModel

/// The mesh as a picture: accounts as boxes holding their domains, and one arrow per subscription
/// from the producer domain to the consumer domain that reads it, labelled with its state. Mermaid
/// renders in GitHub READMEs and pull requests; DOT is for Graphviz.
public enum MeshGraph {
    /// The output language.
    public enum Format: String, Sendable, CaseIterable {
        case mermaid, dot
    }

    /// The picture of `config`'s accounts and domains with `views`' subscriptions.
    public static func render(_ config: MeshConfig, views: [SubscriptionView], format: Format) -> String {
        switch format {
        case .mermaid: return mermaid(config, views)
        case .dot: return dot(config, views)
        }
    }

    /// Accounts in vend.yaml's order (central, producers, consumers), each once, with its domains.
    static func accounts(_ config: MeshConfig) -> [(id: String, title: String, producers: [MeshConfig.Account], consumers: [MeshConfig.Account])] {
        var order: [String] = [config.central.accountId]
        for account in config.producers + config.consumers where !order.contains(account.accountId) { order.append(account.accountId) }
        return order.map { id in
            let producers = config.producers.filter { $0.accountId == id }
            let consumers = config.consumers.filter { $0.accountId == id }
            var roles: [String] = []
            if id == config.central.accountId { roles.append("central") }
            if !producers.isEmpty { roles.append("producer") }
            if !consumers.isEmpty { roles.append("consumer") }
            return (id, "\(roles.joined(separator: " + ")) \(id)", producers, consumers)
        }
    }

    static func producerLabel(_ account: MeshConfig.Account) -> String {
        "\(account.domain ?? "") (approval \(account.approval.rawValue))"
    }

    static func node(_ prefix: String, _ domain: String) -> String {
        prefix + "_" + domain.replacingOccurrences(of: "-", with: "_")
    }

    static func mermaid(_ config: MeshConfig, _ views: [SubscriptionView]) -> String {
        var lines = ["flowchart LR"]
        for account in accounts(config) {
            lines.append("  subgraph a\(account.id)[\"\(account.title)\"]")
            if account.id == config.central.accountId { lines.append("    catalog[(\"catalog \(config.portfolio.name)\")]") }
            for producer in account.producers { lines.append("    \(node("p", producer.domain ?? ""))[\"\(producerLabel(producer))\"]") }
            for consumer in account.consumers { lines.append("    \(node("c", consumer.domain ?? ""))([\"\(consumer.domain ?? "")\"])") }
            lines.append("  end")
        }
        for producer in config.producers { lines.append("  \(node("p", producer.domain ?? "")) -.-> catalog") }
        for view in views {
            let from = node("p", view.subscription.domain), to = node("c", view.subscription.consumer)
            let arrow: String
            switch view.derived.state {
            case .active: arrow = "==>"
            case .approved, .pending: arrow = "-.->"
            case .rejected, .revoked, .expired: arrow = "--x"
            }
            lines.append("  \(from) \(arrow)|\(view.derived.label)| \(to)")
        }
        return lines.joined(separator: "\n")
    }

    static func dot(_ config: MeshConfig, _ views: [SubscriptionView]) -> String {
        var lines = ["digraph mesh {", "  rankdir=LR;", "  node [shape=box, fontname=\"Helvetica\"];"]
        for account in accounts(config) {
            lines.append("  subgraph cluster_\(account.id) {")
            lines.append("    label=\"\(account.title)\";")
            if account.id == config.central.accountId { lines.append("    catalog [label=\"catalog \(config.portfolio.name)\", shape=cylinder];") }
            for producer in account.producers { lines.append("    \(node("p", producer.domain ?? "")) [label=\"\(producerLabel(producer))\"];") }
            for consumer in account.consumers { lines.append("    \(node("c", consumer.domain ?? "")) [label=\"\(consumer.domain ?? "")\", shape=ellipse];") }
            lines.append("  }")
        }
        for producer in config.producers { lines.append("  \(node("p", producer.domain ?? "")) -> catalog [style=dotted, arrowhead=none];") }
        for view in views {
            let style: String
            switch view.derived.state {
            case .active: style = "style=bold"
            case .approved, .pending: style = "style=dashed"
            case .rejected, .revoked, .expired: style = "style=dotted, color=gray"
            }
            lines.append("  \(node("p", view.subscription.domain)) -> \(node("c", view.subscription.consumer)) [label=\"\(view.derived.label)\", \(style)];")
        }
        lines.append("}")
        return lines.joined(separator: "\n")
    }
}
