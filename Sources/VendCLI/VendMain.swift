import ArgumentParser
import Foundation

/// The root command, `vend`. Subcommands live one per file under `Commands/`.
public struct VendMain: AsyncParsableCommand {
    /// Command tree and help text.
    public static let configuration = CommandConfiguration(
        commandName: "vend",
        abstract: "Package a data-mesh landing zone as versioned AWS Service Catalog products and vend them.",
        discussion: """
            Products live in products/<name>/ (product.yaml, template.yaml, launch-role policy, \
            actions/). vend.yaml at the repository root names the portfolio, accounts, shares and \
            the mesh's Lake Formation tags.

            Exit codes: 0 ok; 1 failure (also a subscription command that could not open an account \
            the pair lives in, and an apply with a failed or blocked change); 2 refused by policy (an \
            immutable version, a quota, a held apply lock, a saved plan whose live state moved); 64 \
            usage (an unknown command, option or value, or a destructive one without --yes). \
            `vend plan --detailed-exitcode`: 0 no changes, 2 changes, 1 error, 3 refused.
            Colour: --color auto|always|never on every command; NO_COLOR turns auto off.
            Shell completions: vend --generate-completion-script bash|zsh|fish.
            """,
        version: VendVersion.description,
        groupedSubcommands: [
            CommandGroup(name: "Package", subcommands: [ValidateCommand.self, BuildCommand.self, InspectCommand.self, VerifyCommand.self]),
            CommandGroup(name: "Publish (central account)", subcommands: [BootstrapCommand.self, PublishCommand.self, ShareCommand.self]),
            CommandGroup(name: "Mesh as code (every account)", subcommands: [PlanCommand.self, ApplyCommand.self]),
            CommandGroup(name: "Launch (spoke accounts)", subcommands: [LaunchCommand.self, LaunchProducerCommand.self, LaunchConsumerCommand.self, AddSourceCommand.self, UpgradeCommand.self, TerminateCommand.self]),
            CommandGroup(name: "Subscriptions", subcommands: [SubscribeCommand.self, RequestsCommand.self, ApproveCommand.self, RejectCommand.self, UnsubscribeCommand.self]),
            CommandGroup(name: "Diagnose", subcommands: [StatusCommand.self, DoctorCommand.self, AccessCommand.self, WhoamiCommand.self]),
        ]
    )

    /// Creates the root command (used by ArgumentParser).
    public init() {}

    /// Entry point: parses, runs, and maps every error to a message and an exit code in one place.
    public static func run() async {
        // libarchive crashes writing non-ASCII paths in the "C" locale a Swift process starts in.
        _ = setlocale(LC_CTYPE, "C.UTF-8")
        do {
            var command = try parseAsRoot(StatusCommand.fillGraphDefault(Array(CommandLine.arguments.dropFirst())))
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let silent as SilentExit {
            Foundation.exit(silent.status)
        } catch {
            if let reported = ErrorReport(error) {
                Console.live(color: ColorChoice.scan(CommandLine.arguments)).error(reported.text)
                Foundation.exit(reported.exitCode.rawValue)
            }
            exit(withError: error)
        }
    }
}
