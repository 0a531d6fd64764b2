import ArgumentParser
import Foundation
import Testing
@testable import VendCLI
import VendEngine
import VendTestSupport

/// The security matrix: every principal × every table of vend's mesh (plus setups vend never
/// makes), each cell's expected value written from the AWS pages (AccessMatrix.swift), asserted
/// through real Athena queries as the principal in the local cloud (which enforces Lake Formation),
/// and `vend access --principal` must agree with every cell.
@Suite("Security matrix: Athena as each principal, and vend access", .serialized)
struct AccessMatrixTests {
    static let link = "retail_link"
    /// The sales domain's link in the consumer account (marketing reads sales).
    static let salesLink = "sales_link"

    /// vend.yaml of the matrix: a second producer domain (sales, in the producer account) and a
    /// second consumer domain (marketing, in the consumer account), each a value of the domain tag.
    static func declareSecondDomains(_ harness: PublishHarness) throws {
        try harness.fixture.replace("    - {domain: sales, profile: producer, accountId: \"222222222222\"}   # approval: owner (the default)",
                                    with: "    - {domain: sales, profile: producer, accountId: \"222222222222\", approval: auto}", in: "vend.yaml")
        try harness.fixture.replace("    - {domain: analytics, profile: consumer, accountId: \"333333333333\", analystRoles: [\"arn:aws:iam::333333333333:role/Analyst\"], subscriptions: [retail]}",
                                    with: "    - {domain: analytics, profile: consumer, accountId: \"333333333333\", analystRoles: [\"arn:aws:iam::333333333333:role/Analyst\"], subscriptions: [retail]}\n    - {domain: marketing, profile: consumer, accountId: \"333333333333\"}",
                                    in: "vend.yaml")
    }

    /// Runs a vend command in process against the harness's workspace.
    static func vend<C: AsyncParsableCommand>(_ type: C.Type, _ harness: PublishHarness, _ arguments: [String]) throws -> C {
        try C.parse(["--config", harness.fixture.root.appendingPathComponent("vend.yaml").path, "--quiet"] + arguments)
    }

    @Test("0 unexpected allows, 0 unexpected denials, and vend access agrees on every cell")
    func matrix() async throws {
        let started = Date()
        let harness = try LaunchTests.published()
        defer { harness.stop() }
        try Self.declareSecondDomains(harness)
        try await LaunchTests.publish(harness)
        _ = try await LaunchTests.launchProducer(harness)
        for source in ["orders", "customers", "products"] {
            #expect(try await LaunchTests.addSource(harness, source: source, prefix: "\(source)/").status == "SUCCEEDED")
        }
        let consumer = try await LaunchTests.launchConsumer(harness)
        let workgroup = try #require(consumer.first?.outputs["WorkGroupName"])
        #expect(consumer.compactMap { $0.outputs["ResourceLinkName"] } == [Self.link])
        // The second domains: sales (one table) and marketing, which reads it.
        let silent = LaunchTests.silent, root = harness.fixture.root, dependencies = harness.dependencies
        _ = try await Self.vend(LaunchProducerCommand.self, harness, ["--domain", "sales", "--with-sample-data"])
            .perform(currentDirectory: root, dependencies: dependencies, console: silent)
        #expect(try await Self.vend(AddSourceCommand.self, harness, ["--domain", "sales", "--source", "payments", "--prefix", "payments/"])
            .perform(currentDirectory: root, dependencies: dependencies, console: silent).status == "SUCCEEDED")
        let marketing = try await Self.vend(LaunchConsumerCommand.self, harness, ["--domain", "marketing", "--analyst-role", AccessMatrix.marketing.arn, "--reads", "sales"])
            .perform(currentDirectory: root, dependencies: dependencies, console: silent)
        #expect(marketing.provisionedProducts.compactMap { $0.outputs["ResourceLinkName"] } == [Self.salesLink])
        let cli = try MatrixCLI(cloud: harness.cloud, roles: AccessMatrix.principals.map { ($0.arn, $0.home.rawValue) })
        try await Self.setUpPrincipals(cli)
        try await Self.setUpExtras(cli)

        let built = Date()
        // Real queries, one thread per principal.
        let queried = try await withThrowingTaskGroup(of: (AccessMatrix.Principal, [String: MatrixCLI.Outcome]).self) { group in
            for principal in AccessMatrix.principals {
                group.addTask { try await onThread { (principal, try Self.queries(principal, cli: cli, workgroup: workgroup)) } }
            }
            var all: [String: [String: MatrixCLI.Outcome]] = [:]
            for try await (principal, outcomes) in group { all[principal.arn] = outcomes }
            return all
        }

        let queriedAt = Date()
        try await harness.cloud.clearLog()
        var unexpectedAllows = 0, unexpectedDenials = 0, disagreements = 0
        for principal in AccessMatrix.principals {
            let command = try AccessCommand.parse(["--config", harness.fixture.root.appendingPathComponent("vend.yaml").path, "--quiet",
                                                   "--principal", principal.arn])
            let verdicts = try await command.perform(currentDirectory: harness.fixture.root, dependencies: harness.dependencies)
            #expect(verdicts.count == AccessMatrix.tables.count, "\(principal.role): one verdict per table, got \(verdicts.map(\.table))")
            for cell in AccessMatrix.cells where cell.principal.arn == principal.arn {
                guard let outcome = queried[principal.arn]?[cell.table] else { Issue.record("\(principal.role) × \(cell.table): not queried"); continue }
                #expect(outcome.allowed || outcome.deniedByLakeFormation,
                        "\(principal.role) × \(cell.table): failed for another reason than Lake Formation: \(outcome.state) \(outcome.reason)")
                if outcome.allowed && !cell.allowed { unexpectedAllows += 1 }
                if !outcome.allowed && cell.allowed { unexpectedDenials += 1 }
                #expect(outcome.allowed == cell.allowed, "\(principal.role) × \(cell.table): expected \(cell.allowed ? "ALLOW" : "DENY") (\(cell.why)); Athena: \(outcome.state) \(outcome.reason)")
                let verdict = verdicts.first { $0.table == cell.table }
                if verdict?.allowed != outcome.allowed { disagreements += 1 }
                #expect(verdict?.allowed == outcome.allowed, "vend access disagrees on \(principal.role) × \(cell.table): \(verdict?.missing?.text ?? verdict.map { $0.chain.map(\.text).joined(separator: "; ") } ?? "no verdict")")
                if principal.arn == AccessMatrix.columns.arn && cell.table == "customers" {
                    #expect(outcome.columns == AccessMatrix.grantedColumns, "SELECT * returns the granted columns only")
                    #expect(verdict?.columns == AccessMatrix.grantedColumns)
                }
            }
        }
        try IAMPolicyCoverage.check(try await harness.cloud.requests())
        #expect(try await harness.mutatingCalls() == [], "vend access made a mutating call")
        let allows = AccessMatrix.cells.filter(\.allowed).count
        print("access matrix: \(AccessMatrix.cells.count) cells (\(AccessMatrix.principals.count) principals × \(AccessMatrix.tables.count) tables), expected \(allows) allows and "
              + "\(AccessMatrix.cells.count - allows) denies; unexpected allows \(unexpectedAllows), unexpected denials \(unexpectedDenials), "
              + "vend access disagreements \(disagreements); seconds: mesh and setups \(Int(built.timeIntervalSince(started))), "
              + "queries \(Int(queriedAt.timeIntervalSince(built))), vend access \(Int(Date().timeIntervalSince(queriedAt)))")
        #expect(unexpectedAllows == 0 && unexpectedDenials == 0 && disagreements == 0)
    }

    /// The SQL of each table for a principal: through the link in the consumer account; the central
    /// database in central; the central catalog by name (an Athena GLUE data catalog) in the producer account.
    static func queries(_ principal: AccessMatrix.Principal, cli: MatrixCLI, workgroup: String) throws -> [String: MatrixCLI.Outcome] {
        let tables = AccessMatrix.tables
        let group = principal.home == .consumer ? workgroup : "matrix"
        // Through the domain's link in the consumer account; its central database in central; the central catalog by name elsewhere.
        func prefix(_ table: String) -> String {
            let domain = AccessMatrix.domains[table] ?? "retail"
            switch principal.home {
            case .consumer: return domain == "sales" ? Self.salesLink : Self.link
            case .central: return domain
            case .producer: return "central.\(domain)"
            }
        }
        var sql = tables.map { "SELECT count(*) AS n FROM \(prefix($0)).\($0)" }
        let columns = principal.arn == AccessMatrix.columns.arn
        if columns { sql[0] = "SELECT * FROM \(prefix("customers")).customers" }
        return Dictionary(uniqueKeysWithValues: zip(tables, try cli.query(sql, workgroup: group, as: principal.arn, columnsOf: columns ? [0] : [])))
    }

    /// Roles with trust policies the test can assume; vend's own roles get a trust statement for
    /// their account (IAM only: Lake Formation does not look at trust policies). Work groups (and, in
    /// the producer account, a data catalog naming the central catalog) for the accounts vend gives none.
    static func setUpPrincipals(_ cli: MatrixCLI) async throws {
        var jobs: [@Sendable () throws -> Void] = AccessMatrix.principals.map { principal in {
            let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::\#(principal.account):root"},"Action":"sts:AssumeRole"}]}"#
            if principal.isVends {
                try cli.run(principal.home.rawValue, "iam", "update-assume-role-policy", "--role-name", principal.role, "--policy-document", trust)
            } else {
                try cli.run(principal.home.rawValue, "iam", "create-role", "--role-name", principal.role, "--assume-role-policy-document", trust)
            }
        } }
        for (profile, account) in [("central", "111111111111"), ("producer", "222222222222")] {
            jobs.append {
                try cli.run(profile, "s3api", "create-bucket", "--bucket", "matrix-results-\(account)")
                try cli.run(profile, "athena", "create-work-group", "--name", "matrix", "--configuration",
                            #"{"ResultConfiguration":{"OutputLocation":"s3://matrix-results-\#(account)/"},"EnforceWorkGroupConfiguration":true}"#)
            }
        }
        jobs.append {
            // moto answers CreateDataCatalog in a shape botocore does not know, so the local cloud replaces the answer
            // with a 500 after creating it and the CLI's retry finds it there: check that it exists instead.
            _ = try? cli.run("producer", "athena", "create-data-catalog", "--name", "central", "--type", "GLUE", "--parameters", "catalog-id=111111111111")
            try cli.run("producer", "athena", "get-data-catalog", "--name", "central")
        }
        try await inParallel(jobs)
    }

    /// The setups vend never makes (AccessMatrix's header lists them), with the AWS CLI.
    static func setUpExtras(_ cli: MatrixCLI) async throws {
        @Sendable func grant(_ profile: String, _ principal: String, _ resource: String, _ permission: String, grantable: Bool = false) throws {
            try cli.run(["lakeformation", "grant-permissions", "--principal", "DataLakePrincipalIdentifier=\(principal)", "--resource", resource,
                         "--permissions", permission, "--profile", profile] + (grantable ? ["--permissions-with-grant-option", permission] : []))
        }
        let linkResource = #"{"Database":{"CatalogId":"333333333333","Name":"\#(Self.link)"}}"#
        let orders = #"{"Table":{"CatalogId":"111111111111","DatabaseName":"retail","Name":"orders"}}"#
        let columns = AccessMatrix.grantedColumns.map { "\"\($0)\"" }.joined(separator: ",")
        let someColumns = #"{"TableWithColumns":{"CatalogId":"111111111111","DatabaseName":"retail","Name":"customers","ColumnNames":[\#(columns)]}}"#
        // Central shares orders and two columns of customers by name with the consumer account (grantable), so its
        // admin can re-grant them by name (the local cloud, like AWS, lets an account pass on only what it was granted).
        try await inParallel([
            { try grant("central", "333333333333", orders, "SELECT", grantable: true) },
            { try grant("central", "333333333333", someColumns, "SELECT", grantable: true) },
            { try grant("central", "IAM_ALLOWED_PRINCIPALS", #"{"Table":{"CatalogId":"111111111111","DatabaseName":"retail","Name":"customers"}}"#, "ALL") },
            { try cli.run("central", "lakeformation", "add-lf-tags-to-resource",
                          "--resource", #"{"Table":{"CatalogId":"111111111111","DatabaseName":"retail","Name":"products"}}"#,
                          "--lf-tags", #"[{"CatalogId":"111111111111","TagKey":"domain","TagValues":["analytics"]}]"#) },
        ])
        // The CLI's consumer user grants below, on resources shared into the account: on AWS it must be a data lake admin.
        try cli.addLakeFormationAdmin("consumer", "arn:aws:iam::333333333333:user/vend-localcloud-admin")
        try await inParallel([
            { try grant("consumer", AccessMatrix.direct.arn, linkResource, "DESCRIBE") },
            { try grant("consumer", AccessMatrix.columns.arn, linkResource, "DESCRIBE") },
            { try grant("consumer", AccessMatrix.direct.arn, orders, "SELECT") },
            { try grant("consumer", AccessMatrix.columns.arn, someColumns, "SELECT") },
            { try grant("consumer", AccessMatrix.consumerAdmin.arn, orders, "SELECT") },
        ])
    }
}
