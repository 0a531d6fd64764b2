import ArgumentParser
import Foundation
import Testing
@testable import VendCLI
import VendTestSupport

/// The README's command reference is generated from `--help`, so the two cannot drift:
/// this test fails on any difference; `VEND_RECORD_GOLDENS=1` rewrites the README block.
@Suite("README command reference")
struct CommandReferenceTests {
    static let begin = "<!-- command reference: generated from --help by Tests/VendCLITests/CommandReferenceTests.swift; VEND_RECORD_GOLDENS=1 swift test --filter CommandReference re-records it -->"
    static let end = "<!-- end of command reference -->"

    /// Every command's help, in the order `vend --help` lists them.
    static func reference() -> String {
        var text = "```\n" + VendMain.helpMessage(columns: 100) + "\n```\n"
        for group in VendMain.configuration.groupedSubcommands {
            for command in group.subcommands {
                let name = command.configuration.commandName ?? "\(command)"
                text += "\n### vend \(name)\n\n```\n" + VendMain.helpMessage(for: command, columns: 100) + "\n```\n"
            }
        }
        return text
    }

    @Test("the README's command reference equals the commands' --help")
    func readmeMatchesHelp() throws {
        let url = Golden.repositoryRoot().appendingPathComponent("README.md")
        let readme = try String(contentsOf: url, encoding: .utf8)
        guard let start = readme.range(of: Self.begin), let stop = readme.range(of: Self.end, range: start.upperBound..<readme.endIndex) else {
            Issue.record("README.md has no command reference block (\(Self.begin) … \(Self.end))")
            return
        }
        let current = String(readme[start.upperBound..<stop.lowerBound])
        let wanted = "\n" + Self.reference() + "\n"
        if ProcessInfo.processInfo.environment["VEND_RECORD_GOLDENS"] == "1" {
            try readme.replacingCharacters(in: start.upperBound..<stop.lowerBound, with: wanted).write(to: url, atomically: true, encoding: .utf8)
            return
        }
        #expect(current == wanted, "README.md's command reference differs from --help: re-record with VEND_RECORD_GOLDENS=1 swift test --filter CommandReference")
    }
}
