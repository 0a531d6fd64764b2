import Foundation
import Testing
import VendBundle
import VendTestSupport

@Suite("Bundle reader refusals")
struct BundleReaderTests {
    static let files = ["product.yaml": Data("name: demo\nversion: 1.0.0\n".utf8), "template.yaml": Data("Resources:\n  B: {Type: AWS::S3::Bucket}\n".utf8)]

    /// A valid bundle's manifest bytes, to reuse in hand-made archives.
    static func manifestData() throws -> Data {
        try BundleManifest(product: "demo", version: "1.0.0", toolVersion: "t", files: files).encoded()
    }

    /// Writes a hostile archive and returns the error reading it gives.
    static func refusal(_ entries: [HostileArchive.Entry], limits: BundleReader.Limits = .standard) throws -> BundleError? {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.url.appendingPathComponent("hostile.tar.gz").path
        try HostileArchive.write(entries, to: path)
        do {
            _ = try BundleReader(limits: limits).read(path)
            return nil
        } catch let error as BundleError {
            return error
        }
    }

    static func valid() throws -> [HostileArchive.Entry] {
        [.init(path: "manifest.json", data: try manifestData()),
         .init(path: "product.yaml", data: files["product.yaml"] ?? Data()),
         .init(path: "template.yaml", data: files["template.yaml"] ?? Data())]
    }

    @Test("a hand-made archive that matches its manifest is accepted (the refusals below are not accidental)")
    func validAccepted() throws {
        #expect(try Self.refusal(try Self.valid()) == nil)
    }

    @Test("a bundle with one byte changed is refused")
    func oneByteChanged() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let target = directory.url.appendingPathComponent("demo-1.0.0.tar.gz")
        _ = try BundleWriter.write(product: "demo", version: "1.0.0", toolVersion: "t", files: Self.files, to: target)
        var bytes = try Data(contentsOf: target)
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: target)
        #expect(throws: BundleError.self) { _ = try BundleReader().read(target.path) }
    }

    @Test("a manifest that lies about a file's hash is refused")
    func manifestLies() throws {
        var entries = try Self.valid()
        entries[2].data = Data("Resources:\n  B: {Type: AWS::IAM::User}\n".utf8)
        let error = try #require(try Self.refusal(entries))
        #expect(error.kind == .mismatch)
        #expect(error.description.contains("\"template.yaml\" has SHA-256"))
    }

    @Test("a file the manifest does not list is refused")
    func unlistedFile() throws {
        let entries = try Self.valid() + [.init(path: "extra.sh", data: Data("rm -rf /\n".utf8))]
        #expect(try Self.refusal(entries)?.kind == .mismatch)
    }

    @Test("a manifest whose digest was edited is refused")
    func digestEdited() throws {
        var entries = try Self.valid()
        let text = String(decoding: entries[0].data, as: UTF8.self)
        let edited = text.replacingOccurrences(of: "\"bundleDigest\" : \"sha256:", with: "\"bundleDigest\" : \"sha256:0")
        #expect(edited != text)
        entries[0].data = Data(edited.utf8)
        #expect(try Self.refusal(entries)?.kind == .mismatch)
    }

    @Test("unsafe entries are refused", arguments: [
        ("../escape.txt", BundleError.Kind.unsafePath),
        ("actions/../../escape.txt", .unsafePath),
        ("/etc/cron.d/evil", .unsafePath),
    ])
    func unsafePaths(path: String, kind: BundleError.Kind) throws {
        let entries = try Self.valid() + [.init(path: path, data: Data("x".utf8))]
        #expect(try Self.refusal(entries)?.kind == kind)
    }

    @Test("links, devices and FIFOs are refused")
    func nonRegularEntries() throws {
        #expect(try Self.refusal(try Self.valid() + [.init(path: "link", kind: .symlink("/etc/passwd"))])?.kind == .link)
        #expect(try Self.refusal(try Self.valid() + [.init(path: "hard", kind: .hardlink("product.yaml"))])?.kind == .link)
        #expect(try Self.refusal(try Self.valid() + [.init(path: "tty", kind: .characterDevice)])?.kind == .notRegularFile)
        #expect(try Self.refusal(try Self.valid() + [.init(path: "pipe", kind: .fifo)])?.kind == .notRegularFile)
    }

    @Test("duplicate names are refused")
    func duplicates() throws {
        let entries = try Self.valid() + [.init(path: "template.yaml", data: Data("Resources: {}\n".utf8))]
        #expect(try Self.refusal(entries)?.kind == .duplicate)
    }

    @Test("a bundle that expands past the bound is refused while reading (gzip bomb)")
    func expansionBound() throws {
        let bomb = HostileArchive.Entry(path: "zeros.bin", data: Data(count: 3 << 20))
        let small = BundleReader.Limits(maxEntryBytes: 8 << 20, maxTotalBytes: 1 << 20, maxEntries: 16)
        let error = try #require(try Self.refusal([bomb], limits: small))
        #expect(error.kind == .tooLarge)
        #expect(error.description.contains("expands past its size bound"))
        // With the standard limits, one entry over the per-file bound is refused from its header alone.
        let big = HostileArchive.Entry(path: "zeros.bin", data: Data(count: (4 << 20) + 1))
        #expect(try Self.refusal([big])?.kind == .tooLarge)
    }

    @Test("a truncated gzip stream is refused")
    func truncated() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let target = directory.url.appendingPathComponent("demo-1.0.0.tar.gz")
        _ = try BundleWriter.write(product: "demo", version: "1.0.0", toolVersion: "t", files: Self.files, to: target)
        let bytes = try Data(contentsOf: target)
        try bytes.prefix(bytes.count / 2).write(to: target)
        #expect(throws: BundleError.self) { _ = try BundleReader().read(target.path) }
    }

    @Test("files that are not gzip'd tar are refused", arguments: [Data("PK\u{3}\u{4}not a zip".utf8), Data("plain text\n".utf8), Data()])
    func notATarball(bytes: Data) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let target = try directory.write(bytes, to: "x.tar.gz")
        #expect(throws: BundleError.self) { _ = try BundleReader().read(target.path) }
    }

    @Test("a missing bundle gives a clear error")
    func missing() {
        #expect(throws: BundleError(.io, "cannot read bundle /nonexistent/x.tar.gz: no such readable file — check the path")) {
            _ = try BundleReader().read("/nonexistent/x.tar.gz")
        }
    }
}
