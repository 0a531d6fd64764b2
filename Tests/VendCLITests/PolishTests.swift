import ArgumentParser
import Foundation
import Testing
@testable import VendCLI
import VendTestSupport

@Suite("--version and --color")
struct PolishTests {
    @Test("--version names the semantic version and a commit of this repository")
    func version() throws {
        let text = VendVersion.description
        #expect(text.hasPrefix("vend \(VendVersion.semantic) (git "))
        let described = String(text.dropFirst("vend \(VendVersion.semantic) (git ".count).dropLast())
        #expect(!described.isEmpty && text.hasSuffix(")"))
        guard described != "unknown" else { return }  // built outside a git checkout
        // `git describe --always` gives [tag-N-g]<abbreviated hash>[-dirty]; the hash must be a real commit here.
        var hash = described.hasSuffix("-dirty") ? String(described.dropLast("-dirty".count)) : described
        if let range = hash.range(of: "-g", options: .backwards) { hash = String(hash[range.upperBound...]) }
        #expect(hash.count >= 7 && hash.allSatisfy(\.isHexDigit), "not a commit hash: \(described)")
        let root = Golden.repositoryRoot().path
        let status = try ChildProcess.run("/usr/bin/env", ["git", "-C", root, "cat-file", "-e", "\(hash)^{commit}"],
                                          environment: ProcessInfo.processInfo.environment, stdout: "/dev/null")
        #expect(status == 0, "\(hash) is not a commit of \(root)")
    }

    @Test("auto colours only a terminal, and never with NO_COLOR or TERM=dumb; always and never are absolute",
          arguments: [
              (ColorChoice.auto, true, [String: String](), true),
              (.auto, false, [:], false),
              (.auto, true, ["NO_COLOR": "1"], false),
              (.auto, true, ["NO_COLOR": ""], true),
              (.auto, true, ["TERM": "dumb"], false),
              (.always, false, ["NO_COLOR": "1"], true),
              (.never, true, [:], false),
          ])
    func colorChoice(choice: ColorChoice, terminal: Bool, environment: [String: String], expected: Bool) {
        #expect(choice.enabled(isTerminal: terminal, environment: environment) == expected)
    }

    @Test("the last --color in the raw arguments wins; anything unparsable leaves auto")
    func scan() {
        #expect(ColorChoice.scan(["vend", "plan"]) == .auto)
        #expect(ColorChoice.scan(["vend", "--color", "never", "plan", "--color=always"]) == .always)
        #expect(ColorChoice.scan(["vend", "--color", "purple"]) == .auto)
        #expect(ColorChoice.scan(["vend", "plan", "--color"]) == .auto)
    }

    @Test("errors, doctor lines and plan marks carry colour only when the stream allows it")
    func painting() {
        let captured = CapturedConsole()
        var console = captured.console
        console.error("boom")
        #expect(captured.err == "error: boom\n")
        console.colorErr = true
        console.error("boom")
        #expect(captured.err.hasSuffix("\u{1B}[31merror:\u{1B}[0m boom\n"))
        #expect(PlanRendering.paint("  + create product", console) == "  + create product")
        console.colorOut = true
        #expect(PlanRendering.paint("  + create product", console) == "\u{1B}[32m  + create product\u{1B}[0m")
        #expect(PlanRendering.paint("  ! refused: x", console).hasPrefix("\u{1B}[31m"))
        #expect(PlanRendering.paint("region us-east-1", console) == "region us-east-1")
    }

    @Test("--color takes auto, always or never and nothing else")
    func parsing() throws {
        #expect(try GlobalOptions.parse(["--color", "never"]).color == .never)
        #expect(try GlobalOptions.parse([]).color == .auto)
        #expect(throws: (any Error).self) { try GlobalOptions.parse(["--color", "sometimes"]) }
    }
}

@Suite("Shell completions")
struct CompletionTests {
    @Test("bash, zsh and fish scripts name every subcommand", arguments: ["bash", "zsh", "fish"])
    func completion(shell: String) throws {
        let script = VendMain.completionScript(for: try #require(CompletionShell(rawValue: shell)))
        let commands = Set((VendMain.configuration.subcommands + VendMain.configuration.groupedSubcommands.flatMap(\.subcommands))
            .compactMap { command in command.configuration.commandName })
        #expect(commands.count == 24)
        for command in commands {
            #expect(script.contains(command), "\(shell) completion lacks \(command)")
        }
    }
}
