import Foundation
import Testing
import VendBundle
import VendTestSupport

/// The hostile-bundle cases `BundleReaderTests` does not already cover, generated here (they
/// are binary): each is read the way `vend inspect`, `vend verify` and `vend publish` read a
/// bundle, and must be refused with its kind and a message naming the bundle and what to do.
/// (`ErrorReport` maps every `BundleError` to exit 1: `CommandTests.verifyAltered`.)
@Suite("Bad-input corpus: hostile bundles", .timeLimit(.minutes(1)))
struct HostileBundleCorpusTests {
    /// One hostile bundle: how to make its entries, and the refusal expected.
    struct BundleCase: CustomTestStringConvertible, Sendable {
        var name: String
        var entries: @Sendable () throws -> [HostileArchive.Entry]
        var kind: BundleError.Kind
        var says: String
        var testDescription: String { "bundles/\(name)" }
    }

    static func manifest(_ files: [String: Data] = BundleReaderTests.files) throws -> Data {
        try BundleManifest(product: "demo", version: "1.0.0", toolVersion: "t", files: files).encoded()
    }

    static func editedManifest(_ edit: (String) -> String) throws -> [HostileArchive.Entry] {
        var entries = try BundleReaderTests.valid()
        entries[0].data = Data(edit(String(decoding: entries[0].data, as: UTF8.self)).utf8)
        return entries
    }

    static let cases: [BundleCase] = [
        BundleCase(name: "non-utf8-name", entries: {
            try BundleReaderTests.valid() + [.init(path: "", data: Data("x".utf8), rawPath: Array("caf".utf8) + [0xE9, 0xFF] + Array(".yaml".utf8))]
        }, kind: .encoding, says: "whose name is not UTF-8"),
        BundleCase(name: "folder-with-dotdot", entries: {
            try BundleReaderTests.valid() + [.init(path: "actions/../../up/", kind: .directory)]
        }, kind: .unsafePath, says: "a \"..\" component"),
        BundleCase(name: "dot-component", entries: {
            try BundleReaderTests.valid() + [.init(path: "./template.yaml", data: Data("x".utf8))]
        }, kind: .unsafePath, says: "an empty or \".\" component"),
        BundleCase(name: "control-character-in-name", entries: {
            try BundleReaderTests.valid() + [.init(path: "evil\u{1B}[2J.yaml", data: Data("x".utf8))]
        }, kind: .unsafePath, says: "a control character or backslash"),
        BundleCase(name: "backslash-slip", entries: {
            try BundleReaderTests.valid() + [.init(path: "..\\..\\escape.txt", data: Data("x".utf8))]
        }, kind: .unsafePath, says: "a control character or backslash"),
        BundleCase(name: "very-long-name", entries: {
            try BundleReaderTests.valid() + [.init(path: String(repeating: "a/", count: 600) + "x", data: Data("x".utf8))]
        }, kind: .unsafePath, says: "a name over 1024 bytes"),
        BundleCase(name: "symlink-to-sibling", entries: {
            try BundleReaderTests.valid() + [.init(path: "template2.yaml", kind: .symlink("template.yaml"))]
        }, kind: .link, says: "bundles hold regular files only"),
        BundleCase(name: "hardlink-outside", entries: {
            try BundleReaderTests.valid() + [.init(path: "passwd", kind: .hardlink("/etc/passwd"))]
        }, kind: .link, says: "holds a link \"passwd\""),
        BundleCase(name: "gzip-bomb-standard-limits", entries: {
            (0..<5).map { HostileArchive.Entry(path: "zeros-\($0).bin", data: Data(count: 4 << 20)) }
        }, kind: .tooLarge, says: "expands past its size bound"),
        BundleCase(name: "too-many-entries", entries: {
            (0...512).map { HostileArchive.Entry(path: "f\($0).txt", data: Data("x".utf8)) }
        }, kind: .tooLarge, says: "more than 512 entries"),
        BundleCase(name: "header-size-lies", entries: {
            var entries = try BundleReaderTests.valid()
            entries[2].declaredSize = entries[2].data.count + 100
            return entries
        }, kind: .mismatch, says: "\"template.yaml\" has SHA-256"),
        BundleCase(name: "no-manifest", entries: {
            Array(try BundleReaderTests.valid().dropFirst())
        }, kind: .manifest, says: "has no manifest.json"),
        BundleCase(name: "manifest-not-json", entries: {
            try editedManifest { _ in "<manifest/>" }
        }, kind: .manifest, says: "manifest.json is not a valid manifest"),
        BundleCase(name: "manifest-wrong-types", entries: {
            try editedManifest { $0.replacingOccurrences(of: "\"format\" : 1", with: "\"format\" : \"one\"") }
        }, kind: .manifest, says: "manifest.json is not a valid manifest"),
        BundleCase(name: "manifest-from-the-future", entries: {
            try editedManifest { $0.replacingOccurrences(of: "\"format\" : 1", with: "\"format\" : 99") }
        }, kind: .manifest, says: "has manifest format 99"),
        BundleCase(name: "manifest-lists-a-missing-file", entries: {
            var entries = try BundleReaderTests.valid()
            entries.removeLast()
            return entries
        }, kind: .mismatch, says: "the manifest lists \"template.yaml\", which the bundle does not hold"),
        BundleCase(name: "manifest-lists-a-file-twice", entries: {
            try editedManifest { text in
                guard let start = text.range(of: "{\n      \"path\" : \"product.yaml\""), let end = text.range(of: "}", range: start.upperBound..<text.endIndex) else { return text }
                let entry = String(text[start.lowerBound..<end.upperBound])
                return text.replacingCharacters(in: start.lowerBound..<end.upperBound, with: entry + ",\n    " + entry)
            }
        }, kind: .manifest, says: "lists a file twice"),
        BundleCase(name: "manifest-size-lies", entries: {
            try editedManifest { $0.replacingOccurrences(of: "\"size\" : 26", with: "\"size\" : 27") }
        }, kind: .mismatch, says: "but the manifest says"),
    ]

    @Test("hostile bundles are refused", arguments: cases)
    func refused(_ bundleCase: BundleCase) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.url.appendingPathComponent("hostile.tar.gz").path
        try HostileArchive.write(try bundleCase.entries(), to: path)
        do {
            _ = try BundleReader().read(path)
            Issue.record("\(bundleCase.name) was accepted")
        } catch let error as BundleError {
            #expect(error.kind == bundleCase.kind, "\(bundleCase.name): \(error)")
            #expect(error.description.contains(bundleCase.says), "\(bundleCase.name): \(error)")
            #expect(error.description.contains(path), "\(bundleCase.name) names no bundle: \(error)")
            #expect(error.description.contains(" — "), "\(bundleCase.name) says nothing to do: \(error)")
        }
    }

    @Test("cut-off and corrupted gzip streams are refused", arguments: [10, 30, 100, -8, -1])
    func damagedStreams(cut: Int) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let target = directory.url.appendingPathComponent("demo-1.0.0.tar.gz")
        _ = try BundleWriter.write(product: "demo", version: "1.0.0", toolVersion: "t", files: BundleReaderTests.files, to: target)
        let bytes = try Data(contentsOf: target)
        try (cut > 0 ? bytes.prefix(cut) : bytes.dropLast(-cut)).write(to: target)
        #expect(throws: BundleError.self) { _ = try BundleReader().read(target.path) }
    }
}
