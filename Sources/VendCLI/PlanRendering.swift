import VendEngine

/// How plans and publish results are shown: text for people, JSON for programs.
enum PlanRendering {
    /// One region's plan, as JSON.
    struct PlanJSON: Encodable {
        struct Product: Encodable {
            var product: String, version: String, digest: String, changes: [String], notes: [String]
        }
        var region: String, account: String, bucket: String
        var portfolio: [String]
        var products: [Product]
        var shares: [String]
        var refusals: [PublishRefusal]
        var changes: Int
        var bucketExists: Bool
    }

    static func json(_ plan: PublishPlan) -> PlanJSON {
        PlanJSON(region: plan.region, account: plan.account, bucket: plan.bucket, portfolio: plan.portfolioSteps.map(\.summary),
                 products: plan.products.map { .init(product: $0.product, version: $0.version, digest: $0.digest, changes: $0.steps.map(\.summary), notes: $0.notes) },
                 shares: plan.shareSteps.map(\.summary), refusals: plan.refusals, changes: plan.allSteps.count,
                 bucketExists: plan.bucketExists)
    }

    /// The plan as text, grouped: portfolio, each product, shares.
    static func text(_ plan: PublishPlan) -> [String] {
        var lines = ["region \(plan.region) — account \(plan.account), bucket \(plan.bucket)"]
        if !plan.bucketExists {
            lines.append("  ! the artifact bucket does not exist: publish will stop — run `vend bootstrap` first")
        }
        if !plan.portfolioSteps.isEmpty {
            lines.append("portfolio")
            lines += plan.portfolioSteps.map { "  + \($0.summary)" }
        }
        for product in plan.products {
            lines.append("\(product.product) \(product.version) \(product.digest)")
            lines += product.steps.map { "  + \($0.summary)" }
            lines += product.notes.map { "  = \($0)" }
            lines += plan.refusals.filter { $0.product == product.product }.map { "  ! refused: \($0.message)" }
        }
        if !plan.shareSteps.isEmpty {
            lines.append("shares")
            lines += plan.shareSteps.map { "  + \($0.summary)" }
        }
        return lines
    }

    /// A plan line coloured by its mark: `+` change (green), `!` refusal or stop (red), `=` note (dim).
    static func paint(_ line: String, _ console: Console) -> String {
        if line.hasPrefix("  + ") { return console.paint(line, .green) }
        if line.hasPrefix("  ! ") { return console.paint(line, .red) }
        if line.hasPrefix("  = ") { return console.paint(line, .dim) }
        return line
    }
}
