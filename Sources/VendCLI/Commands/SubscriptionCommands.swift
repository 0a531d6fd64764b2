import AWSCore
import ArgumentParser
import Foundation
import VendEngine
import VendModel

/// The wiring and rendering the subscription commands share.
enum SubscriptionWiring {
    /// The engine's subscription workflows for the options given.
    static func workflows(_ global: GlobalOptions, _ accounts: AccountOptions, currentDirectory: URL, dependencies: AWSDependencies,
                          console: Console) throws -> SubscriptionWorkflows {
        let workspace = try Wiring.workspace(global, currentDirectory: currentDirectory)
        let resolver = Wiring.resolver(accounts, dependencies: dependencies, console: console, quiet: global.quiet)
        return SubscriptionWorkflows(scope: try WorkflowScope(workspace: workspace, resolver: resolver, region: try accounts.oneRegion()),
                                     clock: dependencies.clock)
    }

    /// `approve` and `reject`: one decision, rendered.
    static func decide(_ verdict: SubscriptionDecision.Verdict, id: String, reason: String, _ global: GlobalOptions, _ accounts: AccountOptions,
                       currentDirectory: URL, dependencies: AWSDependencies, console: Console) async throws {
        let workflows = try workflows(global, accounts, currentDirectory: currentDirectory, dependencies: dependencies, console: console)
        let report = verdict == .approved ? try await workflows.approve(id: id, reason: reason, profile: accounts.profile)
            : try await workflows.reject(id: id, reason: reason, profile: accounts.profile)
        try render(report, global, console: console)
    }

    /// A changing command's report: the pair and its state, then what was done and what is left.
    static func render(_ report: SubscriptionWorkflows.ChangeReport, _ global: GlobalOptions, console: Console) throws {
        if global.output == .json {
            console.print(try JSONOutput.render(report))
            try incomplete(report)
            return
        }
        var line = "\(report.consumer) → \(report.domain): \(report.label)"
        if let id = report.id { line += " (request \(id))" }
        if let notice = report.notice { line += " — \(notice)" }
        console.print(line)
        for item in report.done { console.print("  done: \(item)") }
        for item in report.pending { console.print("  left: \(item)") }
        try incomplete(report)
    }

    /// Exit 1 when an account the pair needs could not be opened: exit 0 means the mesh is as asked.
    static func incomplete(_ report: SubscriptionWorkflows.ChangeReport) throws {
        guard report.incomplete else { return }
        throw CommandFailure("\(report.consumer) → \(report.domain) is not complete: an account of vend.yaml could not be opened, so what it holds was not changed or judged"
                             + " — check that account's profile (`vend whoami --profile P`) and re-run: what was done is kept")
    }
}

/// `vend subscribe --consumer C --domain D`: asks for C to read D.
public struct SubscribeCommand: AsyncParsableCommand {
    /// Help text.
    public static let configuration = CommandConfiguration(
        commandName: "subscribe",
        abstract: "Ask for a consumer domain to read a producer domain (RequestAccess).",
        discussion: """
            Runs the RequestAccess service action on the consumer's consumer-onboarding with the \
            consumer's profile, which records the request in the consumer's own account. A domain \
            with approval: auto is granted at once; otherwise the request waits for an owner \
            (`vend approve`). Re-running with the same inputs makes no new request.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var accounts: AccountOptions

    /// The consumer domain.
    @Option(name: .long, help: "The consumer domain (accounts.consumers[].domain).")
    var consumer: String
    /// The producer domain.
    @Option(name: .long, help: "The producer domain to read (accounts.producers[].domain).")
    var domain: String
    /// Why.
    @Option(name: .long, help: "Why the consumer needs the data (shown to the owners).")
    var reason = ""
    /// Last day.
    @Option(name: .long, help: "Last day of access, YYYY-MM-DD (UTC end of day); access is revoked after it.")
    var until: String?

    /// Creates the command (used by ArgumentParser).
    public init() {}

    /// Checks the reason's characters (it is written into JSON by the action).
    public func validate() throws {
        // The RequestAccess document's Reason pattern: no quote, backslash or control character, at most 500 characters.
        if reason.contains("\"") || reason.contains("\\") || reason.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) }) || reason.count > 500 {
            throw ValidationError("--reason may not hold \", \\ or control characters and has at most 500 characters.")
        }
    }

    /// Wires live dependencies.
    public func run() async throws {
        let console = Console.live(color: global.color)
        try await perform(currentDirectory: Wiring.currentDirectory, dependencies: Wiring.liveDependencies(verbose: global.verbose, console: console), console: console)
    }

    /// Subscribes and prints the outcome.
    public func perform(currentDirectory: URL, dependencies: AWSDependencies, console: Console) async throws {
        let workflows = try SubscriptionWiring.workflows(global, accounts, currentDirectory: currentDirectory, dependencies: dependencies, console: console)
        try SubscriptionWiring.render(try await workflows.subscribe(consumer: consumer, domain: domain, reason: reason, until: until), global, console: console)
    }
}

/// `vend requests`: every subscription request and its state.
public struct RequestsCommand: AsyncParsableCommand {
    /// Help text.
    public static let configuration = CommandConfiguration(
        commandName: "requests",
        abstract: "List subscription requests and their states.",
        discussion: """
            Reads requests from the consumers' accounts and decisions from central and the \
            producers' accounts. "requested by" is the principal AWS recorded as the writer; \
            the requester's own words are labelled unverified.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var accounts: AccountOptions

    /// Filters.
    @Option(name: .long, help: "Only this consumer domain.")
    var consumer: String?
    @Option(name: .long, help: "Only this producer domain.")
    var domain: String?
    @Option(name: .long, help: "Only this state: pending, approved, active, rejected, revoked or expired.")
    var state: String?

    /// Creates the command (used by ArgumentParser).
    public init() {}

    /// Checks the state name.
    public func validate() throws {
        if let state, SubscriptionState(rawValue: state) == nil {
            throw ValidationError("--state \(state) is not a state: use one of \(SubscriptionState.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
    }

    /// Wires live dependencies.
    public func run() async throws {
        let console = Console.live(color: global.color)
        try await perform(currentDirectory: Wiring.currentDirectory, dependencies: Wiring.liveDependencies(verbose: global.verbose, console: console), console: console)
    }

    /// Lists the requests.
    public func perform(currentDirectory: URL, dependencies: AWSDependencies, console: Console) async throws {
        let workflows = try SubscriptionWiring.workflows(global, accounts, currentDirectory: currentDirectory, dependencies: dependencies, console: console)
        let (rows, notRead) = try await workflows.listing(consumer: consumer, domain: domain, state: state.flatMap(SubscriptionState.init(rawValue:)))
        try print(rows, console: console)
        // Like status: what was read is shown, and an account that could not be read fails the command.
        if let (account, reason) = notRead.sorted(by: { $0.key < $1.key }).first {
            throw CommandFailure("the listing lacks account \(account), which could not be read: \(reason) — check its profile with `vend whoami`, then re-run")
        }
    }

    func print(_ rows: [SubscriptionWorkflows.RequestRow], console: Console) throws {
        if global.output == .json {
            console.print(try JSONOutput.render(rows))
            return
        }
        guard !rows.isEmpty else {
            console.print("no requests")
            return
        }
        var table = TextTable(["ID", "CONSUMER", "DOMAIN", "STATE", "REQUESTED BY", "AT", "REASON", "UNTIL"])
        let day = ISO8601DateFormatter()
        for row in rows {
            table.add([row.id, row.consumer, row.domain, row.label, row.requestedBy.isEmpty ? "-" : row.requestedBy,
                       row.requestedAt.map { day.string(from: $0) } ?? "-", row.reason.isEmpty ? "-" : row.reason,
                       row.expiresAt.map(SubscriptionStore.day) ?? "-"])
        }
        console.print(table.rendered)
        for row in rows where row.ignoredDecisionBy != nil {
            console.print("note: \(row.id): a decision by \(row.ignoredDecisionBy ?? "") was ignored (not an owner of \(row.domain))")
        }
    }
}

/// `vend approve ID` and `vend reject ID --reason TEXT`.
public struct ApproveCommand: AsyncParsableCommand {
    /// Help text.
    public static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve a pending subscription request (an owner of the domain, or central).",
        discussion: """
            Decides as --profile (default: the producer domain's profile) and keeps the decision in \
            that account. The grants are then made with the accounts this run can open; when one is \
            missing the request shows "approved, not yet active" and what completes it.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var accounts: AccountOptions

    /// The request id.
    @Argument(help: "The request id from `vend requests` (a record id, or consumer/domain).")
    var id: String
    /// Why.
    @Option(name: .long, help: "Why (kept with the decision).")
    var reason = ""

    /// Creates the command (used by ArgumentParser).
    public init() {}

    /// Wires live dependencies.
    public func run() async throws {
        let console = Console.live(color: global.color)
        try await perform(currentDirectory: Wiring.currentDirectory, dependencies: Wiring.liveDependencies(verbose: global.verbose, console: console), console: console)
    }

    /// Approves and prints the outcome.
    public func perform(currentDirectory: URL, dependencies: AWSDependencies, console: Console) async throws {
        try await SubscriptionWiring.decide(.approved, id: id, reason: reason, global, accounts, currentDirectory: currentDirectory, dependencies: dependencies, console: console)
    }
}

/// `vend reject ID --reason TEXT`.
public struct RejectCommand: AsyncParsableCommand {
    /// Help text.
    public static let configuration = CommandConfiguration(
        commandName: "reject",
        abstract: "Reject a pending subscription request (an owner of the domain, or central).",
        discussion: "Decides as --profile (default: the producer domain's profile); nothing is granted. The consumer may ask again."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var accounts: AccountOptions

    /// The request id.
    @Argument(help: "The request id from `vend requests` (a record id, or consumer/domain).")
    var id: String
    /// Why.
    @Option(name: .long, help: "Why (required; shown to the consumer).")
    var reason: String

    /// Creates the command (used by ArgumentParser).
    public init() {}

    /// Wires live dependencies.
    public func run() async throws {
        let console = Console.live(color: global.color)
        try await perform(currentDirectory: Wiring.currentDirectory, dependencies: Wiring.liveDependencies(verbose: global.verbose, console: console), console: console)
    }

    /// Rejects and prints the outcome.
    public func perform(currentDirectory: URL, dependencies: AWSDependencies, console: Console) async throws {
        try await SubscriptionWiring.decide(.rejected, id: id, reason: reason, global, accounts, currentDirectory: currentDirectory, dependencies: dependencies, console: console)
    }
}

/// `vend unsubscribe --consumer C --domain D --yes`.
public struct UnsubscribeCommand: AsyncParsableCommand {
    /// Help text.
    public static let configuration = CommandConfiguration(
        commandName: "unsubscribe",
        abstract: "Take a consumer domain's access to a producer domain back.",
        discussion: """
            Needs --yes. Writes a revocation in central, then releases what only this subscription \
            needed: the analysts' grants, and the link and central grant unless another consumer \
            domain of the same account still reads the domain. A pair already unsubscribed exits 0.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var accounts: AccountOptions

    /// The consumer domain.
    @Option(name: .long, help: "The consumer domain.")
    var consumer: String
    /// The producer domain.
    @Option(name: .long, help: "The producer domain.")
    var domain: String
    /// Confirmation.
    @Flag(name: .long, help: "Confirm the revocation.")
    var yes = false

    /// Creates the command (used by ArgumentParser).
    public init() {}

    /// Requires --yes.
    public func validate() throws {
        if !yes { throw ValidationError("unsubscribing revokes \(consumer)'s access to \(domain): add --yes to confirm.") }
    }

    /// Wires live dependencies.
    public func run() async throws {
        let console = Console.live(color: global.color)
        try await perform(currentDirectory: Wiring.currentDirectory, dependencies: Wiring.liveDependencies(verbose: global.verbose, console: console), console: console)
    }

    /// Unsubscribes and prints the outcome.
    public func perform(currentDirectory: URL, dependencies: AWSDependencies, console: Console) async throws {
        let workflows = try SubscriptionWiring.workflows(global, accounts, currentDirectory: currentDirectory, dependencies: dependencies, console: console)
        try SubscriptionWiring.render(try await workflows.unsubscribe(consumer: consumer, domain: domain), global, console: console)
    }
}
