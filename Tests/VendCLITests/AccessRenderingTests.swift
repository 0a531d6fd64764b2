import Foundation
import Testing
@testable import VendCLI
import VendEngine

/// `vend access`'s lines and JSON: the chain when allowed, the missing link and its command when denied.
@Suite("vend access rendering")
struct AccessRenderingTests {
    static let verdicts = [
        AccessVerdict(allowed: true, domain: "retail", consumer: "analytics", database: "retail_link", table: "orders",
                      chain: [AccessLink(.link, "DESCRIBE on the link"), AccessLink(.target, "SELECT by LF-Tag policy")], missing: nil),
        AccessVerdict(allowed: false, domain: "retail", consumer: "analytics", database: "retail_link", table: "products", chain: [],
                      missing: AccessLink(.target, "no SELECT", nextStep: .run(.launchConsumer(domain: "analytics", analystRole: "arn:aws:iam::333333333333:role/A")))),
    ]

    static func render(_ arguments: [String]) throws -> String {
        let captured = CapturedConsole()
        try AccessCommand.print(verdicts, global: try GlobalOptions.parse(arguments + ["--color", "never"]), console: captured.console)
        return captured.out
    }

    @Test("one line per table: ALLOW with the chain, DENY with the missing link and the command that restores it")
    func text() throws {
        let text = try Self.render([])
        #expect(text.contains("ALLOW  retail  analytics  retail_link.orders  via DESCRIBE on the link; SELECT by LF-Tag policy"))
        #expect(text.contains("DENY   retail  analytics  retail_link.products  missing: no SELECT — run `vend launch-consumer --domain analytics --analyst-role arn:aws:iam::333333333333:role/A`"))
    }

    @Test("JSON carries the verdicts and the rendered command")
    func json() throws {
        let rows = try JSONSerialization.jsonObject(with: Data(try Self.render(["--output", "json"]).utf8)) as? [[String: Any]] ?? []
        #expect(rows.count == 2)
        #expect(rows[1]["allowed"] as? Bool == false)
        #expect((rows[1]["restore"] as? String)?.hasPrefix("run `vend launch-consumer") == true)
        #expect(rows[0]["restore"] == nil)
    }
}
